"""End-to-end behaviour on invented articles: bad input, recaps kept out of the main incident, evidence."""

from __future__ import annotations

import datetime as dt

from extractors import extract, extract_batch
from extractors.pipeline import MAX_TEXT_CHARS
from extractors.schema import Article, Count

FILLER = "The city council met on a quiet afternoon to discuss the budget and the schedule for the new library. "
RECAP_ARTICLE = (
    "NAIROBI, Kenya — Gunmen stormed a hotel in the town of Garissa on Tuesday, killing at least 15 people "
    "and wounding 22 others before security forces ended the siege, police said.\n\n"
    "Al-Shabaab claimed responsibility for the attack in a statement on Wednesday.\n\n"
    "The assault was the latest in a string of attacks in the region. In March 2019, militants attacked a "
    "bus near Mandera, killing more than 30 passengers. Last year, a roadside bomb killed 11 soldiers.\n\n"
    "The passengers had been travelling to the coast for the holidays."
)


def unchecked_article(text: str) -> Article:
    """An article the contract refuses at every edge (blank, oversized), which the extractor still copes with."""
    return Article.model_construct(id="a1", title=None, text=text, published=None, tags=[])


def test_empty_text_is_not_an_attack_report(nlp):
    for text in ("", "   \n\n  "):
        result = extract(unchecked_article(text), nlp)
        assert (result.is_attack_report, result.incidents) == (False, [])


def test_huge_text_is_capped_at_max_text_chars(nlp):
    attack = "Gunmen killed 12 people in an attack on a market in the city of Kano on Monday, police said. "
    filler = FILLER * (MAX_TEXT_CHARS // len(FILLER) + 50)
    result = extract(unchecked_article(attack + filler), nlp)
    assert result.is_attack_report
    assert all(e.char_end <= MAX_TEXT_CHARS for e in result.main.evidence)
    beyond_the_cap = extract(unchecked_article(filler + attack), nlp)
    assert not beyond_the_cap.is_attack_report


def test_recaps_become_background_incidents_and_never_leak_into_the_main_one(nlp, make_article):
    result = extract(make_article(RECAP_ARTICLE, published=dt.date(2024, 3, 6)), nlp)
    main = result.main
    assert (main.location.city, main.location.country) == ("Garissa", "KE")
    assert main.date == dt.date(2024, 3, 5)
    assert main.killed == Count(value=15, qualifier="at_least")
    assert main.injured == Count(value=22, qualifier="exact")
    assert [p.name for p in main.perpetrators if p.role == "claimed"] == ["al-Shabaab"]
    backgrounds = [i for i in result.incidents if i.role == "background"]
    assert len(backgrounds) == 2
    bus, bomb = backgrounds
    assert (bus.date, bus.date_precision, bus.killed) == (dt.date(2019, 3, 1), "month",
                                                          Count(value=30, qualifier="more_than"))
    assert bus.location.city == "Mandera"
    assert (bomb.date, bomb.date_precision, bomb.killed) == (dt.date(2023, 1, 1), "year", Count(value=11))


def test_a_revised_toll_replaces_the_first_one(nlp, make_article):
    text = ("A car bomb exploded at a busy market in the town of Baquba on Monday, killing nine people, police "
            "said.\n\nThe death toll rose to 14 overnight as several of the wounded died in hospital. Women and "
            "two children were among the dead.")
    assert extract(make_article(text), nlp).main.killed == Count(value=14, qualifier="exact")


def test_statistics_later_in_the_story_do_not_replace_the_toll(nlp, make_article):
    text = ("Gunmen killed four villagers in an attack near the town of Beni on Sunday, local officials said.\n\n"
            "The insurgency has killed more than 6,000 civilians since 2014, according to a monitoring group.")
    assert extract(make_article(text), nlp).main.killed == Count(value=4, qualifier="exact")


def test_without_publication_date_weekdays_stay_unresolved(nlp, make_article):
    text = "A suicide bomber killed eight people at a police station in the city of Peshawar on Monday."
    result = extract(make_article(text, published=None), nlp)
    assert result.is_attack_report
    assert result.main.date is None
    assert result.main.location.city == "Peshawar"


def test_evidence_offsets_point_into_the_article_text(nlp, make_article):
    article = make_article(RECAP_ARTICLE)
    [result] = extract_batch([article], nlp)
    for incident in result.incidents:
        for item in incident.evidence:
            assert article.text[item.char_start:item.char_end] in item.sentence
            assert item.sentence in article.text


def test_furniture_above_and_inside_the_story_changes_only_the_offsets(nlp, make_article):
    above, inside = "By Staff Reporter | World desk\nHome > World > Africa\n\n", "Advertisement\n\n"
    lead, rest = RECAP_ARTICLE.split("\n\n", 1)
    plain = extract(make_article(RECAP_ARTICLE), nlp)
    article = make_article(above + lead + "\n\n" + inside + rest)
    furnished = extract(article, nlp)

    def moved(offset: int) -> int:
        return offset + len(above) + (len(inside) if offset > len(lead) else 0)

    shifted = [incident.model_copy(update={"evidence": [e.model_copy(update={"char_start": moved(e.char_start),
                                                                          "char_end": moved(e.char_end)})
                                                         for e in incident.evidence]})
               for incident in plain.incidents]
    assert furnished.incidents == shifted and furnished.main.location.city == "Garissa"
    for incident in furnished.incidents:
        for item in incident.evidence:
            assert article.text[item.char_start:item.char_end] in item.sentence


def test_extraction_results_round_trip_through_json(nlp, make_article):
    result = extract(make_article(RECAP_ARTICLE), nlp)
    assert type(result).model_validate_json(result.model_dump_json()) == result
