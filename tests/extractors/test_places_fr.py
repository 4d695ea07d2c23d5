"""French place phrasings from invented wire-style leads: the place rules reading words/places.toml."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract

FRIDAY = dt.date(2026, 3, 6)


def located(french_nlp, make_article, text: str):
    result = extract(make_article(text, published=FRIDAY), french_nlp)
    assert result.is_attack_report
    return result.incidents[0].location


@pytest.mark.parametrize(("text", "city", "country"), [
    # "liège" and "tripoli" are also French common words: a town's part or building before them names the town
    ("BRUXELLES (Belga) - Deux passants ont été blessés jeudi soir lors d'une attaque au couteau dans le centre de "
     "Liège, a indiqué vendredi le parquet fédéral belge.", "Liege", "BE"),
    ("BEYROUTH (AFP) - Six personnes ont été tuées vendredi dans l'explosion d'une voiture piégée devant une "
     "mosquée de Tripoli, dans le nord du Liban.", "Tripoli", "LB"),
])
def test_a_towns_part_or_building_names_a_town_that_is_also_a_common_word(french_nlp, make_article, text, city,
                                                                          country):
    location = located(french_nlp, make_article, text)
    assert (location.city, location.country) == (city, country)


def test_a_square_is_a_landmark_not_a_town(french_nlp, make_article):
    text = ("BRUXELLES (Belga) - Trois personnes ont été blessées jeudi soir lors d'une attaque au couteau près de "
            "la place Saint-Michel, dans le centre de Liège, a indiqué le parquet fédéral.")
    assert located(french_nlp, make_article, text).city == "Liege"


def test_the_forces_a_camp_hosts_are_no_town(french_nlp, make_article):
    text = ("BAMAKO (AFP) - Cinq soldats ont été tués jeudi dans une attaque jihadiste contre le camp des Forces "
            "armées maliennes de Gao, dans le nord du Mali, selon une source sécuritaire.")
    assert located(french_nlp, make_article, text).city == "Gao"


def test_an_adjective_after_a_scene_noun_keeps_the_scene(french_nlp, make_article):
    text = ("KANO (AFP) - Au moins huit personnes ont été tuées jeudi dans l'explosion d'une bombe sur un marché "
            "animé de Gwoza, à une quarantaine de kilomètres de Bama, dans l'Etat de Borno (Nigeria).")
    assert located(french_nlp, make_article, text).city == "Gwoza"
