from __future__ import annotations

import datetime as dt

import pytest

from extractors.dates import find_dates

TUESDAY = dt.date(2016, 10, 25)


def dates(text: str, published: dt.date | None = TUESDAY) -> list[tuple[str, dt.date, str]]:
    return [(m.text, m.date, m.precision) for m in find_dates(text, published)]


def test_seed_dates(seed_path):
    found = find_dates(seed_path.read_text(encoding="utf-8"), TUESDAY)
    attack = next(m for m in found if m.text == "Monday")
    assert (attack.date, attack.precision, attack.relative) == (dt.date(2016, 10, 24), "day", True)
    assert {(m.text, m.date, m.precision) for m in found} >= {
        ("September 2015", dt.date(2015, 9, 1), "month"),
        ("August", dt.date(2016, 8, 1), "month"),
        ("Tuesday", TUESDAY, "day"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday's attack killed nine.", dt.date(2016, 10, 24)),
        ("The blast came late on Monday.", dt.date(2016, 10, 24)),
        ("Officials said on Tuesday that ...", TUESDAY),  # same weekday as publication: that very day
        ("Gunmen struck on Saturday night.", dt.date(2016, 10, 22)),
        ("Gunmen struck early Wednesday.", dt.date(2016, 10, 19)),  # Wednesday is after Tuesday: last week's
        ("It happened last Tuesday.", dt.date(2016, 10, 18)),
        ("Talks resume next Monday.", dt.date(2016, 10, 31)),
        ("A bomb went off on Friday of last week.", dt.date(2016, 10, 21)),
        ("A bomb went off yesterday.", dt.date(2016, 10, 24)),
        ("A bomb went off last night.", dt.date(2016, 10, 24)),
        ("Police said today the toll rose.", TUESDAY),
        ("A blast this morning killed two.", TUESDAY),
        ("A raid three days ago killed two.", dt.date(2016, 10, 22)),
    ],
)
def test_relative_days(text, expected):
    [mention] = find_dates(text, TUESDAY)
    assert (mention.date, mention.precision, mention.relative) == (expected, "day", True)
    assert text[mention.start:mention.end] == mention.text


def test_weekday_across_a_month_boundary():
    # Published Tuesday 1 November 2016: "Sunday" is 30 October.
    [mention] = find_dates("The attack on Sunday killed five.", dt.date(2016, 11, 1))
    assert mention.date == dt.date(2016, 10, 30)


def test_yearless_date_across_a_year_boundary():
    [mention] = find_dates("The December 30 bombing killed 12.", dt.date(2020, 1, 2))
    assert (mention.date, mention.relative) == (dt.date(2019, 12, 30), True)
    [same_year] = find_dates("On January 1 gunmen attacked.", dt.date(2020, 1, 2))
    assert same_year.date == dt.date(2020, 1, 1)


def test_explicit_dates():
    text = "On March 3, 2019 and 3 March 2019, on 2019-03-03 and on Sept. 11, 2001, and the 5th of May 2010."
    assert [(t, d) for t, d, _ in dates(text)] == [
        ("March 3, 2019", dt.date(2019, 3, 3)),
        ("3 March 2019", dt.date(2019, 3, 3)),
        ("2019-03-03", dt.date(2019, 3, 3)),
        ("Sept. 11, 2001", dt.date(2001, 9, 11)),
        ("5th of May 2010", dt.date(2010, 5, 5)),
    ]
    assert all(not m.relative for m in find_dates(text, None))


def test_february_29_without_year_takes_the_last_leap_year():
    [mention] = find_dates("The February 29 raid.", dt.date(2019, 5, 1))
    assert mention.date == dt.date(2016, 2, 29)
    assert find_dates("On February 30 nothing happened.", dt.date(2019, 5, 1)) == []


