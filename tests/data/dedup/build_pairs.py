"""Builds pairs.jsonl, the labelled dedup set, from the hand-written stories in stories.yaml.

Run from the repository root: python tests/data/dedup/build_pairs.py
Each story yields copies with different site furniture, near-copies (the agency's update, copy-desk
edits, a trimmed copy), and pairs that must stay apart (another outlet's story on the same incident,
stories on other incidents, two stories sharing a background paragraph).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# (header, between paragraphs, footer): what sites wrap around a syndicated story.
FURNITURE = [
    (["Home > World > Africa", "By Staff Reporter", "Share on Facebook | Share on X | Email"],
     "Advertisement",
     ["Read more: Security news from the region", "© 2024 Example Wire. All rights reserved."]),
    (["Breaking News", "Published: 08:14 GMT", "Listen to this article, 4 min"],
     "Related: Timeline of attacks in the region",
     ["Reporting by newsroom staff; Editing by the world desk", "Sign up for our morning briefing newsletter"]),
    (["Menu | Sections | Search", "World | Asia | Middle East | Africa", "By Our Correspondent"],
     None,
     ["Topics: security, conflict", "Comments (3)", "Follow us on Telegram for updates", "Copyright 2024 Example Daily"]),
    (["LIVE UPDATES"],
     "Also read: What we know so far",
     ["This story has been updated with new information.", "Most viewed", "Trending now: markets, weather, sport"]),
    (["Save article"], "You may also like: Photos of the week",
     ["Click here to get the latest headlines delivered to your inbox", "Join the conversation",
      "Our journalism depends on readers like you. Support independent reporting today.", "All rights reserved"]),
]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.strip().split("\n\n") if p.strip()]


def dress(text: str, style: int) -> str:
    """The story as a site would publish it, wrapped in furniture style `style`."""
    header, between, footer = FURNITURE[style % len(FURNITURE)]
    body: list[str] = []
    for number, paragraph in enumerate(paragraphs(text)):
        if between and number == 2:
            body.append(between)
        body.append(paragraph)
    return "\n\n".join(header + body + footer)


def apply_replacements(text: str, replacements: list[list[str]], story_id: str) -> str:
    for old, new in replacements:
        if old not in text:
            raise SystemExit(f"{story_id}: edit target not in the wire text: {old!r}")
        text = text.replace(old, new, 1)
    return text


def trimmed(text: str) -> str:
    """The first 60% of the paragraphs (at least three): an outlet cutting a story to fit."""
    parts = paragraphs(text)
    return "\n\n".join(parts[:max(3, math.ceil(0.6 * len(parts)))])


def article(article_id: str, title: str, text: str) -> dict:
    return {"id": article_id, "title": title, "text": text}


def build(stories: list[dict]) -> list[dict]:
    pairs: list[dict] = []

    def pair(kind: str, label: str, a: dict, b: dict) -> None:
        pairs.append({"id": f"p{len(pairs) + 1:03d}", "kind": kind, "label": label, "a": a, "b": b})

    versions = []
    for index, story in enumerate(stories):
        sid, title = story["id"], story["title"]
        update = story["update"]
        updated_text = apply_replacements(story["wire"], update["replace"], sid) + "\n\n" + update["append"].strip()
        versions.append({
            "wire": article(f"{sid}-wire", title, dress(story["wire"], index)),
            "wire_again": article(f"{sid}-wire-2", title, dress(story["wire"], index + 1)),
            "update": article(f"{sid}-update", title, dress(updated_text, index + 2)),
            "edited": article(f"{sid}-edited", title, dress(apply_replacements(story["wire"], story["edits"], sid), index + 3)),
            "other": article(f"{sid}-other", title, dress(story["other"], index + 4)),
            "other_trimmed": article(f"{sid}-other-trimmed", title, dress(trimmed(story["other"]), index + 1)),
            "wire_trimmed": article(f"{sid}-wire-trimmed", title, dress(trimmed(story["wire"]), index + 2)),
        })
    for index, v in enumerate(versions):
        following = versions[(index + 1) % len(versions)]
        pair("copy", "duplicate", v["wire"], v["wire_again"])
        pair("near_copy_update", "duplicate", v["wire"], v["update"])
        pair("near_copy_edited", "duplicate", v["wire"], v["edited"])
        pair("near_copy_trimmed", "duplicate", v["other"], v["other_trimmed"])
        pair("near_copy_trimmed", "duplicate", v["wire_again"], v["wire_trimmed"])
        pair("same_incident_other_outlet", "distinct", v["wire"], v["other"])
        pair("same_incident_other_outlet", "distinct", v["update"], v["other_trimmed"])
        pair("unrelated", "distinct", v["wire"], following["other"])
        pair("unrelated", "distinct", v["edited"], following["wire"])
    return pairs


def main() -> None:
    stories = yaml.safe_load((HERE / "stories.yaml").read_text(encoding="utf-8"))
    pairs = build(stories)
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for record in pairs:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(pairs)} pairs to {HERE / 'pairs.jsonl'}")


if __name__ == "__main__":
    main()
