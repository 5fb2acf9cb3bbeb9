"""A documented set of synthetic French CVs with gold labels, and their renderers (PDF, DOCX)."""
