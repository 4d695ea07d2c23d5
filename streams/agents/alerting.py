"""alert_on_incidents: incident updates -> the alerts they call for (AlertStore), created once in the outbox and
published to the alerts topic. release_held_alerts: the same for alerts held back by a throttle window or quiet
hours, on request of a timer. deliver_alerts: the alerts topic -> the sinks (AlertDelivery).

The alerts topic is read with manual acks (InOrderAcks): an alert is consumed only once its delivery and
every one before it are done, so a worker killed mid-delivery delivers it again after the restart. The
watches live here (LiveWatches); install returns them for the extraction agent, which tests text queries."""

from __future__ import annotations

import datetime as dt

from extractors.schema import Alert, Incident
from streams.alerting.alert_store import AlertStore
from streams.alerting.delivery import AlertDelivery
from streams.alerting.elasticsearch_outbox import ElasticsearchOutbox
from streams.alerting.publishing import AlertPublisher
from streams.alerting.sinks import build_dispatcher
from streams.runtime.in_order_acks import InOrderAcks
from streams.runtime.messages import TEXT_MATCHES_HEADER, text_matches_in
from streams.watches.live_watches import LiveWatches, follow
from streams.watches.loading import load_watches

RELEASE_CHECK_SECONDS = 30.0


def install(pipeline) -> LiveWatches:
    app, topics, settings = pipeline.app, pipeline.topics, pipeline.settings
    loaded = load_watches(settings.watches_file)
    # The alerts topic gets every alert (it is the pipeline's output); the kafka sink is for other clusters or topics.
    dispatcher = build_dispatcher(settings.alerting, dead_letter=pipeline.dead_letter,
                                  alerts_topic=(settings.kafka.bootstrap_servers, settings.topics.alerts))
    dispatcher.check(loaded)
    watches = LiveWatches(loaded, check=dispatcher.check)
    store = AlertStore(app.Table("alert-state"), app.Table("text-query-matches"), settings.alerting.summary_template)
    outbox = ElasticsearchOutbox(pipeline.indexer, settings.elasticsearch.index("alerts"))
    delivery = AlertDelivery(outbox, dispatcher, lambda: watches.index)

    async def send_alert(alert: Alert) -> None:
        # Not attached to the incident's record (sent at its commit) but sent now and acknowledged: the
        # publisher keeps the alert state only after this returns.
        sent = await topics["alerts"].send(key=alert.id, value=alert.model_dump(mode="json"), force=True)
        await sent

    async def refused(alert_id: str, error: str) -> None:
        await pipeline.dead_letter("alert", error, {"alert_id": alert_id})

    publisher = AlertPublisher(store, outbox, send_alert, refused)

    async def text_matches(event) -> list[str]:
        try:
            return text_matches_in(event.headers)
        except ValueError as error:
            await pipeline.dead_letter("alert", f"unreadable text-matches header, incident handled without it: {error}",
                                       event.headers.get(TEXT_MATCHES_HEADER, b""), event)
            return []

    @app.agent(topics["incidents"], name="alert_on_incidents")
    async def alert_on_incidents(stream):
        await watches.caught_up.wait()
        async for event in stream.events():
            incident = await pipeline.parse("alert", Incident, event.value, event)
            if incident is not None:
                now = dt.datetime.now(dt.timezone.utc)
                matches = await text_matches(event)
                await publisher.publish(incident.id, lambda: store.decision_on(incident, watches.index, matches, now), now)

    @app.timer(RELEASE_CHECK_SECONDS)
    async def request_releases():
        """A timer cannot write a table (Faust ties writes to the current record's partition), so it asks the
        agent that holds the incident's partition, through a topic partitioned as the incidents topic: to
        release held alerts that are due (wall clock), and to expire incidents past the window (stream clock)."""
        now = dt.datetime.now(dt.timezone.utc)
        for incident_id, at in store.held(watches.index, now).items():
            if at <= now:
                await topics["alert_releases"].send(key=incident_id, value={"incident_id": incident_id})
        stream_now = store.latest_update()
        for incident_id in store.expired(stream_now) if stream_now else ():
            await topics["alert_releases"].send(key=incident_id, value={"incident_id": incident_id,
                                                                        "expire_as_of": stream_now.isoformat()})

    @app.agent(topics["alert_releases"], name="release_held_alerts")
    async def release_held_alerts(stream):
        await watches.caught_up.wait()
        async for event in stream.events():
            now = dt.datetime.now(dt.timezone.utc)
            incident_id = event.value["incident_id"]
            await publisher.publish(incident_id, lambda: store.release_decision(incident_id, watches.index, now), now)
            if event.value.get("expire_as_of"):
                store.expire(incident_id, dt.datetime.fromisoformat(event.value["expire_as_of"]))

    async def deliver(alert: Alert, event) -> None:
        try:
            await delivery.deliver(alert)
        except Exception as error:  # noqa: BLE001 - e.g. Elasticsearch refusing the mark: park it, keep delivering
            await pipeline.dead_letter("deliver", error, alert.model_dump(mode="json"), event)

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

    return watches
