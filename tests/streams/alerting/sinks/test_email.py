import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from streams.alerting.sinks import build_sinks
from tests.streams.alert_factories import NAMSIGUIA_FLIGHT, NAMSIGUIA_LEAD, NAMSIGUIA_TITLE
from tests.streams.alerting.sinks.receivers import DeadLetters
from tests.streams.alerting.sinks.sample import french_alert, sample_alert


class Mailbox:
    """An aiosmtpd handler that stores messages, answering DATA with scripted replies first."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.replies: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def email_sink(port: int, dead_letters: DeadLetters, **options):
    options = {"type": "email", "host": "127.0.0.1", "port": str(port), "sender": "newswatch@example.org",
               "to": "ops@example.org, duty@example.org", "backoff_seconds": 0.01, **options}
    return build_sinks({"mail": options}, {"dead_letter": dead_letters})["mail"]


async def test_an_alert_becomes_one_email_to_every_recipient(smtp):
    mailbox, port = smtp
    dead_letters = DeadLetters()
    await email_sink(port, dead_letters).send(sample_alert())
    [(recipients, message)] = mailbox.messages
    assert recipients == ["ops@example.org", "duty@example.org"]
    assert message["Subject"] == (
        "[newswatch] New incident: Armed assault and suicide bombing at a police training college in Quetta, Balochistan, Pakistan"
    )
    assert message["Message-ID"] == f"<{sample_alert().id}@newswatch>"
    body = message.get_content()
    assert body.startswith("Armed assault and suicide bombing") and "at least 59 killed" in body
    assert "Watch: Within 100 km of Quetta (New incident, threshold match)" in body
    assert "Source: https://news.example/quetta" in body
    assert dead_letters == []


async def test_a_french_alert_has_an_english_summary_then_the_original_title_and_sentences(smtp):
    mailbox, port = smtp
    await email_sink(port, DeadLetters()).send(french_alert())
    [(_, message)] = mailbox.messages
    assert message["Subject"] == (
        "[newswatch] New incident: Armed assault targeting civilians in Namsiguia, Centre-Nord, Burkina Faso")
    lines = message.get_content().splitlines()
    assert lines[:2] == [french_alert().summary, f"Original title: [fr] {NAMSIGUIA_TITLE}"]
    assert lines[-3:] == ["Evidence:", f"[fr] {NAMSIGUIA_LEAD}", f"[fr] {NAMSIGUIA_FLIGHT}"]


async def test_templates_are_configurable(smtp):
    mailbox, port = smtp
    await email_sink(port, DeadLetters(), subject_template="{watch}: {tolls}", text_template="{place}").send(sample_alert())
    [(_, message)] = mailbox.messages
    assert message["Subject"] == "Within 100 km of Quetta: at least 59 killed, more than 100 injured"
    assert message.get_content().strip() == "Quetta, Balochistan, Pakistan"


async def test_a_4xx_reply_is_retried_and_a_5xx_reply_dead_lettered(smtp):
    mailbox, port = smtp
    dead_letters = DeadLetters()
    mailbox.replies = ["451 4.3.0 try again later"]
    await email_sink(port, dead_letters).send(sample_alert())
    assert len(mailbox.messages) == 1 and dead_letters == []
    mailbox.replies = ["554 5.7.1 rejected"]
    await email_sink(port, dead_letters).send(sample_alert())
    assert len(mailbox.messages) == 1
    assert dead_letters[0][0] == "sink:mail" and dead_letters[0][1].startswith("rejected: SMTP 554")


async def test_no_server_means_retries_then_a_dead_letter():
    dead_letters = DeadLetters()
    await email_sink(free_port(), dead_letters, max_attempts=2, timeout_seconds=2).send(sample_alert())
    assert dead_letters[0][1].startswith("still failing after 2 attempts: ConnectionRefusedError")


def test_bad_email_options_are_refused_at_start_up():
    with pytest.raises(ValueError, match="sink 'mail' \\(email\\): `to` names no recipient"):
        email_sink(25, DeadLetters(), to=" , ")
    with pytest.raises(ValueError, match="security 'ssl' must be none, starttls or tls"):
        email_sink(25, DeadLetters(), security="ssl")
    with pytest.raises(ValueError, match="needs host"):
        build_sinks({"mail": {"type": "email", "sender": "a@b", "to": "c@d"}}, {"dead_letter": DeadLetters()})
