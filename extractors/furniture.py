"""Site furniture: the lines a web page wraps around a story (bylines, breadcrumbs, share and newsletter
prompts, copyright notices). Dedup drops them before comparing texts; the extractor blanks those above
the story, where they would otherwise run into its first sentence and dateline.
"""

from __future__ import annotations

import re

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


def story_start(text: str) -> int:
    """Where the story begins: after the blank and furniture lines above it (0 when there are none)."""
    start = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not (is_furniture(stripped) and not _SENTENCE_END.search(stripped)):
            return start
        start += len(line)
    return 0
