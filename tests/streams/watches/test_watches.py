import random
from pathlib import Path

import pytest

from extractors.schema import Location, Perpetrator, Region, Rule, Watch
from streams.watches.errors import WatchError
from streams.watches.geometry import Circle
from streams.watches.index import WatchIndex
from streams.watches.loading import load_watches, parse_watches
from streams.watches.prepared import explain
from streams.watches.text_query import SearchableText, TextQuery
from tests.streams.alert_factories import QUETTA, located, quetta_incident, text_query_watches

EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "watches.example.yaml"
KARACHI = (24.8607, 67.0011)


def watch(watch_id: str = "w", **region) -> Watch:
    return Watch(id=watch_id, name=watch_id, region=Region(**region))


def ruled(**rule) -> Watch:
    return Watch(id="r", name="r", region=Region(countries=["PK"]), rule=Rule(**rule))


def matches(w: Watch, incident=None, text: str | None = None, text_matched: tuple[str, ...] = ()) -> bool:
    incident = incident or quetta_incident()
    found = WatchIndex.build([w]).matching(incident, text, text_matched) == [w]
    verdict = explain(w, incident, text, text_matched)[0].split()[2]
    assert verdict == ("MATCHES" if found else "does"), "explain disagrees with the index"
    return found


def test_the_example_file_loads_with_every_kind_of_region():
    watches = load_watches(EXAMPLE)
    regions = [w.region for w in watches]
    assert any(r.countries for r in regions) and any(r.admin1 for r in regions)
    assert any(r.geojson for r in regions) and any(r.radius_km for r in regions) and any(r.bbox for r in regions)
    assert {w.id for w in WatchIndex.build(watches).matching(quetta_incident())} >= {"pakistan-all", "quetta-100km", "balochistan-bombings"}


def test_countries():
    assert matches(watch(countries=["PK"]))
    assert not matches(watch(countries=["AF", "IN"]))
    assert not matches(watch(countries=["PK"]), quetta_incident(location=Location(city="Quetta")))


def test_admin1_plain_and_country_qualified():
    assert matches(watch(admin1=["balochistan"]))
    assert matches(watch(admin1=["PK/Balochistan"]))
    assert not matches(watch(admin1=["AF/Balochistan"]))
    lahore = quetta_incident(location=Location(city="Lahore", admin1="Punjab", country="PK", precision="city"))
    amritsar = quetta_incident(location=Location(city="Amritsar", admin1="Punjab", country="IN", precision="city"))
    assert matches(watch(admin1=["PK/Punjab"]), lahore)
    assert not matches(watch(admin1=["PK/Punjab"]), amritsar)
    assert matches(watch(admin1=["Punjab"]), amritsar)


def test_point_and_radius():
    assert matches(watch(point=QUETTA, radius_km=100))
    karachi = quetta_incident(**located(*KARACHI, country="PK"))
    assert not matches(watch(point=QUETTA, radius_km=100), karachi)
    assert 585 < Circle(*QUETTA, 1).distance_km(KARACHI) < 600
    assert matches(watch(point=QUETTA, radius_km=700), karachi)


def test_radius_across_the_antimeridian_and_near_a_pole():
    fiji = watch(point=(-17.0, 179.9), radius_km=100)
    assert matches(fiji, quetta_incident(**located(-17.1, -179.7)))
    assert not matches(fiji, quetta_incident(**located(-17.1, -178.0)))
    assert len(Circle(-17.0, 179.9, 100).boxes()) == 2
    assert matches(watch(point=(89.5, 0.0), radius_km=200), quetta_incident(**located(89.0, 170.0)))


def test_bbox():
    assert matches(watch(bbox=(66.0, 29.0, 68.0, 31.0)))
    assert not matches(watch(bbox=(66.0, 29.0, 68.0, 30.0)))


SQUARE = [[[66.0, 29.0], [68.0, 29.0], [68.0, 31.0], [66.0, 31.0], [66.0, 29.0]]]


def test_polygon_multipolygon_and_feature():
    assert matches(watch(geojson={"type": "Polygon", "coordinates": SQUARE}))
    far = [[[10.0, 10.0], [11.0, 10.0], [11.0, 11.0], [10.0, 10.0]]]
    assert not matches(watch(geojson={"type": "Polygon", "coordinates": far}))
    assert matches(watch(geojson={"type": "MultiPolygon", "coordinates": [far, SQUARE]}))
    assert matches(watch(geojson={"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": SQUARE}}))


def test_geometry_needs_a_city_level_location():
    province = quetta_incident(location=Location(admin1="Balochistan", country="PK", lat=28.5, lon=65.5, precision="admin1"))
    assert not matches(watch(point=(28.5, 65.5), radius_km=50), province)
    assert matches(watch(countries=["PK"], point=(28.5, 65.5), radius_km=50), province)
    assert "needs a city-level location (incident precision: admin1)" in "\n".join(
        explain(watch(point=(28.5, 65.5), radius_km=50), province)
    )


