"""CV parsing: document → text → sections → experiences → competence profile."""
