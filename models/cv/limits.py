"""What a CV file may be and hold. Every limit is checked before or while the file is read, so
that a hostile file costs a bounded amount of work and gets a clear error."""

from __future__ import annotations

from models.budgets import TEXT_CHARS

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_PAGES = 10
MAX_TEXT_CHARS = TEXT_CHARS  # the competence extractor's own limit

# A DOCX is a zip: its declared sizes are checked before anything is unpacked.
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
MAX_ZIP_RATIO = 100  # DOCX XML compresses ~5-10x; 100x is a bomb
MAX_ZIP_ENTRIES = 2_000

# What one PDF page may hold, counted while it is drawn: pdfminer's layout analysis is
# quadratic in text drawn at one spot, so a few kB of overlapping runs would cost minutes.
# A dense A4 page in 8-point type has about 6,000 characters and a few hundred drawings.
MAX_PAGE_CHARS = 12_000
# Text drawn again at the same point: fake bold draws a glyph two to four times; a page that
# draws one point over and over is made to stall the layout analysis, not to be read.
MAX_OVERDRAW = 16
MAX_PAGE_GRAPHICS = 20_000  # paths and images
MAX_PAGE_CONTENT_BYTES = 4 * 1024 * 1024  # the page's decoded content streams