def test_months_and_years():
    published = dt.date(2016, 10, 25)
    assert dates("In August, a suicide attack killed 70.", published) == [("August", dt.date(2016, 8, 1), "month")]
    assert dates("In November, a bomb exploded.", published) == [("November", dt.date(2015, 11, 1), "month")]
    assert dates("Attacks rose in September 2015.", published) == [
        ("September 2015", dt.date(2015, 9, 1), "month")]
    assert dates("A blast last month killed 4.", published) == [("last month", dt.date(2016, 9, 1), "month")]
    assert dates("A blast last month killed 4.", dt.date(2017, 1, 9)) == [
        ("last month", dt.date(2016, 12, 1), "month")]
    assert dates("The group emerged in 2014.", published) == [("2014", dt.date(2014, 1, 1), "year")]
    assert dates("Attacks have grown since last year.", published) == [("last year", dt.date(2015, 1, 1), "year")]


def test_no_false_dates():
    text = (
        "The toll may rise. Thousands joined a protest march. May God help us. "
        "March organisers said 10 p.m. was the curfew; a 30-year-old man and 2014 people were hurt. "
        "The Sunday Times reported on Mondays and Bloody Sunday. He plans to stand in 2030. Killed 15 at 10:30."
    )
    assert dates(text) == []


def test_relative_expressions_need_a_publication_date():
    text = "Monday's attack, yesterday's raid, In August, last month and March 3 all need one; 2019-03-03 does not."
    assert dates(text, None) == [("2019-03-03", dt.date(2019, 3, 3), "day")]


def test_month_with_relative_year_and_year_of_an_event():
    published = dt.date(2018, 12, 4)
    assert dates("In November last year, militants killed 300.", published) == [
        ("November last year", dt.date(2017, 11, 1), "month")]
    assert dates("since the 1998 bombing of the embassy", published) == [("1998", dt.date(1998, 1, 1), "year")]
    assert dates("the 2002 nightclub bombings", published) == [("2002", dt.date(2002, 1, 1), "year")]
    assert dates("the 2000 troops deployed there", published) == []


def test_publication_datetime_counts_by_its_day():
    [mention] = find_dates("Monday's attack", dt.datetime(2016, 10, 25, 6, 30, tzinfo=dt.timezone.utc))
    assert mention.date == dt.date(2016, 10, 24) and type(mention.date) is dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("During Friday prayers a bomber struck.", dt.date(2016, 10, 21)),
        ("In Tuesday's raid, four died.", TUESDAY),
        ("At Sunday Mass gunmen opened fire.", dt.date(2016, 10, 23)),
    ],
)
def test_a_weekday_after_a_capitalised_preposition_is_a_date(text, expected):
    [mention] = find_dates(text, TUESDAY)
    assert mention.date == expected


def test_named_days_are_no_dates():
    assert dates("Marchers remembered Bloody Sunday and Good Friday; Palm Sunday services went ahead.") == []


def test_overnight_is_the_evening_before_publication():
    assert dates("Gunmen attacked a convoy overnight.") == [("overnight", dt.date(2016, 10, 24), "day")]
    # the night of Saturday into Sunday began on Saturday
    assert dates("A mortar barrage overnight into Sunday killed two.") == [
        ("overnight into Sunday", dt.date(2016, 10, 22), "day")]
    assert dates("Rebels attacked overnight on Friday.") == [("Friday", dt.date(2016, 10, 21), "day")]


@pytest.mark.parametrize(
    "text",
    [
        "Tuesday, 25 October 2016\n\nGunmen killed four.",
        "25 October 2016 | 7:19 am\nGunmen killed four.",
        "Reuters Updated 25 Oct 2016\n\nGunmen killed four.",
        "Last updated at 9:40 a.m. GMT on 2016-10-25\nGunmen killed four.",
        "KANO, Oct. 25, 2016 (AP) — Gunmen killed four.",
        "MAIDUGURI, Oct 25 - Gunmen killed four.",
    ],
)
def test_the_copy_s_date_line_or_dateline_is_a_stamp(text):
    found = find_dates(text, TUESDAY)
    assert found and all(m.stamp and m.date == TUESDAY for m in found)


def test_dates_in_sentences_are_no_stamps():
    text = "Tuesday's attack killed four.\nOn 24 October 2016 a bomb went off in the market.\nlast Monday\nyesterday"
    assert [m.stamp for m in find_dates(text, TUESDAY)] == [False, False, False, False]


