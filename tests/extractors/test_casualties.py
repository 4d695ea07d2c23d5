"""Casualty counts from invented sentences: numbers attach to the right verb, non-counts never do, and an
incident gets the highest current toll its article states."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract
from extractors.casualties import find_casualties
from extractors.numbers import number_value
from extractors.schema import Count


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
    ("Between 20 and 30 people were killed and 12 injured.", {("killed", 30, "about"), ("injured", 12, "exact")}),
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


def test_a_part_of_the_wounded_is_not_a_second_group(nlp):
    found = counts(nlp, "A woman died of her wounds, and one of the four injured remained in serious condition.")
    assert ("injured", 4, "exact") in found and ("injured", 5, "exact") not in found


@pytest.mark.parametrize("sentence", [
    "Traders described the sell-off as a massacre on Monday.",
    "It was a bit of a massacre in the end, the captain said.",
])
def test_a_word_for_killing_is_no_victim(nlp, sentence):
    assert not {c for c in counts(nlp, sentence) if c[0] in ("killed", "injured")}


def test_year_before_a_noun_is_not_a_count(nlp):
    assert counts(nlp, "The 2008 Mumbai attacks killed 166 people.") == {("killed", 166, "exact")}


def test_vague_amounts_are_marked(nlp):
    doc = nlp("Dozens of people were hurt and 14 were killed when the bomb went off.")
    assert {(m.kind, m.count.value, m.vague) for m in doc._.newswatch_casualties} == {
        ("injured", 24, True), ("killed", 14, False)}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("A hospital official said 30 to 35 people had died.", {("killed", 35, "about")}),
    ("One or two guards were hurt.", {("injured", 2, "about")}),
    # Estimates far apart agree only on their lower bound.
    ("Officials said between 40 and 100 people were killed.", {("killed", 40, "at_least")}),
    ("The death toll rose from 12 to 19 overnight.", {("killed", 12, "exact"), ("killed", 19, "exact")}),
])
def test_a_range_counts_as_its_upper_bound(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The 12 people martyred in the blast included a local councillor.", {("killed", 12, "exact")}),
    ("The massacre of 31 villagers shocked the province.", {("killed", 31, "exact")}),
    ("Security sources said the death toll was at least 31.", {("killed", 31, "at_least")}),
    ("About six others, who suffered gunshot wounds, were treated at the scene.", {("injured", 6, "about")}),
    ("The blast left over 80 others with injuries.", {("injured", 80, "more_than")}),
    ("At least 27 people were admitted to Kenyatta Hospital.", {("injured", 27, "at_least")}),
    ("Rescue 1122 teams took the victims to hospital.", set()),
])
def test_death_and_injury_phrasings(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("More than 60 people were killed and injured in the blast.", set()),
    ("In each village two or three people were either hurt or killed.", set()),
    ("Nine people were killed and 14 injured in the blast.", {("killed", 9, "exact"), ("injured", 14, "exact")}),
    ("The bombing has killed at least 40 people and injured over 90.",
     {("killed", 40, "at_least"), ("injured", 90, "more_than")}),
])
def test_one_figure_for_dead_and_wounded_together_is_neither(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


@pytest.mark.parametrize("sentence", [
    "More than 3,000 people have died in the insurgency, which began in 2012.",
    "The conflict, now in its eighth year, has killed more than 12,000 people.",
])
def test_the_toll_of_a_war_is_not_a_toll(nlp, sentence):
    assert counts(nlp, sentence) == set()


def test_wounded_people_coordinated_with_bodies_are_not_added_to_the_dead(nlp):
    assert counts(nlp, "Rescuers found at least 30 bodies and scores of wounded people.") == {
        ("killed", 30, "at_least"), ("injured", 40, "about")}


def test_counts_are_not_added_up_across_a_headline_line_break(nlp):
    found = counts(nlp, "Market blast\n9 dead, 30 hurt\nBy STAFF REPORTER\n\nFour police officers were hurt "
                        "in the blast.")
    assert ("injured", 34, "exact") not in found
    assert ("injured", 30, "exact") in found


@pytest.mark.parametrize("sentence", [
    "We have nine dead at the market, the bomber included, a police officer said.",
    "Two soldiers and three attackers were also counted in the toll.",
])
def test_attackers_counted_in_the_toll_are_marked(nlp, sentence):
    doc = nlp(sentence)
    assert [m.subset for m in doc._.newswatch_casualties if m.kind == "attackers"] == [True]


def test_attackers_named_without_a_toll_are_not_marked(nlp):
    doc = nlp("The attackers included two women, police said.")
    assert not any(m.subset for m in doc._.newswatch_casualties if m.kind == "attackers")


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


def main_counts(nlp, make_article, text: str) -> tuple[Count | None, Count | None]:
    main = extract(make_article(text), nlp).main
    return main.killed, main.injured


@pytest.mark.parametrize(("text", "killed"), [
    ("Gunmen attacked a bus station in the town of Mubi on Monday, killing at least 10 people, police said.\n\n"
     "A district official later gave a higher figure: at least 19 people were killed.",
     Count(value=19, qualifier="at_least")),
    ("Dozens killed in Mubi market bombing\n\nAt least 18 people were killed when a bomb exploded in a "
     "market in the town of Mubi on Monday, police said.", Count(value=18, qualifier="at_least")),
    ("15 hostages dead in Mubi hotel siege\n\nGunmen who stormed a hotel in the town of Mubi killed 15 hostages "
     "and three police officers before troops ended the siege on Monday, police said.", Count(value=18)),
    ("A suicide bomber blew himself up at a checkpoint in the town of Mubi on Monday, police said.\n\n"
     "\"We have nine dead at the checkpoint, the bomber included,\" a police officer said.", Count(value=8)),
    ("A man drove a truck into a crowd at a street market in the town of Ghent on Monday. Five people, "
     "including the attacker, died at the scene, police said.", Count(value=4)),
])
def test_the_highest_current_toll_of_the_main_incident(nlp, make_article, text, killed):
    assert main_counts(nlp, make_article, text)[0] == killed


@pytest.mark.parametrize("text", [
    # A figure next to an earlier incident ...
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "The market lies near the site of the March 2019 bombing, in which 40 people were killed."),
    # ... the perpetrators' own claim ...
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "The Islamic State group claimed responsibility in a statement, saying 30 soldiers had been killed."),
    # ... an early figure ...
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "At first, state media said that 11 people had died in the blast."),
    # ... and other attacks, the same day or a while ago, never raise the toll.
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "Earlier in the day, a roadside bomb near the town of Gwoza left 14 soldiers dead."),
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "It came on the same day that a roadside bomb near the town of Gwoza killed 14 soldiers."),
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "Residents blamed the same gang for the deaths of 22 farmers near Gwoza about a fortnight ago."),
    # ... nor the other side of a comparison, a series of attacks, or a sentence about another town.
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "It was the deadliest attack in the region since the bombing of a bus station, which killed 40 people."),
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "The region has been hit by a wave of bombings that has killed more than 200 people."),
    ("A bomb exploded at a market in the town of Mubi on Monday, killing six people, police said.\n\n"
     "Residents recalled the bus station bombing in Maiduguri, where 40 people were killed."),
])
def test_figures_that_do_not_raise_the_toll(nlp, make_article, text):
    assert main_counts(nlp, make_article, text)[0] == Count(value=6)


def test_without_a_publication_date_a_year_marks_a_recap(nlp, make_article):
    text = ("Gunmen attacked a police post in the town of Mubi early on Tuesday, killing six officers.\n\n"
            "In 2015, militants killed at least 20 people in an attack on a hotel in the same town.")
    assert extract(make_article(text, published=None), nlp).main.killed == Count(value=6)


def test_a_claimed_attack_keeps_the_toll_stated_in_its_relative_clause(nlp, make_article):
    text = ("A bomb exploded at a market in the town of Mubi on Monday, killing eight people, police said.\n\n"
            "The Islamic State group claimed the bombing, which killed 12 people.")
    assert main_counts(nlp, make_article, text)[0] == Count(value=12)


def test_injuries_told_in_another_sentence(nlp, make_article):
    text = ("Gunmen opened fire on worshippers at a mosque in the town of Mubi on Friday, killing five people, "
            "police said.\n\nMore than 40 people were taken to hospital with injuries.")
    assert main_counts(nlp, make_article, text) == (Count(value=5), Count(value=40, qualifier="more_than"))


@pytest.mark.parametrize("published", [None, dt.date(2024, 3, 13)])
def test_a_recap_after_the_lead_never_gives_the_first_figure(nlp, make_article, published):
    text = ("A gunman opened fire outside a synagogue in the city of Verlo on Monday, killing two people and "
            "wounding others, police said.\n\nThe attacker was arrested at the scene.\n\n"
            "In 2009, two men attacked the same synagogue, killing one worshipper and injuring 14.")
    killed, injured = main_counts(nlp, lambda t: make_article(t, published=published), text)
    assert killed == Count(value=2, qualifier="exact")
    assert injured is None


def test_a_paragraph_opened_by_an_earlier_date_is_a_recap(nlp, make_article):
    text = ("Gunmen stormed a police post in the town of Dorsa early on Tuesday, killing three officers, the "
            "provincial police chief said.\n\nIt was the third attack on a police post in the province. Earlier "
            "ones include:\n\nJune 2, 2011: rebels raided the barracks at Kesso. A long gunfight followed in "
            "which nine raiders were shot dead and 31 people, six officers among them, were injured.")
    killed, injured = main_counts(nlp, make_article, text)
    assert killed == Count(value=3, qualifier="exact")
    assert injured is None


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The shooting, which began in Marlow Park, a garden near the harbour, at 9pm on Friday night, left four "
     "people dead and two badly hurt.", {("killed", 4, "exact"), ("injured", 2, "exact")}),
    ("The ambush left two soldiers dead and four critically injured.",
     {("killed", 2, "exact"), ("injured", 4, "exact")}),
])
def test_a_bare_number_takes_the_harm_word_right_after_it(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


def test_a_higher_toll_in_the_headline_is_the_current_one(nlp, make_article):
    text = ("A car bomb exploded outside a busy bus terminal in the town of Verlo on Tuesday, killing at least "
            "five people and wounding others, police said.\n\nThe blast shattered windows across the square.")
    article = make_article(text, title="Verlo bus terminal bombing leaves 12 dead, 40 wounded")
    main = extract(article, nlp).main
    assert (main.killed, main.injured) == (Count(value=12, qualifier="exact"), Count(value=40, qualifier="exact"))
    assert not any(e.field in ("killed", "injured") for e in main.evidence)


def test_a_headline_toll_counting_the_attackers_in_does_not_raise(nlp, make_article):
    text = ("Gunmen stormed a hotel in the city of Dorsa on Friday. Police said four of the gunmen and three "
            "guests died in the siege, which ended at dawn.")
    article = make_article(text, title="Seven dead in Dorsa hotel siege")
    assert extract(article, nlp).main.killed == Count(value=3, qualifier="exact")


def test_a_lower_headline_toll_leaves_the_story_s_toll(nlp, make_article):
    text = ("Gunmen attacked a village in the district of Kesso on Sunday, killing 23 people, officials said.")
    article = make_article(text, title="Gunmen kill 9 in Kesso village raid")
    assert extract(article, nlp).main.killed == Count(value=23, qualifier="exact")


def test_a_part_among_a_counted_total(nlp):
    doc = nlp("Stadium shooting: four children among eleven people killed")
    assert {(m.count.value, m.subset) for m in doc._.newswatch_casualties} == {(4, True), (11, False)}


def test_attackers_counted_as_a_part_of_the_attackers(nlp):
    assert counts(nlp, "Police said three of the gunmen and two guests died in the siege.") == {
        ("attackers", 3, "exact"), ("attackers_killed", 3, "exact"), ("killed", 2, "exact")}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Mine blast death toll jumps to 31, with dozens more injured", {("killed", 31, "exact"), ("injured", 24, "about")}),
    ("Hotel siege death toll reaches 52, with 80 others hurt", {("killed", 52, "exact"), ("injured", 80, "exact")}),
    ("Wounded toll from market bombing climbs to 140", {("injured", 140, "exact")}),
    ("Injury toll in stadium attack rises to 65", {("injured", 65, "exact")}),
])
def test_headline_toll_verbs_in_the_present(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected


def test_only_people_are_added_to_a_coordinated_count(nlp):
    """The parser may coordinate the event noun with the victims ("standoff ... and 12 individuals")."""
    found = counts(nlp, "A bloody standoff ensued in which five of the raiders were shot dead and 12 individuals, "
                        "three guards among them, were injured.")
    assert ("injured", 12, "exact") in found
    assert ("injured", 13, "exact") not in found


@pytest.mark.parametrize(("sentence", "expected"), [
    # the present participle of a death verb, as Pakistani copy writes it
    ("Militants stormed the checkpoint, martyring three policemen and a driver.", {("killed", 4, "exact")}),
    # a dead victim ranked after an indefinite article is the toll so far; a wounded one ranks all the victims
    ("A third soldier died overnight from injuries he suffered in the ambush.", {("killed", 3, "exact")}),
    ("A third guard, shot in the leg, was wounded.", {("injured", 1, "exact")}),
    # any other single victim counts one
    ("The second officer died in hospital.", {("killed", 1, "exact")}),
])
def test_martyring_and_a_ranked_victim(nlp, sentence, expected):
    assert counts(nlp, sentence) == expected
