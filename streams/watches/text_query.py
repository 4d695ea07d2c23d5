"""The small text query language of watches.

Words and "quoted phrases" are all required; `a OR b` accepts either (OR binds tighter than the implied
AND, as in web search: `school OR college attack` is (school or college) and attack); a leading `-`
excludes a word or phrase. Matching is case-insensitive, ignores accents and punctuation, and works on
whole words: `police` does not match "policeman", and "suicide bomber" matches "Suicide-bomber".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.folding import fold_words

_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


class SearchableText:
    """Text as queries read it: folded once, with its set of words, so a one-word term is a set lookup and
    a phrase is searched for only when its first word occurs (an article is tested against every query)."""

    def __init__(self, text: str):
        folded = fold_words(text)
        self._padded = f" {folded} "
        self.words = frozenset(folded.split())

    def __contains__(self, term: str) -> bool:
        first, _, rest = term.partition(" ")
        return first in self.words and (not rest or f" {term} " in self._padded)


class QueryError(ValueError):
    """A text query that cannot be used; the message quotes it."""


@dataclass(frozen=True)
class TextQuery:
    clauses: tuple[tuple[str, ...], ...]  # every clause must match; a clause matches when any of its terms occurs
    excluded: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> TextQuery:
        if query.count('"') % 2:
            raise QueryError(f"text query {query!r} has an unbalanced double quote")
        clauses: list[list[str]] = []
        excluded: list[str] = []
        join_next = False
        for match in _TERM.finditer(query):
            quoted = match.group(2) is not None
            raw = match.group(2) if quoted else match.group(4)
            if raw == "OR" and not quoted:
                if not clauses or join_next:
                    raise QueryError(f"text query {query!r}: OR needs a word or phrase on both sides")
                join_next = True
                continue
            term = fold_words(raw)
            if not term:
                continue
            if match.group(1) or match.group(3):
                excluded.append(term)
            elif join_next:
                clauses[-1].append(term)
            else:
                clauses.append([term])
            join_next = False
        if join_next:
            raise QueryError(f"text query {query!r} ends with OR")
        if not clauses:
            raise QueryError(f"text query {query!r} has no term to look for (only exclusions or punctuation)")
        return cls(tuple(tuple(clause) for clause in clauses), tuple(excluded))

    @property
    def anchor(self) -> frozenset[str]:
        """Words of which every text the query matches has one: the first words of one clause's terms (the
        clause whose words are longest, as long words tend to be rare), for indexing many queries."""
        clause = max(self.clauses, key=lambda terms: min(len(term.partition(" ")[0]) for term in terms))
        return frozenset(term.partition(" ")[0] for term in clause)

    def matches(self, text: SearchableText) -> bool:
        """True when every clause and none of the exclusions occurs in the text."""
        return all(any(term in text for term in clause) for clause in self.clauses) and not any(
            term in text for term in self.excluded
        )

    def describe(self, text: SearchableText) -> str:
        missing = [" OR ".join(clause) for clause in self.clauses if not any(t in text for t in clause)]
        present = [term for term in self.excluded if term in text]
        problems = ([f"missing {', '.join(map(repr, missing))}"] if missing else []) + (
            [f"excluded {', '.join(map(repr, present))} present"] if present else []
        )
        return "; ".join(problems) or "all terms found"


def query_text(title: str | None, text: str | None) -> str:
    """What a text query reads of an article: its title and text."""
    return f"{title or ''}\n{text or ''}"
