import datetime as dt

import pytest

from extractors.schema import Count, Evidence, IncidentReport, Location, Perpetrator, Target, Title
from streams.alerting.decision import alerts_for
from streams.alerting.text import (DEFAULT_TEXT_TEMPLATE, TemplateError, alert_fields, check_template, evidence_lines,
                                   incident_fields, render, summarize)
from streams.incidents.merge import ArticleRef, merge
from streams.watches.loading import parse_watches
from tests.streams.alert_factories import NAMSIGUIA_FLIGHT, NAMSIGUIA_LEAD, NAMSIGUIA_TITLE, namsiguia_incident, quetta_incident
from tests.streams.alerting.sinks.sample import sample_alert

CLAIMED_ONLY = [Perpetrator(name="Islamic State", role="claimed")]


def test_the_quetta_summary_reads_like_an_ops_message():
    assert summarize(quetta_incident(perpetrators=CLAIMED_ONLY)) == (
        "Armed assault and suicide bombing at a police training college in Quetta, Balochistan, Pakistan: "
        "at least 59 killed, more than 100 injured; claimed by Islamic State"
    )


def test_suspects_are_named_apart_from_claims():
    assert summarize(quetta_incident()).endswith("; claimed by Islamic State; suspected: Lashkar-e-Jhangvi")


def test_missing_parts_leave_no_dangling_punctuation():
    sparse = quetta_incident(attack_types=[], suicide=None, target=Target(), killed=None, injured=None, perpetrators=[],
                             location=Location(country="NG"))
    assert summarize(sparse) == "Attack in Nigeria"
    three = quetta_incident(attack_types=["kidnapping", "armed_assault", "bombing"], suicide=False, killed=Count(value=3),
                            injured=None, perpetrators=[], target=Target(text="an aid convoy"), location=Location(city="Maiduguri"))
    assert summarize(three) == "Kidnapping, armed assault and bombing at an aid convoy in Maiduguri: 3 killed"


def test_templates_are_configurable_with_optional_groups():
    template = check_template("{place} — {attack}[, {killed}][ (claimed by {claimed_by})]")
    assert summarize(quetta_incident(killed=None), template) == (
        "Quetta, Balochistan, Pakistan — Armed assault and suicide bombing (claimed by Islamic State)"
    )
    assert render("a[ {x} and {y}] b", {"x": "1", "y": ""}) == "a b"


def test_a_template_typo_is_caught_before_the_first_alert():
    with pytest.raises(TemplateError, match=r"unknown field\(s\) \['tol'\]; available: headline"):
        check_template("{headline}: {tol}")
    with pytest.raises(TemplateError, match="template '{headline'"):
        check_template("{headline")


def test_alert_fields_for_sink_templates():
    [watch] = parse_watches([{"id": "pk", "name": "Pakistan", "region": {"countries": ["PK"]}}], "inline")
    [alert] = alerts_for(quetta_incident(), watch, None, dt.datetime(2016, 10, 25, tzinfo=dt.timezone.utc))
    fields = alert_fields(alert)
    assert fields["kind_label"] == "New incident" and fields["watch"] == "Pakistan" and fields["url"] == "https://news.example/quetta"
    assert render("[[{kind_label}]] {watch}: {summary}", fields).startswith("[New incident] Pakistan: Armed assault")


def test_multi_line_templates_keep_their_lines():
    assert render("{a}\n[by {b}]\n{c}", {"a": "x", "b": "", "c": "z"}) == "x\n\nz"


FRENCH_LEAD = "[fr] " + NAMSIGUIA_LEAD


def test_a_french_incident_is_summarised_in_english_from_its_fields():
    assert summarize(namsiguia_incident()) == (
        "Armed assault targeting civilians in Namsiguia, Centre-Nord, Burkina Faso: about 20 killed, 12 injured; "
        "suspected: Jama'at Nusrat al-Islam wal-Muslimin"
    )
    fields = incident_fields(namsiguia_incident())
    assert fields["target"] == "civilians"
    assert "vingtaine" not in " ".join(value for name, value in fields.items() if name not in ("original_titles", "evidence"))


