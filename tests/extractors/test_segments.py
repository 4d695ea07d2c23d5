"""The attack's day (attack_day.choose_main_date) on invented reports published on Wednesday 6 March 2024."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract

SUNDAY, MONDAY, TUESDAY = dt.date(2024, 3, 3), dt.date(2024, 3, 4), dt.date(2024, 3, 5)


def main_date(nlp, make_article, text: str) -> dt.date | None:
    result = extract(make_article(text), nlp)
    assert result.is_attack_report
    return result.main.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the date of the statement is not the attack's
        ("Police said on Wednesday that gunmen killed five traders at a market in Bannu late on Tuesday.", TUESDAY),
        ("A suicide bomber killed 12 people at a mosque in Bannu. The Islamic State claimed the attack on "
         "Wednesday.", None),
        ("A suicide bomber killed 12 people at a mosque in Bannu. The group claimed responsibility for the attack "
         "on Wednesday.", None),
        # ... except as the last resort: a lead dated only by its statement tells that day's attack
        ("A bomb killed five people at a market in Bannu, according to police on Tuesday.", TUESDAY),
        ("Gunmen killed nine villagers in Zamfara state, authorities said Monday.", MONDAY),
        ("Gunmen killed nine villagers in Zamfara state.\n\nSpeaking on Monday to reporters, the governor urged "
         "calm.", MONDAY),
        # ... never when the lead calls the attack earlier, nor for a claim, denial or blame
        ("Gunmen killed nine villagers in Zamfara state over the weekend, authorities said Monday.", None),
        ("Gunmen who killed nine villagers in Zamfara state last week have fled, police said on Tuesday.", None),
        ("The Taliban denied on Tuesday that they carried out a bombing at a market in Bannu that killed five.", None),
        ("The Taliban denied on Tuesday that they carried out the bombing that killed five people at a market in "
         "Bannu.", None),
        # ... but a reporting verb before "Monday's attack" does not take the attack's own day
        ("Police said Monday's attack killed five people at a market in Bannu.", MONDAY),
        ("The governor condemned the bombing on Tuesday. A suicide bomber killed 12 people at a mosque in Bannu "
         "on Monday.", MONDAY),
        # the aftermath is not the attack
        ("Gunmen killed six farmers in Katsina state. The funeral was held on Tuesday.", None),
        ("A bomb killed four people at a bus station in Bannu. Two of the wounded died on Tuesday.", None),
        # ... but a death in the lead is the attack's
        ("Five people died on Monday when a bomb exploded at a bus station in Bannu.", MONDAY),
        # ... and so is a death with a clause telling the attack, further down too
        ("Gunmen attacked a bus station in Bannu. Seven people died on Monday when a bomb went off among the "
         "passengers.", MONDAY),
        # a day the statement or the story runs to ends a span and is nobody's event
        ("Gunmen killed nine people at a hotel in Kismayo. Into Tuesday, it was unclear whether the gunmen had "
         "fled.", None),
        # a day "after the attack" is the aftermath's
        ("A suicide bomber killed 12 people at a concert in Lyon. The president, on Monday after the attack, declared "
         "a state of emergency.", None),
        # ... but a killing's day stays the attack's
        ("Gunmen killed five soldiers on Monday after an ambush on their convoy near Tank.", MONDAY),
        # "it happened" stands for the attack just told
        ("A suicide bomber killed 12 people at a concert hall in Lyon. It happened on Monday night during a show.",
         MONDAY),
        # the date hangs from the attack noun through its verb
        ("The bombing happened on Monday at a market in Bannu, killing seven people.", MONDAY),
        ("The attack, which took place during Sunday prayers, killed nine worshippers at a church in Jos.", SUNDAY),
        ("A suicide bomber killed 30 worshippers during Friday prayers at a mosque in Herat.", dt.date(2024, 3, 1)),
        # a later sentence tells when, in a witness's words
        ("Gunmen killed six herders in Katsina state. A herder said the gunmen arrived on horseback on Monday "
         "afternoon.", MONDAY),
        # a feature lede sets the day before the attack is told
        ("Halima had waited all week to collect her newborn daughter on Monday morning. Then three gunmen stormed "
         "the clinic in Herat and killed 14 people.", MONDAY),
        # an overnight attack began the evening before, whatever day the siege ended
        ("Gunmen stormed a hotel in Kismayo overnight, killing seven guests before troops ended the siege early on "
         "Wednesday.", TUESDAY),
        # the copy's date line is not the attack's day
        ("Tuesday, 5 March 2024\n\nGunmen killed seven people at a hotel in Kismayo on Monday evening.", MONDAY),
        ("Tuesday, 5 March 2024\n\nGunmen killed seven people at a hotel in Kismayo.", None),
        ("KISMAYO, March 5 (Reuters) - A bomb killed seven people at a market in Kismayo, police said.", None),
        # a follow-up story's lead may date its attack weeks back; a new development's day does not
        ("Survivors of the February 12 bombing that killed 30 people at a market in Bannu returned to the bazaar "
         "on Tuesday.", dt.date(2024, 2, 12)),
        ("Gunmen killed five police officers in Tank on Tuesday, three weeks after the February 12 bombing of a "
         "market in Bannu.", TUESDAY),
        # another incident told later does not date the main one
        ("A bomb killed four people at a market in Bannu, officials said. In a separate attack on Monday, gunmen "
         "killed two policemen in Tank.", None),
    ],
)
def test_the_attack_s_day(nlp, make_article, text, expected):
    assert main_date(nlp, make_article, text) == expected


def test_a_toll_of_an_earlier_dated_attack_stays_out_of_the_main_one(nlp, make_article):
    result = extract(make_article(
        "Three weeks after the February 12 bombing that killed 30 people at a market in Bannu, a roadside bomb "
        "killed four soldiers near Tank on Tuesday."), nlp)
    assert (result.main.date, result.main.killed.value) == (TUESDAY, 4)


@pytest.fixture(scope="module")
def nlp_fr():
    from extractors import load_nlp

    return load_nlp("fr")


def french_main_date(nlp_fr, make_article, text: str) -> dt.date | None:
    """The attack's day as segmentation chooses it, whether or not detection calls the article an attack."""
    from extractors.furniture import story_of
    from extractors.pipeline import gather_facts
    from extractors.segments import segment

    article = make_article(text)
    story = story_of(article.text)
    context = gather_facts(article, nlp_fr(story.text), story)
    chosen = segment(context.sentences, context.published, context.casualty_predicates).main_date
    return chosen.date if chosen else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the statement's day is not the attack's
        ("Des hommes armés ont attaqué lundi soir le village de Kodiel, tuant douze civils, a indiqué mercredi une "
         "source sécuritaire.", MONDAY),
        # a night from Sunday into Monday began on the Sunday
        ("Dans la nuit de dimanche à lundi, des assaillants ont attaqué un poste de gendarmerie à Tera, tuant cinq "
         "gendarmes.", SUNDAY),
        ("Des jihadistes ont attaqué hier un convoi militaire près de Dori, faisant neuf morts.", TUESDAY),
        # a claim days later never dates the attack, even when the parser hangs the day on the attack noun
        ("Des hommes armés ont tué sept civils dans le village de Kodiel. L'État islamique a revendiqué l'attaque "
         "mardi.", None),
        # ... but "l'attaque de lundi" is the attack's own day
        ("Le bilan de l'attaque de lundi contre le marché de Dori s'est alourdi à quinze morts, a annoncé mardi le "
         "gouverneur.", MONDAY),
        # the aftermath is not the attack
        ("Des hommes armés ont tué six villageois à Kodiel. Les obsèques des victimes ont eu lieu mardi.", None),
        # "l'attaque s'est produite lundi", "les faits": the day of the attack named another way
        ("Des hommes armés ont tué six villageois à Kodiel. L'attaque s'est produite lundi vers 18 heures.", MONDAY),
        ("Douze civils ont été tués dans le village de Kodiel, selon des sources locales, qui situent les faits "
         "lundi soir.", MONDAY),
        # an earlier attack told in the pluperfect does not date this one
        ("Au moins huit civils ont été tués dans une attaque contre le village de Kodiel, selon des sources locales. "
         "Dimanche, six personnes avaient été tuées dans une attaque contre un marché de Dori.", None),
        # a day setting the scene of the attackers at work, when nothing else dates the attack
        ("Un attentat-suicide a fait douze morts à Kolofata, dans l'Extrême-Nord.\n\nLundi soir, deux jeunes "
         "femmes se sont mêlées à la foule du marché. L'une des deux kamikazes a déclenché sa charge explosive "
         "près des étals.", MONDAY),
        # a headline line glued above the lead: the parse hangs the lead's day on the headline's claim verb
        ("Attaque de Kodiel: 14 morts selon un nouveau bilan, le JNIM revendique\nLe bilan de l'attaque perpétrée "
         "lundi dernier contre la localité de Kodiel, dans la province du Séno, s'établit désormais à 14 morts, "
         "a-t-on appris mercredi auprès des autorités régionales.", MONDAY),
    ],
)
def test_the_attack_s_day_in_french(nlp_fr, make_article, text, expected):
    assert french_main_date(nlp_fr, make_article, text) == expected
