"""Places read with the words of the text's language (extractors/place_words.py, words/places.toml)."""

import re
from collections import Counter

import pytest

from extractors.focus import read_places
from extractors.location import scene_rank
from extractors.place_phrases import unlisted_towns
from extractors.place_words import alternatives, leading, place_words
from extractors.places import Gazetteer, dateline_span


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def found(gazetteer, text, language="fr"):
    return [(m.text, m.kind, m.candidates[0].country) for m in gazetteer.find_places(text, language)]


def test_phrases_compile_longest_first_and_an_elision_needs_no_space():
    pattern = re.compile(leading(["près de", "près d'", "à"]) + "$")
    assert pattern.search("près d'") and pattern.search("près d’") and pattern.search("près de ")
    assert not pattern.search("près de")
    assert not re.search(alternatives([]), "anything")


def test_french_elided_articles_and_sentence_openers_are_not_places(gazetteer):
    text = "Vendredi matin, un homme a tué un enseignant dans le lycée d'Arras. Selon la police, il était seul."
    assert found(gazetteer, text) == [("Arras", "city", "FR")]


def test_the_english_reading_is_the_default_and_keeps_its_own_words(gazetteer):
    assert found(gazetteer, "Gunmen stormed a school in Arras on Friday.", "en") == [("Arras", "city", "FR")]
    # "Une" is no English word: read as English, the Turkish town Ünye
    assert [m.text for m in gazetteer.find_places("Une patrouille a été attaquée.")] == ["Une"]


def test_lower_case_french_demonyms_and_exonyms_name_their_countries(gazetteer):
    text = "Seize soldats nigériens ont été tués près de la frontière avec le Tchad et la Côte d'Ivoire."
    assert found(gazetteer, text) == [("nigériens", "country", "NE"), ("Tchad", "country", "TD"),
                                      ("Côte d'Ivoire", "country", "CI")]


def test_a_french_common_word_is_a_place_only_after_a_licensing_preposition(gazetteer):
    assert found(gazetteer, "Garde à vue prolongée pour le suspect.") == []
    assert ("Paris", "city", "FR") in found(gazetteer, "Le suspect a été transféré à Paris, en France.")
    assert ("Paris", "city", "FR") not in found(gazetteer, "Paris perdus, le joueur a quitté la France.")


@pytest.mark.parametrize("text, name, rank", [
    ("Des hommes armés ont attaqué un poste dans le nord du Mali.", "Mali", 0),
    ("Une embuscade a visé la patrouille dans la région de Tahoua.", "Tahoua", 0),
    ("L'embuscade a été tendue à 18 km au sud de Bankilaré.", "Bankilaré", 2),
    ("Le car a sauté sur une mine à une quinzaine de kilomètres de Bandiagara.", "Bandiagara", 0),
    ("Le convoi rentrait de la localité de Téra, dans l'ouest du Niger.", "Téra", 0),
    ("Le convoi était de retour de la localité de Téra quand il a été attaqué.", "Téra", 2),
])
def test_french_scene_and_reference_phrases_rank_places(gazetteer, text, name, rank):
    [place] = [m for m in gazetteer.find_places(text, "fr") if m.text == name]
    assert scene_rank(text, place, "fr") == rank


def test_french_scene_phrases_name_towns_the_gazetteer_lacks(gazetteer):
    text = ("Au Niger, des assaillants ont tué six gendarmes à Bossey, dans le département de Say. Au Cameroun, "
            "deux kamikazes ont frappé le marché de Bonne, dans l'extrême nord du pays.")
    places, _ = read_places(text, gazetteer, "fr")
    assert [m.text for m in places if not m.candidates] == ["Bossey", "Bonne"]


def test_every_language_compiles_its_place_words():
    for language in ("en", "fr"):
        words = place_words(language)
        assert words.stop_keys and words.common_keys and words.scene_before.pattern


@pytest.mark.parametrize("text, dateline", [
    ("BAMAKO, 20 août (AFP) - Au moins onze civils ont été tués.", "BAMAKO, 20 août (AFP) -"),
    ("Niamey, le 24 juin 2025 - Trois jours après l'attaque, les rescapés témoignent.", "Niamey, le 24 juin 2025 -"),
    ("OUAGADOUGOU, 1er mars (AFP) - Des hommes armés ont attaqué un village.", "OUAGADOUGOU, 1er mars (AFP) -"),
])
def test_day_first_datelines_are_the_reporters_place(text, dateline):
    start, end = dateline_span(text)
    assert text[start:end] == dateline


def test_the_agency_in_a_dateline_names_no_country(gazetteer):
    text = ("YAOUNDE, 5 octobre (Xinhua) -- Huit personnes ont été tuées au marché de Kolofata, dans "
            "l'Extrême-Nord du Cameroun, a appris Xinhua auprès des autorités.")
    places, focus = read_places(text, gazetteer, "fr")
    assert "CN" not in focus and "Xinhua" not in [m.text for m in places]


