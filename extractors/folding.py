"""Text folding: the one way every part of newswatch compares names and words regardless of accents.

The gazetteer's name keys, the watches' text queries and region names, and the evaluation's name
comparison all fold with these two functions, so "Diyarbakır" written in a query, an article or the
gazetteer always meets "Diyarbakir".
"""

from __future__ import annotations

import re
import unicodedata

# Letters that are not a base letter plus a combining mark, so NFKD leaves them as they are.
LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ß": "ss",
})
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Strips diacritics, keeping case and punctuation: 'Bāmyān' -> 'Bamyan', 'Diyarbakır' -> 'Diyarbakir'."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(LETTERS_WITHOUT_DECOMPOSITION))
    # Looked up per distinct character, not per character: articles are long, their alphabets small.
    marks = {ord(c): None for c in set(decomposed) if unicodedata.combining(c)}
    return decomposed.translate(marks) if marks else decomposed


def fold_words(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: 'Suicide-BOMBER in Peshāwar!' ->
    'suicide bomber in peshawar'."""
    return _NON_WORD.sub(" ", fold(text).casefold()).strip()
