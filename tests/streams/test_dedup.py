"""DedupIndex: copies and near-copies found, other outlets' stories kept apart, redelivery-safe, age-bounded."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import MutableMapping
from pathlib import Path

import pytest

from streams.dedup import DedupIndex, normalise

T0 = dt.datetime(2016, 10, 25, 6, 0, tzinfo=dt.timezone.utc)
PAIRS = Path(__file__).resolve().parents[1] / "data" / "dedup" / "pairs.jsonl"


@pytest.fixture(scope="module")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8").split("\n", 1)[1]


@pytest.fixture(scope="module")
def pairs() -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        by_kind.setdefault(pair["kind"], []).append(pair)
    return by_kind


class ChangelogMapping(MutableMapping):
    """A store like a Faust Table: JSON values only, and every assignment or deletion counted as a changelog record."""

    def __init__(self):
        self.data: dict = {}
        self.records = 0

    def __getitem__(self, key):
        return self.data[key]

    def __setitem__(self, key, value):
        json.dumps(value)  # a changelog can only carry JSON values
        self.data[key] = value
        self.records += 1

    def __delitem__(self, key):
        del self.data[key]
        self.records += 1

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)


def with_furniture(text: str) -> str:
    return "\n".join([
        "Home > World > Asia", "By Staff Reporter", "Share on Facebook | Share on X",
        text,
        "Read more: Pakistan security news", "© 2016 Example Wire. All rights reserved.",
    ])


def test_normalise_drops_site_furniture_and_keeps_the_story():
    text = "World | Asia | Pakistan\nBy Jane Roe, Example Wire\nGunmen attacked a police academy.\nAdvertisement\nSign up for our newsletter"
    assert normalise(text) == ["gunmen", "attacked", "a", "police", "academy"]


def test_a_copy_with_different_site_furniture_is_an_identical_duplicate(seed_text):
    index = DedupIndex({})
    assert index.check_and_add("original", seed_text, T0).duplicate_of is None
    verdict = index.check_and_add("syndicated", with_furniture(seed_text), T0 + dt.timedelta(minutes=5))
    assert verdict.duplicate_of == "original"
    assert verdict.identical
    assert verdict.similarity == 1.0


def test_a_near_copy_with_an_updated_toll_is_a_duplicate_but_not_identical(seed_text):
    updated = seed_text.replace("killed at least 59 people", "killed at least 61 people").replace(
        "more than 100 people injured", "more than 120 people injured")
    assert updated != seed_text
    index = DedupIndex({})
    index.check_and_add("original", seed_text, T0)
    verdict = index.check_and_add("update", updated, T0 + dt.timedelta(hours=2))
    assert verdict.duplicate_of == "original"
    assert not verdict.identical
    assert 0.4 <= verdict.similarity < 1.0


def test_a_copy_cut_to_its_first_paragraphs_is_a_duplicate(seed_text):
    paragraphs = [p for p in seed_text.split("\n\n") if p.strip()]
    index = DedupIndex({})
    index.check_and_add("full", seed_text, T0)
    assert index.check_and_add("cut", "\n\n".join(paragraphs[:12]), T0).duplicate_of == "full"


def test_another_outlets_story_on_the_same_attack_is_not_a_duplicate(seed_text):
    own_story = (
        "QUETTA - Families gathered outside the Civil Hospital in Quetta on Tuesday, waiting for news of cadets "
        "who were asleep when gunmen entered their dormitory at the police training college overnight.\n\n"
        "A cadet who escaped by jumping from a first-floor window said he heard shooting and then a loud blast. "
        "\"We had no weapons, we could only run,\" he told our reporter from his hospital bed.\n\n"
        "Provincial officials said dozens of trainees had been killed and that the army had ended the siege by "
        "morning. Balochistan's chief minister announced three days of mourning across the province."
    )
    index = DedupIndex({})
    index.check_and_add("wire", seed_text, T0)
    assert index.check_and_add("local", own_story, T0 + dt.timedelta(hours=1)).duplicate_of is None


@pytest.mark.parametrize("kind, expected", [
    ("copy", True), ("near_copy_update", True), ("near_copy_edited", True), ("near_copy_trimmed", True),
    ("same_incident_other_outlet", False), ("unrelated", False),
])
def test_labelled_pairs_of_each_kind(pairs, kind, expected):
    for pair in pairs[kind][:6]:
        index = DedupIndex({})
        index.check_and_add(pair["a"]["id"], pair["a"]["text"], T0)
        verdict = index.check_and_add(pair["b"]["id"], pair["b"]["text"], T0 + dt.timedelta(hours=1))
        assert (verdict.duplicate_of == pair["a"]["id"]) is expected, pair["id"]


def test_a_copy_of_a_copy_points_to_the_first_article(seed_text):
    index = DedupIndex({})
    index.check_and_add("first", seed_text, T0)
    index.check_and_add("second", with_furniture(seed_text), T0 + dt.timedelta(minutes=1))
    third = with_furniture(seed_text).replace("killed at least 59 people", "killed at least 60 people")
    assert index.check_and_add("third", third, T0 + dt.timedelta(minutes=2)).duplicate_of == "first"


def test_redelivery_repeats_the_first_verdict_and_changes_nothing(seed_text):
    storage: dict = {}
    index = DedupIndex(storage)
    index.check_and_add("original", seed_text, T0)
    first = index.check_and_add("copy", with_furniture(seed_text), T0 + dt.timedelta(minutes=1))
    snapshot = json.dumps(storage, sort_keys=True)
    again = index.check_and_add("copy", with_furniture(seed_text), T0 + dt.timedelta(minutes=9))
    assert again == first
    assert index.check_and_add("original", seed_text, T0 + dt.timedelta(minutes=9)).duplicate_of is None
    assert json.dumps(storage, sort_keys=True) == snapshot


def test_each_new_article_is_one_changelog_record(pairs):
    storage = ChangelogMapping()
    index = DedupIndex(storage)
    for minute, pair in enumerate(pairs["copy"][:10]):
        index.check_and_add(pair["a"]["id"], pair["a"]["text"], T0 + dt.timedelta(minutes=minute))
    assert storage.records == 10
    assert sorted(storage.data) == sorted(pair["a"]["id"] for pair in pairs["copy"][:10])


def test_state_recovered_from_a_json_changelog_keeps_working(seed_text):
    storage = ChangelogMapping()
    DedupIndex(storage).check_and_add("original", seed_text, T0)
    recovered = json.loads(json.dumps(storage.data))
    verdict = DedupIndex(recovered).check_and_add("copy", with_furniture(seed_text), T0 + dt.timedelta(hours=1))
    assert verdict.duplicate_of == "original"


def test_reload_picks_up_storage_filled_behind_the_index(seed_text):
    index = DedupIndex({})
    index.check_and_add("unrelated", "A flood in the river valley forced hundreds from their homes on Sunday.", T0)
    elsewhere = ChangelogMapping()
    DedupIndex(elsewhere).check_and_add("original", seed_text, T0)
    index.storage.update(elsewhere.data)
    index.reload()
    assert index.check_and_add("copy", with_furniture(seed_text), T0 + dt.timedelta(hours=1)).duplicate_of == "original"


def test_recovered_index_answers_like_the_one_that_never_stopped(pairs):
    """Bucket trimming and expiry both drop the oldest ids first, so buckets derived from the surviving
    entries equal the incremental ones: a restart mid-stream changes no verdict."""
    articles = [(side["id"], side["text"]) for kind in sorted(pairs) for pair in pairs[kind] for side in (pair["a"], pair["b"])]
    settings = {"max_age": dt.timedelta(hours=6), "max_bucket": 2}
    running = DedupIndex({}, **settings)
    restarted: DedupIndex | None = None
    for number, (article_id, text) in enumerate(articles):
        now = T0 + dt.timedelta(minutes=10 * number)
        if number == len(articles) // 2:
            restarted = DedupIndex(json.loads(json.dumps(running.storage)), **settings)
        expected = running.check_and_add(article_id, text, now)
        if restarted is not None:
            assert restarted.check_and_add(article_id, text, now) == expected, article_id
    assert restarted.storage == running.storage


def test_entries_expire_after_max_age_and_storage_shrinks_back(pairs):
    storage = ChangelogMapping()
    index = DedupIndex(storage, max_age=dt.timedelta(days=7))
    for hour, pair in enumerate(pairs["copy"][:10]):
        index.check_and_add(pair["a"]["id"], pair["a"]["text"], T0 + dt.timedelta(hours=hour))
    assert len(storage) == 10
    late = T0 + dt.timedelta(days=7, hours=4, minutes=30)
    assert index.expire(late) == 5
    assert index.expire(late) == 0
    assert index.expire(T0 + dt.timedelta(days=30)) == 5
    assert storage.data == {}
    first = pairs["copy"][0]["a"]
    assert index.check_and_add("copy", first["text"], T0 + dt.timedelta(days=30)).duplicate_of is None


def test_an_old_entry_is_not_matched_even_before_expiry_removes_it(seed_text):
    index = DedupIndex({}, max_age=dt.timedelta(days=7))
    index.check_and_add("later", "An unrelated story about a flood in the river valley, told at some length.",
                        T0 + dt.timedelta(days=10))
    index.check_and_add("old", seed_text, T0)  # out of order: queued behind a newer entry
    verdict = index.check_and_add("copy", seed_text + "\nExtra line.", T0 + dt.timedelta(days=8))
    assert verdict.duplicate_of is None


def test_a_text_with_no_words_is_neither_a_duplicate_nor_indexed():
    storage: dict = {}
    assert DedupIndex(storage).check_and_add("empty", "Advertisement\n\n---", T0).duplicate_of is None
    assert storage == {}


def test_the_same_stream_gives_the_same_storage(pairs):
    stores = []
    for _ in range(2):
        storage: dict = {}
        index = DedupIndex(storage)
        for minute, pair in enumerate(pairs["near_copy_update"][:5]):
            index.check_and_add(pair["a"]["id"], pair["a"]["text"], T0 + dt.timedelta(minutes=minute))
            index.check_and_add(pair["b"]["id"], pair["b"]["text"], T0 + dt.timedelta(minutes=minute, seconds=30))
        stores.append(json.dumps(storage, sort_keys=True))
    assert stores[0] == stores[1]


def test_banding_must_fit_in_the_signature():
    with pytest.raises(ValueError, match="exceeds num_perm"):
        DedupIndex({}, num_perm=64, bands=32, rows=3)
