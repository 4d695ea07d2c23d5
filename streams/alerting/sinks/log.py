"""The default sink: one log line per alert, so a fresh install shows alerts with no configuration."""

from __future__ import annotations

import logging
from typing import ClassVar

from extractors.schema import Alert
from streams.alerting.sinks.base import Sink, SinkConfigError
from streams.alerting.text import DEFAULT_TEXT_TEMPLATE, alert_fields, check_template, render


class LogSink(Sink):
    name: ClassVar[str] = "log"

    def __init__(self, text_template: str = DEFAULT_TEXT_TEMPLATE, level: str = "WARNING",
                 logger: str = "newswatch.alerts"):
        self.text_template = check_template(text_template)
        self.level = logging.getLevelName(level.upper())
        if not isinstance(self.level, int):
            raise SinkConfigError(f"level {level!r} is not a logging level (DEBUG, INFO, WARNING, ERROR)")
        self.logger = logging.getLogger(logger)

    async def send(self, alert: Alert) -> bool:
        self.logger.log(self.level, render(self.text_template, alert_fields(alert)), extra={"alert_id": alert.id})
        return True