# French: the same readers, built from extractors/data/languages/fr/words/dates.toml. Published Tuesday 25 October
# 2016, as above.
@pytest.mark.parametrize(
    ("text", "expected_text", "expected"),
    [
        ("Des hommes armés ont attaqué lundi soir le village de Kodiel.", "lundi", dt.date(2016, 10, 24)),
        ("Mercredi, des assaillants ont tué six soldats.", "Mercredi", dt.date(2016, 10, 19)),
        ("Ce mardi, un kamikaze s'est fait exploser.", "Ce mardi", TUESDAY),
        ("Le poste a été attaqué mardi dernier.", "mardi dernier", dt.date(2016, 10, 18)),
        ("Le convoi est tombé dans une embuscade hier soir.", "hier", dt.date(2016, 10, 24)),
        ("Avant-hier, des jihadistes ont enlevé trois enseignants.", "Avant-hier", dt.date(2016, 10, 23)),
        ("Le marché a été frappé il y a trois jours.", "il y a trois jours", dt.date(2016, 10, 22)),
        ("Le groupe a revendiqué l'attaque menée la veille.", "la veille", dt.date(2016, 10, 24)),
        ("Un attentat a frappé la ville aujourd’hui.", "aujourd’hui", TUESDAY),
        ("Cette nuit, des hommes armés ont incendié la mairie.", "Cette nuit", dt.date(2016, 10, 24)),
        # a weekday after "hier" names the day itself (a quote from the day after the attack)
        ("« Hier (samedi), nos hommes sont tombés dans une embuscade », a déclaré le gouverneur.", "samedi",
         dt.date(2016, 10, 22)),
        # a night from one day into the next is dated by the day it began
        ("Dans la nuit de samedi à dimanche, des hommes armés ont tué dix civils.",
         "Dans la nuit de samedi à dimanche", dt.date(2016, 10, 22)),
        ("Dans la nuit du 18 au 19 octobre, le camp a été attaqué.", "Dans la nuit du 18 au 19 octobre",
         dt.date(2016, 10, 18)),
        # a weekday before a calendar date is part of it, whatever the weekday would say on its own
        ("Le vendredi, 14 octobre 2016, une embuscade a fait neuf morts.", "vendredi, 14 octobre 2016",
         dt.date(2016, 10, 14)),
        ("Samedi 1er octobre, des hommes armés ont attaqué une école.", "Samedi 1er octobre", dt.date(2016, 10, 1)),
        ("Le 19 août dernier, un attentat a visé un hôtel.", "19 août", dt.date(2016, 8, 19)),
    ],
)
def test_french_days(text, expected_text, expected):
    [mention] = find_dates(text, TUESDAY, "fr")
    assert (mention.text, mention.date, mention.precision) == (expected_text, expected, "day")
    assert text[mention.start:mention.end] == mention.text


def test_french_months_years_and_names():
    assert [(m.text, m.date, m.precision) for m in find_dates(
        "En mars dernier, puis en 2015 et le mois dernier, l'année dernière aussi.", TUESDAY, "fr")] == [
        ("mars dernier", dt.date(2016, 3, 1), "month"),
        ("2015", dt.date(2015, 1, 1), "year"),
        ("le mois dernier", dt.date(2016, 9, 1), "month"),
        ("l'année dernière", dt.date(2015, 1, 1), "year"),
    ]
    assert find_dates("Le Mardi gras et le Vendredi saint, plus de 2000 personnes.", TUESDAY, "fr") == []
    assert [(m.text, m.date) for m in find_dates("Le 26 juillet 2016, à Rouen.", None, "fr")] == [
        ("26 juillet 2016", dt.date(2016, 7, 26))]


@pytest.mark.parametrize(
    "text",
    [
        "OUAGADOUGOU, 25 oct. (AFP) - Des hommes armés ont tué douze civils.",
        "Ouagadougou, le 25 octobre (AIB) – Des hommes armés ont tué douze civils.",
        "NIAMEY, 25 octobre 2016 (Xinhua) -- Des assaillants ont attaqué un poste.",
        "Mis à jour le 25 octobre 2016 à 08h41\nDes assaillants ont attaqué un poste.",
    ],
)
def test_french_datelines_are_stamps(text):
    found = find_dates(text, TUESDAY, "fr")
    assert found and all(m.stamp and m.date == TUESDAY for m in found)