def test_where_someone_spoke_or_was_taken_is_not_the_scene(gazetteer):
    text = "Les soldats ont été attaqués à Tiloua, ont rapporté jeudi à Niamey des sources sécuritaires."
    [niamey] = [m for m in gazetteer.find_places(text, "fr") if m.text == "Niamey"]
    assert scene_rank(text, niamey, "fr") == 2


def test_place_words_inside_a_group_name_are_no_place(gazetteer):
    text = "Des combattants de l'État islamique au Sahel ont attaqué le poste de Tillia, au Niger."
    start = text.index("État")
    places, focus = read_places(text, gazetteer, "fr", [(start, text.index(" ont"))])
    assert [m.text for m in places] == ["Tillia", "Niger"] and set(focus) == {"NE"}


def test_two_towns_named_close_together_vouch_for_their_country(gazetteer):
    text = ("Deux hommes armés de couteaux ont pris des otages dans une église de Saint-Etienne-du-Rouvray, près de "
            "Rouen. Ils disaient agir pour venger les frappes en Irak et en Syrie.")
    places, focus = read_places(text, gazetteer, "fr")
    assert [m.text for m in places if m.kind == "city"] == ["Saint-Etienne-du-Rouvray", "Rouen"]
    assert focus["FR"] > 0


def test_an_unlisted_village_lies_at_the_town_of_the_district_it_is_in(gazetteer):
    from extractors.location import SceneSentence, choose_location

    text = "Des miliciens ont tué dix déplacés dans la plaine de Kalonga, dans le territoire de Djugu, en Ituri."
    places, focus = read_places(text, gazetteer, "fr")
    sentence = SceneSentence(0, len(text), 0, True)
    location, place = choose_location(text, [sentence], places, [], focus, gazetteer, "fr")
    assert (place.text, location.city, location.country, location.precision) == ("Kalonga", "Kalonga", "CD", "admin1")
    assert abs(location.lat - 1.92) < 0.1 and abs(location.lon - 30.50) < 0.1  # Djugu's point


def test_event_sentences_naming_no_place_take_the_scene_of_the_lines_above(gazetteer):
    from extractors.location import SceneSentence, choose_location

    first = "Vendredi matin, dans un lycée d'Arras, un homme a blessé deux enseignants. "
    text = first + "L'assaillant a été interpellé."
    places, focus = read_places(text, gazetteer, "fr")
    sentences = [SceneSentence(0, len(first), 0, False), SceneSentence(len(first), len(text), 1, True)]
    location, place = choose_location(text, sentences, places, [], focus, gazetteer, "fr")
    assert (location.city, location.country) == ("Arras", "FR")


@pytest.mark.parametrize("text, expected", [
    ("Une explosion a frappé la capitale burkinabè dimanche.", [("la capitale burkinabè", "Ouagadougou")]),
    ("Des tirs ont été entendus dans la capitale du Niger.", [("la capitale du Niger", "Niamey")]),
    ("Les écoles sont restées fermées dans la capitale du pays.", [("la capitale du pays", "Bamako")]),
    ("Les écoles sont restées fermées dans la capitale.", [("la capitale", "Bamako")]),
    ("Mopti, la capitale régionale, et Ségou, capitale économique, sont calmes.", []),
])
def test_french_capitals_named_by_role(gazetteer, text, expected):
    from extractors.place_phrases import capital_mentions

    mentions = gazetteer.find_places(text, "fr")
    found = capital_mentions(text, mentions, Counter({"ML": 3}), gazetteer, "fr")
    assert [(m.text, m.candidates[0].name) for m in found] == expected


def test_the_country_across_a_french_border_is_a_landmark(gazetteer):
    text = "Des hommes armés ont attaqué un poste près de la frontière malienne, au Niger."
    ranks = {m.text: scene_rank(text, m, "fr") for m in gazetteer.find_places(text, "fr")}
    assert ranks == {"malienne": 2, "Niger": 0}


def test_an_unlisted_village_a_short_way_from_a_town_takes_that_towns_point(gazetteer):
    from extractors.location import SceneSentence, choose_location

    text = ("L'embuscade a été tendue aux abords de la bourgade de Kourfa, à une vingtaine de kilomètres au sud de "
            "Bankilaré, dans la région de Tillabéri, au Niger.")
    places, focus = read_places(text, gazetteer, "fr")
    location, place = choose_location(text, [SceneSentence(0, len(text), 0, True)], places, [], focus, gazetteer, "fr")
    assert (place.text, location.country, location.precision) == ("Kourfa", "NE", "admin1")
    assert abs(location.lat - 14.58) < 0.05 and abs(location.lon - 0.73) < 0.05  # Bankilaré's point


