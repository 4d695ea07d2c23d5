"""Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat): a text fallback plus Block Kit blocks."""

from __future__ import annotations

import json
from typing import ClassVar

from extractors.schema import Alert
from streams.alerting.sinks.http import HttpSink
from streams.alerting.text import DEFAULT_TEXT_TEMPLATE, alert_fields, check_template, evidence_lines, render

MAX_LINKS = 5


class SlackSink(HttpSink):
    name: ClassVar[str] = "slack"
    required: ClassVar[frozenset[str]] = frozenset({"url"})

    def __init__(self, url: str, text_template: str = DEFAULT_TEXT_TEMPLATE, **options):
        super().__init__(url, **options)
        self.text_template = check_template(text_template)

    def request(self, alert: Alert) -> tuple[bytes, dict[str, str]]:
        return json.dumps(slack_payload(alert, self.text_template)).encode("utf-8"), {"Content-Type": "application/json"}


def slack_payload(alert: Alert, text_template: str = DEFAULT_TEXT_TEMPLATE) -> dict:
    fields = alert_fields(alert)
    text = render(text_template, fields)
    links = " · ".join(f"<{url}|source {n}>" for n, url in enumerate(alert.incident.source_urls[:MAX_LINKS], start=1))
    quotes = "\n".join(f"> {_escape(line)}" for line in evidence_lines(alert.incident.evidence))
    if fields["original_titles"]:
        quotes = f"Original title: {_escape(fields['original_titles'])}" + (f"\n{quotes}" if quotes else "")
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{fields['kind_label']}: {alert.watch_name}"[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _escape(alert.summary)}},
    ]
    if quotes:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": quotes}})
    context = [f"incident `{alert.incident_id}` v{alert.incident_version}", f"threshold `{alert.threshold}`"] + ([links] if links else [])
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": part} for part in context]})
    return {"text": text, "blocks": blocks}


def _escape(text: str) -> str:
    """Slack treats &, < and > as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
