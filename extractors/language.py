"""The language of an article, as an ISO 639-1 code ("en", "fr", "ar"; "und" when there is no text to tell).

py3langid's model (139 languages, shipped inside its wheel) reads the title and the lead: a headline alone is
too short to tell, and the lead is enough (see bench/bench_language.py). English prose by the extractor's own
stopword test is English whatever the model says, so no English article is refused that was read before. A
text dense in a readable language's telltale words (its `telltale_words`: French "dans", "avec", "ont", which
no other language spaCy knows counts among its stop words) is in that language without the model, which costs
about six times as much as the word count.
"""

from __future__ import annotations

import py3langid

from extractors.languages import readable_languages, resources

ENGLISH = "en"
UNDETERMINED = "und"
# Title plus the first characters of the text: enough to tell, and the cost stays flat on long articles.
LEAD_CHARS = 600
# Telltale words must make up this share of the sampled words, this many of them different: a text in another
# language that happens to use one of them ("sans" in English) is left to the model.
MIN_TELLTALE_SHARE = 0.05
MIN_TELLTALE_WORDS = 4


def identify(title: str | None, text: str) -> str:
    """The model's choice on the title and lead, or UNDETERMINED for a text with no letters."""
    sample = f"{title}\n{text[:LEAD_CHARS]}" if title else text[:LEAD_CHARS]
    if not any(character.isalpha() for character in sample):
        return UNDETERMINED
    language, _score = py3langid.classify(sample)
    return language


def language_of(title: str | None, text: str) -> str:
    # Imported here, as in english_or_undetermined.
    from extractors.detection import is_english_sample, sample_words

    words = sample_words(text)
    if is_english_sample(words):
        return ENGLISH
    return telltale_language(words) or identify(title, text)


def telltale_language(words: list[str]) -> str | None:
    """The readable language whose telltale words the text's sampled words (detection.sample_words) are dense
    in, or None: the model decides."""
    for code in sorted(readable_languages()):
        telltale = resources(code).words.get("telltale_words")
        found = [word for word in words if word in telltale] if telltale else []
        if found and len(found) >= MIN_TELLTALE_SHARE * len(words) and len(set(found)) >= MIN_TELLTALE_WORDS:
            return code
    return None


def english_or_undetermined(text: str) -> str:
    """The stopword test alone, without the model: what results from before language identification decided."""
    # Imported here: the test uses spaCy's stop words, and readers of the codes alone (feed health) need no spaCy.
    from extractors.detection import looks_english

    return ENGLISH if looks_english(text) else UNDETERMINED


def is_readable(language: str) -> bool:
    """Whether the extractor has data for the language; an article in any other is indexed as unread, never as
    "no attack"."""
    return language in readable_languages()