def test_french_target_words_never_get_english_grammar():
    unknown = namsiguia_incident(target=Target(type="unknown", text="le marché", language="fr"))
    assert summarize(unknown).startswith("Armed assault in Namsiguia")
    school = namsiguia_incident(target=Target(type="educational", text="une école", language="fr"))
    assert summarize(school).startswith("Armed assault targeting a school in Namsiguia")
    english = namsiguia_incident(target=Target(type="civilians", text="weekly market", language="en"))
    assert summarize(english).startswith("Armed assault at a weekly market in Namsiguia")


def test_the_french_title_and_evidence_go_with_the_alert_marked_with_their_language():
    [watch] = parse_watches([{"id": "bf", "name": "Burkina Faso", "region": {"countries": ["BF"]}}], "inline")
    [alert] = alerts_for(namsiguia_incident(), watch, None, dt.datetime(2026, 3, 14, 10, tzinfo=dt.timezone.utc))
    fields = alert_fields(alert)
    assert fields["original_titles"] == "[fr] " + NAMSIGUIA_TITLE
    assert fields["evidence"].splitlines() == [FRENCH_LEAD, "[fr] " + NAMSIGUIA_FLIGHT]  # one line per sentence
    assert render(DEFAULT_TEXT_TEMPLATE, fields) == (
        "New incident — Burkina Faso: Armed assault targeting civilians in Namsiguia, Centre-Nord, Burkina Faso: "
        "about 20 killed, 12 injured; suspected: Jama'at Nusrat al-Islam wal-Muslimin "
        f"https://depeches.example/burkina-namsiguia — original title: [fr] {NAMSIGUIA_TITLE}"
    )


def test_an_english_incident_has_no_original_title_and_unmarked_evidence():
    fields = incident_fields(quetta_incident(titles=[Title(article_id="a1", text="Quetta attack", language="en")]))
    assert fields["original_titles"] == ""
    assert fields["evidence"] == "Gunmen stormed a police training college in Quetta, killing at least 59 cadets."
    assert render(DEFAULT_TEXT_TEMPLATE, alert_fields(sample_alert())).endswith("https://news.example/quetta")


def test_a_merged_incident_marks_only_what_is_not_english():
    def report(language: str, target: Target, sentence: str) -> IncidentReport:
        return IncidentReport(role="main", attack_types=["armed_assault"], date=dt.date(2026, 3, 14), date_precision="day",
                              location=namsiguia_incident().location, killed=Count(value=20, qualifier="about"),
                              target=target, evidence=[Evidence(field="killed", sentence=sentence, char_start=0,
                                                                char_end=10, language=language)])

    first_seen = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.timezone.utc)
    french = merge(None, report("fr", Target(type="unknown", text="le marché", language="fr"), NAMSIGUIA_LEAD),
                   ArticleRef("fr1", title=NAMSIGUIA_TITLE, language="fr"), first_seen)
    english_lead = "Gunmen killed about 20 civilians at a weekly market in Namsiguia on Saturday, officials said."
    both = merge(french, report("en", Target(type="civilians", text="weekly market", language="en"), english_lead),
                 ArticleRef("en1", title="Gunmen kill 20 at Burkina Faso market", language="en"),
                 first_seen + dt.timedelta(hours=5))
    assert [(t.article_id, t.language) for t in both.titles] == [("fr1", "fr"), ("en1", "en")]
    fields = incident_fields(both)
    assert fields["original_titles"] == "[fr] " + NAMSIGUIA_TITLE
    assert fields["evidence"].splitlines() == [FRENCH_LEAD, english_lead]
    assert fields["headline"] == "Armed assault at a weekly market in Namsiguia, Centre-Nord, Burkina Faso"


def test_evidence_lines_drop_the_dash_a_dateline_leaves_and_repeated_sentences():
    after_dateline = Evidence(field="killed", sentence="-- Neuf civils ont été tués mardi soir.", char_start=0, char_end=9,
                              language="fr")
    assert evidence_lines([after_dateline, after_dateline.model_copy(update={"field": "date"})]) == [
        "[fr] Neuf civils ont été tués mardi soir."]


def test_counted_people_and_inverted_country_names_read_as_english():
    komanda = quetta_incident(attack_types=["armed_assault"], suicide=None, killed=None, injured=None, perpetrators=[],
                              target=Target(type="civilians", text="25 civilians", language="en"),
                              location=Location(city="Komanda", country="CD"))
    assert summarize(komanda) == "Armed assault targeting civilians in Komanda, The Democratic Republic of the Congo"
    assert summarize(komanda.model_copy(update={"location": Location(country="IR")})).endswith(" in Iran")
