"""The Faust runtime: the app and its topics, the messages between agents, batches, in-order acks, and the
workarounds for Faust internals (checked at start-up against the versions they were analysed on)."""
