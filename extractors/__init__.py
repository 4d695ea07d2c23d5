"""newswatch extractors: article text in, structured attack incidents out. Pure Python: no Kafka, no Elasticsearch."""
