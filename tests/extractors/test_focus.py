"""The article's focus country and namesakes abroad (extractors.focus), on invented sentences."""

from __future__ import annotations

import pytest

from extractors.focus import OPENING_CHARS, drop_namesakes_abroad, focus_countries, read_places
from extractors.places import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_a_small_namesake_in_an_unnamed_country_is_dropped(gazetteer):
    # Solhan is also a Turkish town; a Burkina Faso story never names Turkey.
    text = "Gunmen killed 30 people in Solhan, a village in northern Burkina Faso, officials said."
    found = gazetteer.find_places(text)
    assert any(m.text == "Solhan" for m in found)
    kept = drop_namesakes_abroad(found)
    assert [m.text for m in kept] == ["Burkina Faso"]


def test_a_namesake_stays_when_its_country_is_named(gazetteer):
    text = "Turkish police said a bomb exploded in Solhan, a town in eastern Turkey."
    kept = drop_namesakes_abroad(gazetteer.find_places(text))
    assert ("Solhan", "TR") in [(m.text, m.candidates[0].country) for m in kept]


def test_well_known_cities_and_articles_without_countries_keep_their_places(gazetteer):
    text = "Nigerian officials condemned the attack in Paris."
    kept = drop_namesakes_abroad(gazetteer.find_places(text))
    assert ("Paris", "FR") in [(m.text, m.candidates[0].country) for m in kept]
    bare = gazetteer.find_places("A bomb went off in Solhan.")
    assert drop_namesakes_abroad(bare) == bare  # no country named: nothing to judge against


def test_candidates_abroad_are_removed_from_an_ambiguous_name(gazetteer):
    # Dhaka is also a town in India; this story names only Bangladesh.
    text = "DHAKA, Bangladesh — Gunmen seized a cafe in Dhaka, police in Bangladesh said."
    dhaka = [m for m in drop_namesakes_abroad(gazetteer.find_places(text)) if m.text == "Dhaka"]
    assert {e.country for m in dhaka for e in m.candidates} == {"BD"}


def test_an_organisations_home_is_no_place(gazetteer):
    text = "The Somalia-based group and a US-based monitor said gunmen attacked Mandera in Kenya."
    assert [m.text for m in gazetteer.find_places(text)] == ["Mandera", "Kenya"]


def test_the_opening_outweighs_nationalities_named_later(gazetteer):
    text = ("Gunmen stormed a hotel in Mali on Friday. " + "x " * OPENING_CHARS
            + "The dead included a French, a Chinese and a Belgian national, and two French aid workers.")
    focus = focus_countries(gazetteer.find_places(text))
    assert focus.most_common(1)[0][0] == "ML"


def test_read_places_adds_described_places_in_order(gazetteer):
    text = "Kenyan police said gunmen raided Kiboko Hill village before a bomb hit the Kenyan capital."
    places, focus = read_places(text, gazetteer)
    assert focus.most_common(1)[0][0] == "KE"
    described = [(m.text, m.candidates[0].name if m.candidates else None) for m in places if m.kind == "city"]
    assert described == [("Kiboko Hill", None), ("the Kenyan capital", "Nairobi")]


def test_a_town_and_its_region_vouch_for_each_other(gazetteer):
    # The story names only Afghanistan, yet "Kenosha, Wisconsin" places both in the United States.
    text = "An Afghan man opened fire in Kenosha, Wisconsin, killing three people."
    kept = drop_namesakes_abroad(gazetteer.find_places(text))
    assert [(m.text, m.kind, m.candidates[0].country) for m in kept] == [
        ("Afghan", "country", "AF"), ("Kenosha", "city", "US"), ("Wisconsin", "admin1", "US")]
    alone = drop_namesakes_abroad(gazetteer.find_places("Afghan officials said a man opened fire in Kenosha."))
    assert [m.text for m in alone] == ["Afghan"]


def test_a_story_naming_no_country_is_judged_by_its_provinces(gazetteer):
    # Kaboro is also a village in the Central African Republic; the story names only Nigerian states.
    text = "Gunmen raided Kaboro in Zamfara State on Tuesday, a week after a bombing in Kaduna."
    kept = drop_namesakes_abroad(gazetteer.find_places(text))
    assert "Kaboro" not in [m.text for m in kept]
    assert {e.country for m in kept for e in m.candidates} == {"NG"}


def test_the_dateline_vouches_for_its_country(gazetteer):
    # The story names Thailand outright but Malaysia only through its dateline, Kuantan.
    text = ("KUANTAN (June 2): A man with links to a Thai gang stabbed two guards at a bank in Mentakab today, "
            "police said.")
    places, _ = read_places(text, gazetteer)
    assert ("Mentakab", "MY") in [(m.text, m.candidates[0].country) for m in places if m.candidates]
    undated = drop_namesakes_abroad(gazetteer.find_places(text.replace("KUANTAN (June 2):", "")))
    assert "Mentakab" not in [m.text for m in undated]
