"""The index templates of deploy/elasticsearch, created or updated idempotently, before anything is indexed."""

from __future__ import annotations

import json
from pathlib import Path

from elasticsearch import Elasticsearch

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "elasticsearch"
COMPONENTS = ("base", "incident")
INDEX_KINDS = ("articles", "incidents", "alerts", "watches", "feeds")


def template_bodies(prefix: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """Component and index template bodies from deploy/elasticsearch, with the index prefix filled in."""

    def load(name: str) -> dict:
        return json.loads((TEMPLATES_DIR / f"{name}.json").read_text().replace("{prefix}", prefix))

    components = {f"{prefix}-{name}": load(f"component-{name}") for name in COMPONENTS}
    indices = {
        f"{prefix}-{kind}": load(kind) for kind in INDEX_KINDS if (TEMPLATES_DIR / f"{kind}.json").exists()
    }
    return components, indices


def ensure_templates(client: Elasticsearch, prefix: str) -> None:
    """Create or update the templates (PUT is idempotent); indices are created from them on first write.

    Indices that already exist get the templates' fields too: the mappings are strict, so a field added in
    a newer version would otherwise make Elasticsearch refuse every document that carries it."""
    components, indices = template_bodies(prefix)
    for name, body in components.items():
        client.cluster.put_component_template(name=name, template=body["template"], meta=body.get("_meta"))
    for name, body in indices.items():
        client.indices.put_index_template(
            name=name,
            index_patterns=body["index_patterns"],
            composed_of=body.get("composed_of", []),
            priority=body.get("priority"),
            template=body.get("template"),
            meta=body.get("_meta"),
        )
        properties: dict = {}
        for part in [components[component] for component in body.get("composed_of", [])] + [body]:
            properties |= part.get("template", {}).get("mappings", {}).get("properties", {})
        client.indices.put_mapping(index=body["index_patterns"], properties=properties, allow_no_indices=True,
                                   ignore_unavailable=True)
