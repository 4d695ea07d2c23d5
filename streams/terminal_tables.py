"""Plain-text tables for terminal commands: columns padded to their widest cell, long cells cut with an ellipsis."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 48) -> str:
    cut = [[_cut(str(cell), max_width) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[column]) for row in cut) for column in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cut)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