def test_a_watch_without_region_matches_anywhere():
    assert matches(watch(), quetta_incident(location=Location()))


def test_any_region_part_is_enough():
    assert matches(watch(countries=["AF"], bbox=(66.0, 29.0, 68.0, 31.0)))


def test_toll_minimums_are_alternatives():
    assert matches(ruled(min_killed=50))
    assert not matches(ruled(min_killed=60))
    assert matches(ruled(min_killed=60, min_injured=101))
    assert not matches(ruled(min_injured=102))
    assert not matches(ruled(min_killed=1), quetta_incident(killed=None, injured=None))


def test_attack_types_and_perpetrators():
    assert matches(ruled(attack_types=["bombing", "kidnapping"]))
    assert not matches(ruled(attack_types=["kidnapping"]))
    assert matches(ruled(perpetrators=["islamic state"]))
    assert matches(ruled(perpetrators=["Khorasan Province"]))
    assert matches(ruled(perpetrators=["ISIS"]))
    assert matches(ruled(perpetrators=["Lashkar e Jhangvi"]))
    assert not matches(ruled(perpetrators=["Taliban"]))
    assert not matches(ruled(perpetrators=["Islamic State"]), quetta_incident(perpetrators=[Perpetrator(name="Taliban", role="suspected")]))


def test_text_query_reads_evidence_place_target_and_the_article_when_given():
    assert matches(ruled(text_query="cadets"))
    assert matches(ruled(text_query='"training college" quetta'))
    assert not matches(ruled(text_query="dormitory"))
    assert matches(ruled(text_query="dormitory"), text="They stormed a dormitory of unarmed cadets.")


def test_a_text_query_an_article_satisfied_at_extraction_keeps_matching_the_incident():
    dormitory = ruled(text_query="dormitory")
    assert matches(dormitory, text_matched=("r",))
    assert not matches(dormitory, text_matched=("another-watch",))
    assert not matches(ruled(text_query="dormitory", min_killed=100), text_matched=("r",)), "the other conditions still hold"
    assert "  yes  rule: text query: matched an article of the incident when it was extracted" in explain(
        dormitory, quetta_incident(), text_matched=("r",))


def test_text_matches_names_the_watches_whose_query_the_article_satisfies():
    watches = [
        Watch(id="cadets", name="n", region=Region(countries=["AF"]), rule=Rule(text_query="cadets -drill")),
        Watch(id="college", name="n", region=Region(), rule=Rule(text_query='"training college" OR academy')),
        Watch(id="hostages", name="n", region=Region(), rule=Rule(text_query="hostages")),
        Watch(id="no-query", name="n", region=Region()),
    ]
    index = WatchIndex.build(watches)
    article = "Gunmen stormed the Police Training-College in Quetta and killed 59 cadets."
    assert index.text_matches(article) == ["cadets", "college"], "the region plays no part: the incident is not known yet"
    assert index.text_matches(article + " It was not a drill.") == ["college"]
    assert index.text_matches("") == []
    assert WatchIndex.build([watches[3]]).text_matches(article) == []


def test_text_matches_agrees_with_testing_every_query():
    rng = random.Random(11)
    words = "police cadets college training quetta bomber suicide gunmen market school attack killed".split()

    def term() -> str:
        return f'"{rng.choice(words)} {rng.choice(words)}"' if rng.random() < 0.3 else rng.choice(words)

    watches = text_query_watches(300, term, rng)
    index = WatchIndex.build(watches)
    matched = 0
    for _ in range(60):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        expected = [w.id for w in watches if TextQuery.parse(w.rule.text_query).matches(SearchableText(text))]
        assert index.text_matches(text) == expected, text
        matched += len(expected)
    assert matched > 60, "the random queries should match often enough to test something"


def test_explain_says_why():
    lines = explain(ruled(min_killed=100, attack_types=["bombing"]), quetta_incident())
    assert lines[0] == "watch 'r' does not match incident 'quetta-2016' (failed: rule)"
    assert any(line.startswith("  no   rule: toll killed >= 100") for line in lines)
    assert any(line.startswith("  yes  rule: attack type in bombing") for line in lines)
    assert any(line.startswith("  yes  region: country in PK") for line in lines)
    radius = explain(watch(point=QUETTA, radius_km=1), quetta_incident(**located(30.2, 67.1)))
    assert "within 1 km of (30.1798, 66.975): 12.2 km away" in radius[1]


