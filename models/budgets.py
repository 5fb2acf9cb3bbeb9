"""The work one request may ask for. Each budget bounds one request's CPU time to a few
seconds on one core (figures in docs/benchmarks.md); past it the request is refused with
`InputTooLarge` (413) saying how to split it. The command line and the batch evaluations,
which read large corpora on purpose, are bound only by the length of one text
(`TEXT_CHARS`), which the extractor itself enforces."""

from __future__ import annotations

from indexing.errors import InputTooLarge

# One text (an offer, a CV's text, an emerging document): what one read of the extractor
# handles in a few seconds (~0.12 ms of one core a character).
TEXT_CHARS = 50_000
# Resolving one title with a description costs ~40 ms, most of it encoding the description.
RESOLVE_DESCRIPTION_CHARS = 100_000  # all descriptions of one resolve batch
# Tagging reads every clause against the release: ~0.12 ms of one core a character, so a
# batch of 60,000 characters (one offer at the 50,000 limit, or 20 of 3,000) is ~7 s.
TAG_BATCH_CHARS = 60_000  # all texts of one tag batch
MATCH_PROFILE_CODES = 500_000  # codes over all profiles of one match request
MATCH_PAIRS = 5_000_000  # requirements of all offers × the profile's codes
MATCH_REPLY_ENTRIES = 50_000  # results × requirements explained in one reply
# Phrase extraction (spaCy) costs ~90 µs a character: 250,000 characters are ~20 s.
EMERGING_CHARS = 250_000  # all documents of one /v1/emerging/analyse request


def check(used: int, budget: int, what: str, advice: str) -> None:
    if used > budget:
        raise InputTooLarge(
            f"{what} is {used:,}, over the {budget:,} one request may ask; {advice}"
        )
