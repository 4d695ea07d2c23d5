"""French casualty counts from invented wire-style sentences: the English rules reading the French word sets
(words/counts.toml, words/numbers.toml) through a Universal Dependencies parse."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract
from extractors.numbers import number_value
from extractors.schema import Article


@pytest.fixture(scope="module")
def nlp_fr():
    from extractors import load_nlp

    return load_nlp("fr")


def counts(nlp, sentence: str) -> set[tuple[str, int, str]]:
    doc = nlp(sentence)
    return {(m.kind, m.count.value, m.count.qualifier) for m in doc._.newswatch_casualties if not m.subset}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Au moins 12 civils ont été tués samedi dans le village de Sollé.", {("killed", 12, "at_least")}),
    ("L'embuscade a fait 9 morts et 4 blessés parmi les gendarmes.",
     {("killed", 9, "exact"), ("injured", 4, "exact")}),
    ("L'explosion a fait une dizaine de blessés dans le marché.", {("injured", 10, "about")}),
    ("Une quarantaine de personnes ont été tuées dans l'assaut.", {("killed", 40, "about")}),
    ("Vingt-sept soldats ont perdu la vie dans l'attaque du poste.", {("killed", 27, "exact")}),
    ("Plus de 30 villageois ont péri lors de l'incursion.", {("killed", 30, "more_than")}),
    ("Près de 15 personnes ont été blessées par balles.", {("injured", 15, "about")}),
    ("Les assaillants ont coûté la vie à 8 gendarmes.", {("killed", 8, "exact")}),
    ("Des hommes armés ont ouvert le feu, tuant 6 fidèles et en blessant 11 autres.",
     {("killed", 6, "exact"), ("injured", 11, "exact")}),
    ("Un kamikaze a déclenché sa charge, faisant trois morts et un blessé.",
     {("killed", 3, "exact"), ("injured", 1, "exact"), ("attackers", 1, "exact")}),
    ("Le bilan s'est alourdi à dix-huit morts lundi.", {("killed", 18, "exact")}),
    ("L'assaut a fait quatre-vingt-dix morts selon la mairie.", {("killed", 90, "exact")}),
    ("L'un des trois gendarmes blessés lundi à Kaya a succombé mardi.", {("killed", 1, "exact")}),
    ("Vingt et un civils ont été massacrés par des hommes armés.", {("killed", 21, "exact")}),
    ("Le tireur a tué trois de ses collègues ainsi que deux passants.",
     {("killed", 5, "exact"), ("attackers", 1, "exact")}),
    ("Jeudi soir, à Sfax, un policier a tué deux commerçants venus livrer au marché central, ainsi que trois de ses "
     "collègues, avant d'être lui-même abattu.", {("killed", 5, "exact")}),
    ("L'explosion n'a fait aucun blessé.", {("injured", 0, "exact")}),
    ("Dix-sept personnes sont mortes et vingt-quatre ont été blessées.",
     {("killed", 17, "exact"), ("injured", 24, "exact")}),
    ("Cent vingt personnes ont été tuées dans le massacre.", {("killed", 120, "exact")}),
    ("D'après le maire, 9 civils ont été tués.", {("killed", 9, "exact")}),
    ("Cinq militaires ont été tués et plusieurs autres blessés.", {("killed", 5, "exact")}),
    # "N autres" and the harm word, which the parser may leave off the number: still the number's own
    ("Dix-neuf personnes, dont cinq policiers, ont été tuées et douze autres blessées lors d'une attaque contre un "
     "poste de police à Tillabéri.", {("killed", 19, "exact"), ("injured", 12, "exact")}),
    ("Neuf personnes, dont un enfant, ont été tuées et douze autres blessées dimanche dans l'attaque d'un marché.",
     {("killed", 9, "exact"), ("injured", 12, "exact")}),
    # ... and the number before it makes the first figure no total of dead and wounded together
    ("Huit civils ont été tués et douze autres blessés dans l'explosion.",
     {("killed", 8, "exact"), ("injured", 12, "exact")}),
    # the buildings attacked are no victims
    ("Un double attentat contre deux églises de Maroua a fait plus de 30 morts.", {("killed", 30, "more_than")}),
    ("Entre 20 et 30 civils ont été tués.", {("killed", 30, "about")}),
    ("Entre 20 et 25 civils ont été tués.", {("killed", 25, "about")}),
    # Estimates far apart, or closing on a vague amount, agree only on their lower bound.
    ("De 20 à 40 personnes ont péri.", {("killed", 20, "at_least")}),
    ("Selon des sources locales, entre 60 et 150 villageois ont péri dans l'assaut.", {("killed", 60, "at_least")}),
    ("Les estimations du bilan vont de cent à plusieurs centaines de morts.", {("killed", 100, "at_least")}),
    # A death noun with one person after it, and the wounded sent to a place of care.
    ("Le gouverneur a fait état de la mort d'un gendarme.", {("killed", 1, "exact")}),
    ("Au moins 35 personnes ont dû être évacuées vers le centre de santé de Djibo.", {("injured", 35, "at_least")}),
    ("Une vingtaine de blessés ont été transférés vers le centre hospitalier régional.", {("injured", 20, "about")}),
    # Between life and death is gravely wounded; a quote mark between the article and the victim word.
    ("Deux gendarmes sont entre la vie et la mort.", {("injured", 2, "exact")}),
    ("Grièvement atteint, un fidèle serait entre la vie et la mort.", {("injured", 1, "exact")}),
    ("Le préfet a indiqué qu'il y avait un « blessé grave ».", {("injured", 1, "exact")}),
])
def test_french_numbers_attach_to_killed_or_injured(nlp_fr, sentence, expected):
    assert counts(nlp_fr, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Le village compte 1 200 habitants, à 30 kilomètres de la frontière.",
    "Le commerçant, âgé de 45 ans, a été interrogé par les gendarmes.",
    "Des dizaines de maisons ont été incendiées le 14 mars.",
    "Ces hommes avaient péri sous des frappes sur la route nationale 3, près de Kaya.",
    # A role noun after a preposition is a manner ("en civil"); "un massacre" names no victim.
    "Des photos montrent des corps sans vie vêtus en civil au bord de la route.",
    "Les habitants ont dénoncé un massacre.",
    # a conflict's toll told in a relative clause, as wire copy closes its reports
    "Le Niger est confronté depuis 2015 à une insurrection jihadiste qui a fait des milliers de morts.",
    "Le pays fait face à des violences intercommunautaires qui ont fait plus de 3.000 morts depuis 2019.",
])
def test_french_numbers_that_are_not_tolls(nlp_fr, sentence):
    assert {kind for kind, _, _ in counts(nlp_fr, sentence)} <= {"attackers"}


def test_neutralised_or_shot_attackers_are_not_victims(nlp_fr):
    found = counts(nlp_fr, "Dix assaillants ont été abattus par les militaires après l'attaque du poste.")
    assert ("killed", 10, "exact") not in found
    assert ("attackers", 10, "exact") in found
    armed = counts(nlp_fr, "Deux hommes armés ont été abattus par les VDP.")
    assert not any(kind == "killed" for kind, _, _ in armed)


def test_attackers_counted_in_a_toll_are_taken_out(nlp_fr):
    main = _main(nlp_fr, "Un kamikaze s'est fait exploser lundi sur le marché de Kolofata, dans l'Extrême-Nord du "
                         "Cameroun. L'attentat a fait au moins 4 morts, dont le kamikaze, selon une source militaire.")
    assert main is not None and main.killed is not None and main.killed.value == 3


def test_a_part_of_the_dead_is_a_subset(nlp_fr):
    doc = nlp_fr("L'attaque a fait 12 morts, dont trois enfants.")
    assert {(m.count.value, m.subset) for m in doc._.newswatch_casualties if m.kind == "killed"} == {(12, False), (3, True)}


@pytest.mark.parametrize(("pieces", "value"), [
    (["vingt", "sept"], 27), (["quatre", "vingt", "dix"], 90), (["deux", "cents"], 200), (["10.000"], 10000),
    (["trois", "mille"], 3000), (["soixante", "et", "onze"], 71), (["beaucoup"], None),
])
def test_french_number_words(pieces, value):
    assert number_value(pieces, "fr") == value


def _main(nlp, text: str):
    article = Article(id="f1", text=text, published=dt.datetime(2024, 3, 6), language="fr")
    return extract(article, nlp).main


def test_a_pluperfect_toll_is_an_earlier_attack(nlp_fr):
    main = _main(nlp_fr, "Des hommes armés ont attaqué mardi le village de Sollé, dans le nord du Burkina Faso, "
                         "tuant au moins neuf civils, selon des sources locales.\n"
                         "En janvier, une attaque contre un village voisin avait fait 40 morts.")
    assert main is not None and main.killed is not None and main.killed.value == 9


def test_a_later_toll_raises_the_first(nlp_fr):
    main = _main(nlp_fr, "Des jihadistes ont attaqué lundi un poste de gendarmerie à Tessit, dans le nord-est du "
                         "Mali, tuant six gendarmes.\n"
                         "Le bilan s'est alourdi mardi à onze morts, a indiqué une source sécuritaire.")
    assert main is not None and main.killed is not None and main.killed.value == 11


def test_a_total_over_a_period_is_not_the_toll(nlp_fr):
    main = _main(nlp_fr, "Des hommes armés ont attaqué dimanche un convoi près de Djibo, dans le nord du Burkina "
                         "Faso, tuant quatre soldats, selon une source sécuritaire.\n"
                         "Les groupes jihadistes ont fait plus de 2 000 morts dans la province depuis janvier 2019.")
    assert main is not None and main.killed is not None and main.killed.value == 4


def test_a_part_of_the_people_attacked_is_the_toll_when_no_total_is_given(nlp_fr):
    main = _main(nlp_fr, "Des assaillants ont attaqué mardi soir la position de gendarmes à Tera, dans l'ouest du "
                         "Niger, tuant au moins sept d'entre eux, ont rapporté des sources concordantes.")
    assert main is not None and main.killed is not None and main.killed.value == 7


def test_a_sentence_run_on_into_the_next_paragraph_keeps_its_own_toll(nlp_fr):
    """The French parser may run a sentence on across a paragraph break; the next paragraph's "Depuis 2015"
    must not make the toll before it a recap."""
    from extractors.furniture import story_of
    from extractors.pipeline import read_article

    text = ("Des hommes armés ont attaqué jeudi soir le village de Sollé, près de Djibo, tuant une dizaine de "
            "civils, a indiqué un élu local.\n"
            "Un habitant a pour sa part avancé un bilan de treize morts.\n"
            "Depuis 2015, le pays est confronté à des attaques jihadistes qui ont fait des milliers de morts.")
    story = story_of(text)
    doc = nlp_fr.make_doc(story.text)
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].whitespace_ or "\n" in doc[token.i - 1].text:
            token.is_sent_start = token.text != "Depuis"
    for _, component in nlp_fr.pipeline:
        doc = component(doc)
    assert any("\n" in sentence.text.strip() for sentence in doc.sents)  # the run-on the test is about
    main = read_article(Article(id="p", text=text, language="fr"), doc, story).main
    assert main is not None and main.killed is not None and main.killed.value == 13


def test_the_subject_of_a_verb_without_object_is_a_victim_whatever_hangs_on_it():
    """A parse that hangs the statement's source on "succombé" as its object ("..., a annoncé le parquet")
    must not make the officer who died his own killer."""
    import spacy
    from spacy.tokens import Doc

    from extractors.casualties import find_casualties

    words = ["Un", "policier", "a", "succombé", "le", "parquet", "."]
    doc = Doc(spacy.blank("fr").vocab, words=words, heads=[1, 3, 3, 3, 5, 3, 3],
              deps=["det", "nsubj", "aux", "ROOT", "det", "dobj", "punct"],
              tags=["DT", "NN", "VBZ", "VBN", "DT", "NN", "."], sent_starts=[True] + [False] * 6)
    assert [(m.kind, m.count.value) for m in find_casualties(doc)] == [("killed", 1)]


def test_a_toll_over_several_attacks_does_not_raise_the_toll(nlp_fr):
    main = _main(nlp_fr, "Des hommes armés ont attaqué mardi le village de Sollé, dans le nord du Burkina Faso, "
                         "tuant au moins neuf civils, selon des sources locales.\n"
                         "Au moins 70 personnes ont été tuées ces dernières semaines lors de plusieurs raids "
                         "jihadistes dans la région.")
    assert main is not None and main.killed is not None and main.killed.value == 9


def test_a_ranked_victim_is_the_toll_so_far(nlp_fr):
    assert counts(nlp_fr, "Un troisième gendarme a succombé à ses blessures dimanche.") == {("killed", 3, "exact")}
