"""The language of an article's text, as a BCP 47 code: "en" when it reads as English, else "und" (undetermined).

The extractor reads English only; this tells an operator which articles it could not read. A full language
identifier can replace `language_of` without changing its callers.
"""

from __future__ import annotations

ENGLISH = "en"
UNDETERMINED = "und"


def language_of(text: str) -> str:
    # Imported here: the test uses spaCy's stop words, and readers of the codes alone (feed health) need no spaCy.
    from extractors.detection import looks_english

    return ENGLISH if looks_english(text) else UNDETERMINED
