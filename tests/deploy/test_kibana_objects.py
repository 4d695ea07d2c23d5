"""deploy/kibana: well-formed saved objects whose references resolve and whose fields exist in our index templates."""

import fnmatch
import json
import re
from pathlib import Path

import pytest

from streams.elasticsearch.templates import template_bodies

KIBANA = Path(__file__).resolve().parents[2] / "deploy" / "kibana"
RECORDS = "___records___"


def load_objects() -> list[dict]:
    objects = []
    for path in sorted(KIBANA.glob("*.ndjson")):
        objects += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return objects


OBJECTS = load_objects()
BY_KEY = {(o["type"], o["id"]): o for o in OBJECTS}


def flatten(properties: dict, prefix: str = "") -> dict[str, str]:
    fields = {}
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        if "properties" in spec:
            fields.update(flatten(spec["properties"], f"{path}."))
        else:
            fields[path] = spec.get("type", "object")
    return fields


def template_fields() -> dict[str, dict[str, str]]:
    """Index pattern -> {field path: type}, merged as Elasticsearch composes the templates."""
    components, indices = template_bodies("newswatch")
    merged = {}
    for body in indices.values():
        fields = {}
        for name in body.get("composed_of", []):
            fields.update(flatten(components[name]["template"]["mappings"]["properties"]))
        fields.update(flatten((body.get("template") or {}).get("mappings", {}).get("properties", {})))
        for pattern in body["index_patterns"]:
            merged[pattern] = fields
    return merged


TEMPLATES = template_fields()


def data_view_fields(view_id: str) -> dict[str, str]:
    title = BY_KEY[("index-pattern", view_id)]["attributes"]["title"]
    [pattern] = [p for p in TEMPLATES if fnmatch.fnmatch(title.rstrip("*") + "x", p)]
    return TEMPLATES[pattern]


def reference(saved: dict, name: str) -> dict:
    matches = [r for r in saved["references"] if r["name"] == name]
    assert len(matches) == 1, f"{saved['type']} {saved['id']}: expected one reference named {name!r}"
    return matches[0]


def kql_fields(query: str) -> list[str]:
    return re.findall(r"([\w.@]+)\s*(?::|<=|>=|<|>)", query)


def test_every_object_is_well_formed_and_unique():
    assert OBJECTS, "deploy/kibana holds no saved objects"
    for saved in OBJECTS:
        assert {"type", "id", "attributes", "references"} <= saved.keys()
        assert saved["attributes"]["title"]
        assert saved["coreMigrationVersion"] and saved["typeMigrationVersion"]
    assert len(BY_KEY) == len(OBJECTS)


def test_every_reference_points_to_an_object_we_ship():
    for saved in OBJECTS:
        for ref in saved["references"]:
            assert (ref["type"], ref["id"]) in BY_KEY, f"{saved['id']} refers to missing {ref['type']} {ref['id']}"


def test_data_views_cover_articles_incidents_and_alerts_and_match_a_template():
    views = {o["id"]: o["attributes"] for o in OBJECTS if o["type"] == "index-pattern"}
    assert {"newswatch-articles", "newswatch-incidents", "newswatch-alerts"} <= views.keys()
    for view_id, attributes in views.items():
        fields = data_view_fields(view_id)
        assert fields[attributes["timeFieldName"]] == "date"


def saved_search(title: str) -> dict:
    [found] = [o for o in OBJECTS if o["type"] == "search" and o["attributes"]["title"] == title]
    return found


@pytest.mark.parametrize("title", ["Attacks in the last 24 hours", "Incidents by country", "Alerts by watch"])
def test_saved_searches_use_fields_that_exist(title):
    search = saved_search(title)
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    view = reference(search, source["indexRefName"])
    assert view["type"] == "index-pattern"
    fields = data_view_fields(view["id"])
    used = search["attributes"]["columns"] + [field for field, _ in search["attributes"]["sort"]]
    used += kql_fields(source["query"]["query"])
    missing = [field for field in used if field not in fields]
    assert not missing, f"{title}: fields not in the {view['id']} mapping: {missing}"


