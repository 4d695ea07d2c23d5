"""alert_on_incidents: incidents matched against every watch; alerts created once in Elasticsearch and published
to the alerts topic. deliver_alerts: the alerts topic to the sinks, each alert marked delivered in Elasticsearch.

The alerts topic is the outbox: an alert is acknowledged there only once its delivery is done (and every
alert before it: InOrderAcks), so a worker killed mid-delivery delivers it again after the restart, and the
delivered mark keeps a replaying group or a redelivered record from sending it twice. Deliveries run side
by side, each sink in its own lane of the Dispatcher, so a sink that hangs or fails holds up only its own
alerts. An alert that every sink dead-lettered gets no delivered mark. The watches live here (LiveWatches);
install returns them for the extraction agent, which evaluates text queries."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from elasticsearch import AsyncElasticsearch

from extractors.schema import Alert, Incident
from streams.alerting import AlertState, on_update, release_at
from streams.documents import alert_document
from streams.in_order_acks import InOrderAcks
from streams.indexer import Indexer, create_action, settings_client_options
from streams.messages import TEXT_MATCHES_HEADER, text_matches_in
from streams.sinks import build_dispatcher
from streams.watch_feed import LiveWatches, follow
from streams.watches import load_watches

log = logging.getLogger(__name__)

RELEASE_CHECK_SECONDS = 30.0


def install(pipeline) -> LiveWatches:
    app, topics, settings = pipeline.app, pipeline.topics, pipeline.settings
    loaded = load_watches(settings.watches_file)
    # The alerts topic gets every alert (it is the pipeline's output); the kafka sink is for other clusters or topics.
    dispatcher = build_dispatcher(settings.alerting, dead_letter=pipeline.dead_letter)
    dispatcher.check(loaded)
    watches = LiveWatches(loaded, check=dispatcher.check)
    # Keyed by incident id, like the incidents topic, so each worker holds the state of its own partitions.
    states = app.Table("alert-state")
    # Incident id -> the watches whose text query one of its articles satisfied; later updates keep matching.
    text_matched = app.Table("text-query-matches")
    alerts_index = settings.elasticsearch.index("alerts")
    indexer: Indexer | None = None

    def get_indexer() -> Indexer:
        nonlocal indexer
        if indexer is None:
            indexer = Indexer(AsyncElasticsearch(**settings_client_options(settings.elasticsearch)))
        return indexer

    async def to_publish(alerts: list[Alert], now: dt.datetime) -> list[Alert]:
        """The alerts that no worker, restart or replay has created before (op_type=create refuses the rest),
        and those created before but never delivered (a crash came between creating and publishing)."""
        if not alerts:
            return []
        outcome = await get_indexer().bulk([create_action(alerts_index, a.id, alert_document(a, now)) for a in alerts])
        failed = {failure.get("_id") for failure in outcome.failures}
        for failure in outcome.failures:
            await pipeline.dead_letter("alert", str(failure.get("error")), {"alert_id": failure.get("_id")})
        undelivered = await undelivered_ids(outcome.conflicts)
        return [a for a in alerts if a.id not in failed and (a.id not in outcome.conflicts or a.id in undelivered)]

    async def undelivered_ids(alert_ids: list[str]) -> set[str]:
        """Those of the alerts in the alerts index that have no delivered mark."""
        if not alert_ids:
            return set()
        client = get_indexer().client
        found = await get_indexer().retrying(
            lambda: client.mget(index=alerts_index, ids=alert_ids, source_includes=["alert.delivered_at"]),
            f"reading {len(alert_ids)} alerts")
        return {doc["_id"] for doc in found["docs"]
                if doc.get("found") and not doc["_source"].get("alert", {}).get("delivered_at")}

    async def mark_delivered(alert: Alert) -> None:
        client = get_indexer().client
        delivered_at = dt.datetime.now(dt.timezone.utc).isoformat()
        await get_indexer().retrying(
            lambda: client.update(index=alerts_index, id=alert.id, doc={"alert": {"delivered_at": delivered_at}}),
            f"marking alert {alert.id} delivered")

    async def remember_text_matches(incident_id: str, event) -> list[str]:
        known = text_matched.get(incident_id) or []
        try:
            arrived = text_matches_in(event.headers)
        except ValueError as error:
            await pipeline.dead_letter("alert", f"unreadable text-matches header, incident handled without it: {error}",
                                       event.headers.get(TEXT_MATCHES_HEADER, b""), event)
            return known
        if set(arrived) <= set(known):
            return known
        remembered = sorted({*known, *arrived})
        text_matched[incident_id] = remembered
        return remembered

    @app.agent(topics["incidents"], name="alert_on_incidents")
    async def alert_on_incidents(stream):
        await watches.caught_up.wait()
        async for event in stream.events():
            incident = await pipeline.parse("alert", Incident, event.value, event)
            if incident is None or incident.historical:
                continue
            now = dt.datetime.now(dt.timezone.utc)
            matched_text = await remember_text_matches(incident.id, event)
            stored = states.get(incident.id) or {}
            current = {watch_id: AlertState.model_validate(raw) for watch_id, raw in stored.items()}
            changed, released = on_update(incident, watches.index.matching(incident, text_matched=matched_text),
                                          current, now, settings.alerting.summary_template)
            if changed:
                states[incident.id] = stored | {watch_id: state.model_dump(mode="json") for watch_id, state in changed.items()}
            for alert in await to_publish([alert for _, alert in released], now):
                await topics["alerts"].send(key=alert.id, value=alert.model_dump(mode="json"))

    # Alert id -> set when its delivery ends: a second record of an alert under way (published again after a
    # crash) waits for it, then finds the delivered mark, instead of sending the alert a second time at once.
    delivering: dict[str, asyncio.Event] = {}

    async def deliver(alert: Alert, event) -> None:
        while alert.id in delivering:
            await delivering[alert.id].wait()
        delivering[alert.id] = ended = asyncio.Event()
        try:
            watch = watches.index.get(alert.watch_id)
            if watch is None:
                log.warning("alert %s not delivered: watch %r was removed", alert.id, alert.watch_id)
            elif alert.id not in await undelivered_ids([alert.id]):
                log.info("alert %s was delivered before (or is not in %s)", alert.id, alerts_index)
            elif await dispatcher.deliver(watch, alert):
                await mark_delivered(alert)
            else:
                log.info("alert %s: every sink of watch %r dead-lettered it; it stays without a delivered mark",
                            alert.id, watch.id)
        except Exception as error:  # noqa: BLE001 - e.g. Elasticsearch refusing the mark: park it, keep delivering
            await pipeline.dead_letter("deliver", error, alert.model_dump(mode="json"), event)
        finally:
            del delivering[alert.id]
            ended.set()

    @app.agent(topics["alerts"], name="deliver_alerts")
    async def deliver_alerts(stream):
        await watches.caught_up.wait()
        manual = stream.noack()
        in_order = InOrderAcks(manual.ack, limit=dispatcher.capacity)
        async for event in manual.events():
            alert = await pipeline.parse("deliver", Alert, event.value, event)
            if alert is None:
                await in_order.skip(event)
            else:
                await in_order.start(event, deliver(alert, event))

    @app.task
    async def start_sinks():
        await dispatcher.start()

    @app.task
    async def follow_watches():
        async def refuse(error: str, payload: bytes) -> None:
            await pipeline.dead_letter("watches", error, payload)

        await follow(settings.kafka.bootstrap_servers, settings.topics.watches, watches, refuse)

    @app.on_before_shutdown.connect
    async def close_sinks(sender, **kwargs) -> None:
        await dispatcher.close()

    @app.timer(RELEASE_CHECK_SECONDS)
    async def release_held_alerts():
        """Alerts held back by a throttle window or quiet hours: re-send their incident once they may go out."""
        now = dt.datetime.now(dt.timezone.utc)
        for incident_id, by_watch in list(states.items()):
            for watch_id, raw in by_watch.items():
                state = AlertState.model_validate(raw)
                watch = watches.index.get(watch_id)
                if state.pending and watch is not None and release_at(state, watch, now) <= now:
                    latest = state.pending[-1].incident
                    await topics["incidents"].send(key=incident_id, value=latest.model_dump(mode="json"))
                    break

    return watches
