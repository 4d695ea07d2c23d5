"""newswatch streams: the Faust app, feed ingestion, indexing and alerting around the pure extractors."""
