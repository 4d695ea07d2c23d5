"""The language of an article's text, as a BCP 47 code: "en" when it reads as English, else "und" (undetermined).

The extractor reads English only; this tells an operator which articles it could not read. A full language
identifier can replace `language_of` without changing its callers.
"""

from __future__ import annotations

from extractors.detection import looks_english

ENGLISH = "en"
UNDETERMINED = "und"


def language_of(text: str) -> str:
    return ENGLISH if looks_english(text) else UNDETERMINED
