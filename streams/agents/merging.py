"""merge_incidents: incident reports -> incidents, one per real event, updated as reports arrive."""

from __future__ import annotations

import logging

from streams.incidents.merge import ArticleRef
from streams.incidents.store import IncidentStore, record_report
from streams.runtime.messages import ReportMessage, text_matches_header

log = logging.getLogger(__name__)


def install(pipeline) -> None:
    app, topics = pipeline.app, pipeline.topics
    # Reports arrive keyed by merge key, so this task holds every open incident a report may join.
    store = IncidentStore(app.Table("incident-store"))

    @app.agent(topics["incident_reports"], name="merge_incidents")
    async def merge_incidents(stream):
        async for message in pipeline.decoded("merge", ReportMessage, stream):
            event = stream.current_event
            async with pipeline.dead_letter_on_record_error("merge", event.value, event):
                article = ArticleRef(message.article_id, message.source, message.url, message.published, message.title,
                                     message.language)
                outcome = record_report(store, message.report, article, message.arrived_at)
                if outcome.to_send:
                    await topics["incidents"].send(key=outcome.incident.id, value=outcome.incident.model_dump(mode="json"),
                                                   headers=text_matches_header(message.text_matches))