def test_the_24_hour_search_restores_its_time_range_and_skips_historical_incidents():
    attributes = saved_search("Attacks in the last 24 hours")["attributes"]
    assert attributes["timeRestore"] is True and attributes["timeRange"] == {"from": "now-24h", "to": "now"}
    assert "not incident.historical: true" in attributes["kibanaSavedObjectMeta"]["searchSourceJSON"]


def test_the_grouping_searches_sort_by_their_group_first():
    assert saved_search("Incidents by country")["attributes"]["sort"][0] == ["geo.country_name", "asc"]
    assert saved_search("Alerts by watch")["attributes"]["sort"][0] == ["rule.name", "asc"]


def lens_objects() -> list[dict]:
    return [o for o in OBJECTS if o["type"] == "lens"]


def test_lens_layers_reference_a_data_view_and_use_mapped_fields():
    assert lens_objects()
    for saved in lens_objects():
        layers = saved["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
        for layer_id, layer in layers.items():
            view = reference(saved, f"indexpattern-datasource-layer-{layer_id}")
            fields = data_view_fields(view["id"])
            assert set(layer["columnOrder"]) == set(layer["columns"])
            for column in layer["columns"].values():
                if column["sourceField"] != RECORDS:
                    assert column["sourceField"] in fields, f"{saved['id']}: {column['sourceField']} is not mapped"
                if column["operationType"] in ("sum", "average", "max"):
                    assert fields[column["sourceField"]] in ("integer", "long", "float", "double")
                if column["operationType"] == "date_histogram":
                    assert fields[column["sourceField"]] == "date"
        visual = saved["attributes"]["state"]["visualization"]
        for visual_layer in visual["layers"]:
            accessors = [visual_layer["xAccessor"], *visual_layer["accessors"]]
            assert set(accessors) <= set(layers[visual_layer["layerId"]]["columns"])


def test_the_map_shows_incidents_on_their_geo_point():
    [saved] = [o for o in OBJECTS if o["type"] == "map"]
    layers = json.loads(saved["attributes"]["layerListJSON"])
    es_layers = [layer for layer in layers if layer["sourceDescriptor"]["type"] == "ES_SEARCH"]
    assert es_layers
    for layer in es_layers:
        source = layer["sourceDescriptor"]
        view = reference(saved, source["indexPatternRefName"])
        fields = data_view_fields(view["id"])
        assert view["id"] == "newswatch-incidents" and fields[source["geoField"]] == "geo_point"
        styled = [p["options"]["field"]["name"] for p in layer["style"]["properties"].values()
                  if p.get("type") == "DYNAMIC"]
        missing = [f for f in source["tooltipProperties"] + [source["sortField"]] + styled if f not in fields]
        assert not missing, f"map layer {layer['id']}: unmapped fields {missing}"


def test_the_dashboard_has_a_map_tolls_over_time_and_top_perpetrators():
    [dashboard] = [o for o in OBJECTS if o["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    targets = []
    for panel in panels:
        ref = reference(dashboard, f"{panel['panelIndex']}:{panel['panelRefName']}")
        assert ref["type"] == panel["type"]
        assert panel["gridData"]["i"] == panel["panelIndex"] and panel["gridData"]["x"] + panel["gridData"]["w"] <= 48
        targets.append(BY_KEY[(ref["type"], ref["id"])]["attributes"]["title"])
    assert {"Incidents on a map", "Tolls over time", "Top perpetrators"} <= set(targets)
    tolls = BY_KEY[("lens", "newswatch-tolls-over-time")]["attributes"]["state"]["datasourceStates"]["formBased"]
    assert {c["sourceField"] for c in tolls["layers"]["layer1"]["columns"].values()} >= {"incident.killed", "incident.injured"}
    perpetrators = BY_KEY[("lens", "newswatch-top-perpetrators")]["attributes"]["state"]["datasourceStates"]["formBased"]
    assert any(c["sourceField"] == "incident.perpetrators" and c["operationType"] == "terms"
               for c in perpetrators["layers"]["layer1"]["columns"].values())
