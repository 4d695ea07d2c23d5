"""Casualty counts from invented sentences: numbers attach to the right verb, and non-counts never do."""

from __future__ import annotations

import pytest

from extractors.casualties import find_casualties
from extractors.numbers import number_value


def counts(nlp, sentence: str) -> set[tuple[str, int, str]]:
    doc = nlp(sentence)
    return {(m.kind, m.count.value, m.count.qualifier) for m in doc._.newswatch_casualties if not m.subset}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Gunmen killed at least 59 people in an assault on a police camp, officials said Tuesday.",
     {("killed", 59, "at_least")}),
    ("The bloodshed also left more than 100 people injured.", {("injured", 100, "more_than")}),
    ("A bomber blew himself up at a market, killing 12 people and wounding dozens more.",
     {("killed", 12, "exact"), ("injured", 24, "about"), ("attackers", 1, "exact")}),
    ("At least 14 people were killed and more than 30 injured when a car bomb exploded.",
     {("killed", 14, "at_least"), ("injured", 30, "more_than")}),
    ("Scores of people were wounded in the blast.", {("injured", 40, "about")}),
    ("Hundreds of people were hurt in the stampede that followed the explosion.", {("injured", 200, "about")}),
    ("Twenty-five people died in the attack, which injured a dozen others.",
     {("killed", 25, "exact"), ("injured", 12, "exact")}),
    ("About a dozen people were hurt.", {("injured", 12, "about")}),
    ("The blast left 10 dead and 25 wounded.", {("killed", 10, "exact"), ("injured", 25, "exact")}),
    ("Five people were confirmed dead and 40 hospitalized.", {("killed", 5, "exact"), ("injured", 40, "exact")}),
    ("Two policemen lost their lives in the ambush.", {("killed", 2, "exact")}),
    ("The bombing claimed the lives of 12 people.", {("killed", 12, "exact")}),
    ("Rebels hacked and shot dead a dozen villagers.", {("killed", 12, "exact")}),
])
def test_numbers_attach_to_killed_or_injured(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The assault, involving at least three attackers, lasted hours.", {("attackers", 3, "at_least")}),
    ("Three attackers were also killed by security forces.",
     {("attackers", 3, "exact"), ("attackers_killed", 3, "exact")}),
    ("A suicide bomber on a motorcycle rammed into a police van, killing nine officers.",
     {("attackers", 1, "exact"), ("killed", 9, "exact")}),
])
def test_attackers_are_counted_apart_from_victims(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("A senior police officer and his guard were shot dead.", {("killed", 2, "exact")}),
    ("The blast killed six troopers and a driver.", {("killed", 7, "exact")}),
    ("A car bomb killed a senior official, along with three of his bodyguards.", {("killed", 4, "exact")}),
    ("Ortega and a bodyguard died at the scene.", {("killed", 2, "exact")}),
    ("Gunmen abducted four employees and shot dead their driver.", {("killed", 1, "exact")}),
])
def test_victims_named_one_by_one_are_added_up(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("No one was hurt in the fire.", {("killed", 0, "exact"), ("injured", 0, "exact")}),
    ("No one was killed in the blast.", {("killed", 0, "exact")}),
    ("There were no casualties, police said.", {("killed", 0, "exact"), ("injured", 0, "exact")}),
    ("No officers were killed.", {("killed", 0, "exact")}),
])
def test_zero_casualties(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Quetta is just 150 miles from the city of Kandahar.",
    "A 25-year-old man was arrested at 10:30 p.m. with $5,000 in cash.",
    "Police said two of the dead were children aged 9 and 12.",
    "Dozens of militant groups have emerged from the border area.",
    "Mayor Arturo Ruiz, 52, was driving back to the town hall.",
    "The attack happened on March 31 near the market.",
    "Mexican authorities arrested two men over the killing of the mayor.",
    "A man armed with a knife killed a passer-by.",
])
def test_ages_distances_money_dates_agents_and_references_are_not_tolls(nlp, sentence):
    assert not {c for c in counts(nlp, sentence) if c[0] in ("killed", "injured") and c[1] > 1}


def test_the_killer_is_not_a_victim(nlp):
    assert counts(nlp, "A man armed with a knife killed one person and wounded three others.") == {
        ("killed", 1, "exact"), ("injured", 3, "exact")}


def test_year_before_a_noun_is_not_a_count(nlp):
    assert counts(nlp, "The 2008 Mumbai attacks killed 166 people.") == {("killed", 166, "exact")}


def test_toll_revisions_are_marked_as_updates(nlp):
    doc = nlp("The death toll rose to 14 on Sunday, police said.")
    [mention] = doc._.newswatch_casualties
    assert (mention.kind, mention.count.value, mention.update) == ("killed", 14, True)


def test_parts_of_a_total_are_marked_as_subsets(nlp):
    doc = nlp("The bombing killed 12 people, including three children.")
    flagged = {(m.count.value, m.subset) for m in doc._.newswatch_casualties}
    assert flagged == {(12, False), (3, True)}


def test_find_casualties_matches_the_component(nlp):
    doc = nlp("At least 14 people were killed.")
    assert find_casualties(doc) == doc._.newswatch_casualties


@pytest.mark.parametrize(("words", "value"), [
    (["twenty", "five"], 25), (["two", "dozen"], 24), (["1,200"], 1200), (["one", "hundred", "twenty"], 120),
    (["three", "thousand"], 3000), (["many"], None),
])
def test_number_words(words, value):
    assert number_value(words) == value
