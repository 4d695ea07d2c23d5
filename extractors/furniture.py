"""Site furniture: the lines a web page wraps around a story (bylines, breadcrumbs, share and newsletter
prompts, copyright notices). Dedup drops them before comparing texts, and the extractor before parsing:
above the story they run into its first sentence and hide the dateline, inside it they join paragraphs
("By Staff Reporter" read as the target, an "Advertisement" costing the story its city).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_FURNITURE_LINE = re.compile(
    r"^\W*(by\s+[\w.'-]+(\s+[\w.'-]+){0,3}\s*(,|$|\|)|reporting by|editing by|writing by|additional reporting"
    r"|read more|read also|also read|related:|related stories|related articles|recommended|more from"
    r"|advertisement|sponsored|share (this|on|via)|share$|tweet$|follow us|follow @|sign up|subscribe"
    r"|click here|tap here|newsletter|copyright|all rights reserved|©|\(c\)\s+\d{4}|photo:|image:|file photo"
    r"|watch:|listen:|skip to|home\s*[>|/»›]|you may also like|comments?\b|updated:?\s|published:?\s|posted:?\s"
    r"|this (article|story) (was|has been)|last (updated|modified)|get (the|our) (latest|app)"
    r"|topics:|tags:|trending|most (read|viewed|popular|shared)|breaking news$|live( updates)?$|menu\b)",
    re.IGNORECASE,
)
# Navigation crumbs: a short line of items separated by |, >, », › or /.
_NAVIGATION_LINE = re.compile(r"^[^|>»›/]{0,40}([|>»›/][^|>»›/]{0,40}){2,}$")
_MAX_FURNITURE_WORDS = 25
# A story's sentence ends like one; furniture rarely does ("By Monday evening, 12 had died." is story).
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")


def is_furniture(line: str) -> bool:
    """Whether a stripped line is furniture rather than story."""
    if len(line.split()) > _MAX_FURNITURE_WORDS:
        return False
    return bool(_FURNITURE_LINE.match(line) or _NAVIGATION_LINE.match(line))


@dataclass(frozen=True)
class Story:
    """An article's text without its furniture lines, and where each kept run of lines came from."""

    text: str
    starts: tuple[int, ...]  # where each run starts in `text`...
    origins: tuple[int, ...]  # ...and in the article's text

    def article_offset(self, offset: int) -> int:
        """The position in the article's text of a position in the story's."""
        run = bisect.bisect_right(self.starts, offset) - 1
        return self.origins[run] + offset - self.starts[run]

    def article_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the story's text in the article's; its end stays with its last character's run."""
        end_in_article = self.article_offset(end - 1) + 1 if end > start else self.article_offset(end)
        return self.article_offset(start), end_in_article


def story_of(text: str) -> Story:
    """The text without furniture lines, nor the blank lines above the story and after a dropped line.

    A line that ends like a sentence is story even when it starts like furniture ("By Monday evening, 12 had
    died."); an article of nothing but furniture is read whole.
    """
    kept: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = position = 0
    dropping = True  # above the story, and right after a dropped line: blank lines go too
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        furniture = bool(stripped) and is_furniture(stripped) and not _SENTENCE_END.search(stripped)
        if furniture or (dropping and not stripped):
            dropping = True
        else:
            if dropping:
                starts.append(length)
                origins.append(position)
            kept.append(line)
            length += len(line)
            dropping = False
        position += len(line)
    if not kept or origins == [0] and length == len(text):
        return Story(text, (0,), (0,))
    return Story("".join(kept), tuple(starts), tuple(origins))
