"""Alerting as plain code, called by the alerting agents and by `newswatch replay`.

decision             which alerts an incident update calls for, and when they may go out (AlertState)
text                 the summary and sink templates
alert_store          AlertStore: the decisions' state over injected mappings (Faust tables, or dicts)
outbox               the Outbox interface (create once, undelivered, mark delivered) and InMemoryOutbox
elasticsearch_outbox the worker's outbox, the `<prefix>-alerts` index
delivery             AlertDelivery: an alert to the sinks of its watch, then its delivered mark
sinks/               one sink per file, the registry, lanes and circuit breakers

Nothing is imported here: the sinks import `text`, and `delivery` imports the sinks.
"""
