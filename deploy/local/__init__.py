"""Real Kafka and Elasticsearch on 127.0.0.1 without Docker, provisioned from Maven Central."""