def test_a_place_in_a_clause_dated_years_earlier_is_not_the_scene(gazetteer):
    text = "Le Burkina est en proie à des violences jihadistes nées quelques années plus tôt au Mali et au Niger."
    ranks = {m.text: scene_rank(text, m, "fr") for m in gazetteer.find_places(text, "fr")}
    assert ranks == {"Burkina": 1, "Mali": 2, "Niger": 2}


def test_a_town_followed_by_its_french_region_noun_is_a_town_even_in_an_unknown_region(gazetteer):
    text = "Des hommes armés ont tué des dizaines de civils à Kalsaka, dans la province du Yatenga, au Burkina Faso."
    places, _ = read_places(text, gazetteer, "fr")
    assert "Kalsaka" in [m.text for m in places if not m.candidates]


def test_a_french_town_placed_by_what_follows_its_comma(gazetteer):
    text = "Trois gendarmes ont été tués à Ben Guerdane, près de la frontière libyenne, dans le sud de la Tunisie"
    places, _ = read_places(text, gazetteer, "fr")
    assert [m.text for m in places if not m.candidates] == ["Ben Guerdane"]


def test_an_adjective_may_stand_between_a_french_place_noun_and_its_de(gazetteer):
    text = "L'attaque contre la base militaire de Tabankort, dans le nord du Niger, a fait dix morts."
    places, _ = read_places(text, gazetteer, "fr")
    [town] = [m for m in places if not m.candidates]
    assert town.text == "Tabankort" and scene_rank(text, town, "fr") == 0


def test_a_town_named_by_a_settlement_noun_stays_the_town_though_a_department_bears_its_name(gazetteer):
    from extractors.location import SceneSentence, choose_location

    lead = ("Quatre gendarmes ont été tués lors d'une attaque contre leur poste dans la localité de Bosso, "
            "département de Bosso, région de Diffa. ")
    text = lead + "Les assaillants sont repartis vers le lac, a précisé un officier joint par téléphone à Diffa."
    places, focus = read_places(text, gazetteer, "fr")
    sentences = [SceneSentence(0, len(lead), 0, True), SceneSentence(len(lead), len(text), 0, True)]
    location, place = choose_location(text, sentences, places, [], focus, gazetteer, "fr")
    assert (location.city, location.country) == ("Bosso", "NE")


def test_where_a_source_was_reached_by_phone_is_not_the_scene(gazetteer):
    text = "Le poste a été attaqué dans la nuit, a indiqué un élu joint par téléphone à Diffa."
    [diffa] = [m for m in gazetteer.find_places(text, "fr") if m.text == "Diffa"]
    assert scene_rank(text, diffa, "fr") == 2


@pytest.mark.parametrize("text, town", [
    ("Des hommes armés ont tué neuf paysans à Kabrousso, un village distant de dix kilomètres de la frontière.",
     "Kabrousso"),
    ("Une kamikaze s'est fait exploser chez le chef de Kouyapé, petit village camerounais proche du lac.", "Kouyapé"),
    ("Cette nuit, à Mabalako-Sud, à l'ouest de Mangina, des rebelles ont tué huit cultivateurs.", "Mabalako-Sud"),
])
def test_french_appositions_and_directions_after_a_comma_name_unlisted_towns(gazetteer, text, town):
    places, _ = read_places(text, gazetteer, "fr")
    assert town in [m.text for m in places if not m.candidates]


def test_a_name_put_twice_after_a_place_preposition_is_an_unlisted_town(gazetteer):
    text = ("Burkina : des dizaines de civils tués à Koumbadougou\nA Koumbadougou, des hommes armés ont ouvert le feu "
            "sur des habitants. Les assaillants, liés à Al-Qaida, ont fui. Des renforts sont arrivés à Kalgo.")
    places, _ = read_places(text, gazetteer, "fr", [(text.index("Al-Qaida"), text.index(", ont fui"))])
    assert [m.text for m in places if not m.candidates] == ["Koumbadougou", "Koumbadougou"]


def test_where_the_rulers_sit_is_not_the_scene(gazetteer):
    text = "Des villageois ont été tués, selon la junte au pouvoir à Ouagadougou."
    [capital] = [m for m in gazetteer.find_places(text, "fr") if m.text == "Ouagadougou"]
    assert scene_rank(text, capital, "fr") == 2


def test_the_media_telling_the_story_and_the_country_across_a_border_do_not_make_its_country(gazetteer):
    text = ("Des hommes armés ont tué huit villageois à Sanbakoro, près de la frontière malienne, selon la presse "
            "française. Au Burkina Faso, les attaques se multiplient.")
    places, focus = read_places(text, gazetteer, "fr")
    assert "française" not in [m.text for m in places] and set(focus) == {"BF"}
