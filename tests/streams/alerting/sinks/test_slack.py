import json

from extractors.schema import Evidence
from streams.alerting.sinks import build_sinks
from streams.alerting.sinks.slack import slack_payload
from tests.streams.alert_factories import NAMSIGUIA_FLIGHT, NAMSIGUIA_LEAD, NAMSIGUIA_TITLE
from tests.streams.alerting.sinks.receivers import DeadLetters, http_receiver
from tests.streams.alerting.sinks.sample import french_alert, sample_alert


def test_the_payload_has_a_text_fallback_and_blocks():
    payload = slack_payload(sample_alert())
    assert payload["text"].startswith("New incident — Within 100 km of Quetta: Armed assault and suicide bombing")
    assert payload["text"].endswith(" https://news.example/quetta")
    header, summary, evidence, context = payload["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "New incident: Within 100 km of Quetta"}}
    assert summary["type"] == "section" and summary["text"]["type"] == "mrkdwn"
    assert "at least 59 killed" in summary["text"]["text"]
    assert evidence["text"]["text"].startswith("> Gunmen stormed a police training college")
    assert context["type"] == "context"
    assert [e["text"] for e in context["elements"]] == [
        "incident `quetta-2016` v1", "threshold `match`", "<https://news.example/quetta|source 1>"
    ]


def test_a_french_alert_quotes_its_title_and_sentences_marked_fr_under_the_english_summary():
    header, summary, quotes, _context = slack_payload(french_alert())["blocks"]
    assert summary["text"]["text"].startswith("Armed assault targeting civilians in Namsiguia")
    assert quotes["text"]["text"].splitlines() == [
        f"Original title: [fr] {NAMSIGUIA_TITLE}", f"> [fr] {NAMSIGUIA_LEAD}", f"> [fr] {NAMSIGUIA_FLIGHT}",
    ]


def test_mrkdwn_control_characters_are_escaped():
    quoted = Evidence(field="killed", sentence="Police said <5 & >2 were hurt", char_start=0, char_end=10)
    payload = slack_payload(sample_alert(evidence=[quoted]))
    assert payload["blocks"][2]["text"]["text"] == "> Police said &lt;5 &amp; &gt;2 were hurt"


def test_without_evidence_or_sources_the_blocks_stay_valid():
    payload = slack_payload(sample_alert(evidence=[], source_urls=[]))
    assert [b["type"] for b in payload["blocks"]] == ["header", "section", "context"]
    assert len(payload["blocks"][-1]["elements"]) == 2


async def test_it_posts_the_payload_with_a_custom_text_template():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        sink = build_sinks({"chat": {"type": "slack", "url": receiver.url, "text_template": "{watch}: {killed}"}}, {"dead_letter": dead_letters})["chat"]
        await sink.send(sample_alert())
        await sink.close()
    [request] = receiver.requests
    assert json.loads(request.body)["text"] == "Within 100 km of Quetta: at least 59 killed"
    assert dead_letters == []
