"""Deployment material: local Maven-provisioned services, Elasticsearch templates, Kibana objects, examples."""
