"""Passerelle: the command line, composition root of indexing, models and service."""
