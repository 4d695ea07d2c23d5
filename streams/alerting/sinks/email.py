"""Email over SMTP (optionally STARTTLS or TLS, optionally authenticated), one message per alert."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from typing import ClassVar

from pydantic import SecretStr

from extractors.schema import Alert
from streams.alerting.sinks.base import PermanentDeliveryError, RetryingSink, SinkConfigError, TransientDeliveryError
from streams.alerting.text import DEFAULT_SUBJECT_TEMPLATE, alert_fields, check_template, render

DEFAULT_BODY_TEMPLATE = """{summary}
[Original title: {original_titles}
]
Watch: {watch} ({kind_label}, threshold {threshold})
Incident: {incident_id}[, {date}]
[Source: {url}]
[
Evidence:
{evidence}
]"""


class EmailSink(RetryingSink):
    name: ClassVar[str] = "email"
    required: ClassVar[frozenset[str]] = frozenset({"host", "sender", "to"})

    def __init__(self, host: str, sender: str, to: list[str] | str, port: int = 25, username: str | None = None,
                 password: SecretStr | None = None, security: str = "none", timeout_seconds: float = 30.0,
                 subject_template: str = DEFAULT_SUBJECT_TEMPLATE, text_template: str = DEFAULT_BODY_TEMPLATE,
                 **retry_options):
        super().__init__(**retry_options)
        recipients = [address.strip() for address in (to.split(",") if isinstance(to, str) else to) if address.strip()]
        if not recipients:
            raise SinkConfigError("`to` names no recipient; give addresses separated by commas")
        if security not in ("none", "starttls", "tls"):
            raise SinkConfigError(f"security {security!r} must be none, starttls or tls")
        if username and password is None:
            raise SinkConfigError("username given without password")
        self.host, self.port, self.sender, self.recipients = host, port, sender, recipients
        self.username, self.password, self.security, self.timeout = username, password, security, timeout_seconds
        self.subject_template = check_template(subject_template)
        self.text_template = check_template(text_template)

    def message(self, alert: Alert) -> EmailMessage:
        fields = alert_fields(alert)
        message = EmailMessage()
        message["Subject"] = render(self.subject_template, fields).replace("\n", " ")
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Message-ID"] = f"<{alert.id}@newswatch>"
        message.set_content(render(self.text_template, fields))
        return message

    async def deliver(self, alert: Alert) -> None:
        await asyncio.to_thread(self._send_blocking, self.message(alert))

    def _send_blocking(self, message: EmailMessage) -> None:
        smtp_class = smtplib.SMTP_SSL if self.security == "tls" else smtplib.SMTP
        try:
            with smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password.get_secret_value())
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            detail = f"SMTP {error.smtp_code} from {self.host}:{self.port}: {error.smtp_error!r}"
            raise (TransientDeliveryError if 400 <= error.smtp_code < 500 else PermanentDeliveryError)(detail) from error
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentDeliveryError(f"{self.host}:{self.port} refused every recipient: {error.recipients}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransientDeliveryError(f"{type(error).__name__} talking to {self.host}:{self.port}: {error}") from error