def test_the_index_agrees_with_a_brute_force_scan():
    rng = random.Random(7)
    countries = ["PK", "AF", "IN", "NG", "ML"]
    watches = []
    for number in range(200):
        lat, lon = rng.uniform(-60, 60), rng.uniform(-170, 140)
        kind = number % 5
        region = [
            {"countries": [rng.choice(countries)]},
            {"admin1": [rng.choice(["Balochistan", "PK/Punjab", "Borno"])]},
            {"point": (lat, lon), "radius_km": rng.uniform(10, 2000)},
            {"bbox": (lon, lat, lon + rng.uniform(1, 30), lat + rng.uniform(1, 20))},
            {"geojson": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 20, lat], [lon, lat + 20], [lon, lat]]]}},
        ][kind]
        watches.append(Watch(id=f"w{number}", name="n", region=Region(**region), rule=Rule(min_killed=rng.choice([0, 10, 80]))))
    index = WatchIndex.build(watches)
    matched = 0
    for _ in range(80):
        place = {"country": rng.choice(countries), "admin1": rng.choice(["Balochistan", "Punjab", "Borno"])}
        incident = quetta_incident(**located(rng.uniform(-60, 60), rng.uniform(-170, 170), **place))
        expected = [w for w in watches if explain(w, incident)[0].split()[2] == "MATCHES"]
        assert index.matching(incident) == expected
        matched += len(expected)
    assert matched > 80, "the random watches should match often enough to test something"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watches.yaml"
    path.write_text(text)
    return path


def test_a_bare_list_is_accepted(tmp_path):
    assert [w.id for w in load_watches(write(tmp_path, "- {id: a, name: A, region: {countries: [PK]}}\n"))] == ["a"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{id: a, name: A, region: {countries: [Pakistan]}}", "watch #1 ('a'): region.countries: 'Pakistan' is not an ISO 3166-1 alpha-2 code; did you mean 'PK'?"),
        ("{id: a, name: A, region: {radius_km: 10}}", "watch #1 ('a'): region: point and radius_km go together"),
        ("{id: a, name: A, region: {point: [95, 10], radius_km: 10}}", "region.point: [95.0, 10.0] is not [lat, lon]"),
        ("{id: a, name: A, region: {radius_km: -3, point: [1, 1]}}", "watch #1 ('a'): region.radius_km: Input should be greater than 0"),
        ("{id: a, name: A, region: {bbox: [68, 29, 66, 31]}}", "region.bbox: [68.0, 29.0, 66.0, 31.0] is not [min_lon, min_lat, max_lon, max_lat]"),
        ("{id: a, name: A, region: {geojson: {type: Point, coordinates: [1, 2]}}}", "region.geojson: must be a GeoJSON Polygon or MultiPolygon"),
        ("{id: a, name: A, region: {geojson: {type: Polygon, coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}}}", "region.geojson: invalid polygon (Self-intersection"),
        ("{id: a, name: A, region: {geojson: {type: Polygon, coordinates: [[[30, 100], [31, 100], [31, 101], [30, 100]]]}}}", "lat/lon swapped?"),
        ("{id: a, name: A, region: {admin1: ['PK/']}}", "region.admin1: 'PK/' has no letters"),
        ("{id: a, name: A, region: {}, rule: {text_query: '\"x'}}", "rule.text_query: text query '\"x' has an unbalanced double quote"),
        ("{id: a, name: A, region: {}, rule: {attack_types: [riot]}}", "watch #1 ('a'): rule.attack_types.0: Input should be"),
        ("{id: a, name: A, region: {}, colour: red}", "watch #1 ('a'): colour: Extra inputs are not permitted"),
        ("{id: a, name: A, region: {}, quiet_hours: [6, 6]}", "quiet_hours: [6, 6] is not [start, end]"),
        ("{id: a, name: A, region: {}, timezone: Mars/Olympus}", "timezone: 'Mars/Olympus' is not an IANA time zone"),
        ("{id: a, name: A, region: {}, sinks: []}", "sinks: empty"),
        ("{name: A, region: {}}", "watch #1: id: Field required"),
    ],
)
def test_bad_watches_are_reported_with_id_and_field(tmp_path, entry, message):
    path = write(tmp_path, f"watches:\n  - {entry}\n")
    with pytest.raises(WatchError) as error:
        load_watches(path)
    assert f"{path}: " in str(error.value)
    assert message in str(error.value)


def test_every_problem_is_reported_at_once_including_duplicate_ids():
    with pytest.raises(WatchError) as error:
        parse_watches(
            [
                {"id": "a", "name": "A", "region": {"countries": ["XX"]}},
                {"id": "b", "name": "B", "region": {}},
                {"id": "b", "name": "B again", "region": {}},
            ],
            source="inline",
        )
    lines = str(error.value).splitlines()
    assert lines == [
        "inline: watch #1 ('a'): region.countries: 'XX' is not an ISO 3166-1 alpha-2 code",
        "inline: watch #3 ('b'): id is used by an earlier watch; ids must be unique",
    ]


def test_unreadable_files_say_which_file(tmp_path):
    with pytest.raises(WatchError, match="cannot read watches from .*missing.yaml"):
        load_watches(tmp_path / "missing.yaml")
    with pytest.raises(WatchError, match="expected a list of watches"):
        load_watches(write(tmp_path, "watches: 3\n"))
