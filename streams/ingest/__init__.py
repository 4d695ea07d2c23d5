"""Ingestion: feeds and files become Article records on the raw-articles topic, each exactly once."""
