"""Places named by description (extractors.place_phrases): capitals by role, villages by scene phrase."""

from __future__ import annotations

from collections import Counter

import pytest

from extractors.place_phrases import capital_mentions, unlisted_towns
from extractors.places import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def capitals(gazetteer: Gazetteer, text: str, focus: Counter | None = None) -> list[tuple[str, str]]:
    mentions = gazetteer.find_places(text)
    return [(m.text, m.candidates[0].name) for m in capital_mentions(text, mentions, focus or Counter(), gazetteer)]


def towns(gazetteer: Gazetteer, text: str) -> list[str]:
    return [m.text for m in unlisted_towns(text, gazetteer.find_places(text), gazetteer)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A car bomb exploded in the Chadian capital on Monday.", [("the Chadian capital", "N'Djamena")]),
        ("Gunmen attacked a hotel in Somalia's capital.", [("Somalia's capital", "Mogadishu")]),
        ("Two blasts shook the capital of Turkey.", [("the capital of Turkey", "Ankara")]),
        ("Police sealed off the country's capital.", [("the country's capital", "Sanaa")]),
        ("Shops closed across the capital after the blast.", [("the capital", "Sanaa")]),
    ],
)
def test_capitals_named_by_role(gazetteer, text, expected):
    assert capitals(gazetteer, text, Counter({"YE": 4})) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The bomb hit the provincial capital and the commercial capital.",
        "Gombe, the capital of the state, was calm.",
        "Bol, the capital of Chad's Lac province, lies north of Lake Chad.",
        "The state capital was quiet; opponents of capital punishment marched.",
    ],
)
def test_capitals_of_regions_and_other_senses_are_not_the_countrys(gazetteer, text):
    assert capitals(gazetteer, text, Counter({"TD": 4})) == []


def test_bare_capital_needs_a_focus_country(gazetteer):
    assert capitals(gazetteer, "Shops closed across the capital.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Militants attacked the village of Banwa Koura overnight.", ["Banwa Koura"]),
        ("The hamlets of Bangou Kiri and Tamou Beri were burned.", ["Bangou Kiri", "Tamou Beri"]),
        ("Gunmen raided Umbaru, a farming town in the north, at dawn.", ["Umbaru"]),
        ("Bandits stormed Gidan Bako village and killed nine.", ["Gidan Bako"]),
        ("A bomb exploded in al-Harqeen village after prayers.", ["al-Harqeen"]),
        ("Two suicide bombers struck in Mbalanga, northern Cameroon, on Friday.", ["Mbalanga"]),
        ("The blast in Kawadi in Borno state killed six.", ["Kawadi"]),
        ("We bombed the market at a place called Ungwan Dosa.", ["Ungwan Dosa"]),
        ("Fighters overran a settlement known as Tamou Beri before dawn.", ["Tamou Beri"]),
    ],
)
def test_scene_phrases_name_villages_no_gazetteer_lists(gazetteer, text, expected):
    assert towns(gazetteer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Musa Abubakar, the village head, said the gunmen fled.",  # a person, and "village head" is his title
        "Crowds gathered in Freedom Square, the Iraqi army said.",  # a demonym after the comma is no region
        "Soldiers returned to the town of Maiduguri.",  # the gazetteer has it
        "The village of The Hague is not a village.",  # an article opens no name
        "They moved to the town of Police.",  # a common word
        "The group is a movement called Ansaru.",  # only places, areas and settlements are called so
    ],
)
def test_scene_phrases_without_an_unlisted_village(gazetteer, text):
    assert towns(gazetteer, text) == []
