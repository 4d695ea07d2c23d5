"""The small text query language of watches: words and "quoted phrases", all required; a leading - excludes.

Matching is case-insensitive, ignores accents and punctuation, and works on whole words, so `police` does not
match `policeman` and `"suicide bomber"` matches "Suicide-bomber". There is no OR: write two watches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: the form every comparison of names and text uses."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_marks.casefold()).strip()


class QueryError(ValueError):
    """A text query that cannot be used; the message quotes it."""


@dataclass(frozen=True)
class TextQuery:
    required: tuple[str, ...]
    excluded: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> TextQuery:
        if query.count('"') % 2:
            raise QueryError(f"text query {query!r} has an unbalanced double quote")
        required: list[str] = []
        excluded: list[str] = []
        for match in _TERM.finditer(query):
            negated = bool(match.group(1) or match.group(3))
            term = fold(match.group(2) if match.group(2) is not None else match.group(4))
            if term:
                (excluded if negated else required).append(term)
        if not required:
            raise QueryError(f"text query {query!r} has no term to look for (only exclusions or punctuation)")
        return cls(tuple(required), tuple(excluded))

    def matches(self, folded_text: str) -> bool:
        """True when every required term and none of the excluded ones occurs in text already passed through fold()."""
        padded = f" {folded_text} "
        return all(f" {term} " in padded for term in self.required) and not any(
            f" {term} " in padded for term in self.excluded
        )

    def describe(self, folded_text: str) -> str:
        padded = f" {folded_text} "
        missing = [term for term in self.required if f" {term} " not in padded]
        present_exclusions = [term for term in self.excluded if f" {term} " in padded]
        if not missing and not present_exclusions:
            return "all terms found"
        parts = [f"missing {', '.join(repr(t) for t in missing)}"] if missing else []
        parts += [f"excluded {', '.join(repr(t) for t in present_exclusions)} present"] if present_exclusions else []
        return "; ".join(parts)
