import datetime as dt

import pytest

from extractors.schema import Count, Location, Perpetrator, Target
from streams.alerting.decision import alerts_for
from streams.alerting.text import TemplateError, alert_fields, check_template, render, summarize
from streams.watches.loading import parse_watches
from tests.streams.alert_factories import quetta_incident

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
