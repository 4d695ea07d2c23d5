"""Elasticsearch: client options, index templates, documents, and bulk indexing with retries."""
