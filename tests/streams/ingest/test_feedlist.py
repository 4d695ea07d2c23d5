import pytest

from streams.ingest.feedlist import FeedConfig, FeedListError, load_feeds, parse_duration

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>World news</title></head>
  <body>
    <outline text="Wire services">
      <outline text="Harbour Wire" type="rss" xmlUrl="https://harbour-wire.example/rss.xml" htmlUrl="https://harbour-wire.example/"/>
      <outline text="Regional">
        <outline title="Andes Daily" xmlUrl="https://andes-daily.example/feed" language="es"/>
      </outline>
    </outline>
    <outline text="Lakeside" xmlUrl="https://lakeside-monitor.example/feed.json"/>
    <outline text="Duplicate of the first" xmlUrl="https://HARBOUR-WIRE.example/rss.xml#x"/>
    <outline text="A folder without feeds"/>
  </body>
</opml>
"""

YAML = """
defaults:
  interval: 10m
  tags: [lang:en]
feeds:
  - url: https://harbour-wire.example/rss.xml
    name: Harbour Wire
    tags: [type:wire, region:world]
    full_text: false
  - url: https://andes-daily.example/feed
    interval: 90
    enabled: false
  - https://lakeside-monitor.example/feed.json
"""


def test_opml_outlines_with_folders_as_tags(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(OPML)
    feeds = load_feeds(path)
    assert [(feed.label, feed.tags) for feed in feeds] == [
        ("Harbour Wire", ("wire services",)),
        ("Andes Daily", ("wire services", "regional")),
        ("Lakeside", ()),
    ]
    assert feeds[1].language == "es"
    assert all(feed.enabled and feed.full_text and feed.interval is None for feed in feeds)


def test_yaml_with_defaults_and_per_feed_settings(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_text(YAML)
    harbour, andes, lakeside = load_feeds(path)
    assert (harbour.name, harbour.interval, harbour.tags, harbour.full_text) == (
        "Harbour Wire", 600.0, ("type:wire", "region:world"), False)
    assert (andes.interval, andes.enabled, andes.tags) == (90.0, False, ("lang:en",))
    assert (lakeside.url, lakeside.label, lakeside.interval) == ("https://lakeside-monitor.example/feed.json", "lakeside-monitor.example", 600.0)


def test_feed_id_is_stable_across_spellings():
    assert FeedConfig(url="https://Example.com/rss?utm_source=x").id == FeedConfig(url="https://example.com/rss").id
    assert FeedConfig(url="https://example.com/rss").id != FeedConfig(url="https://example.com/atom").id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds:\n  - url: ftp://example.com/feed\n", r"feed #1 \(ftp://example.com/feed\): url: not an http\(s\) URL"),
        ("feeds:\n  - url: https://e.example/\n    interval: soon\n", "feed #1.*interval: not a duration"),
        ("feeds:\n  - url: https://e.example/\n    colour: red\n", "feed #1.*colour: Extra inputs are not permitted"),
        ("feeds:\n  - 42\n", "feed #1: expected a URL or a mapping"),
        ("just: a mapping\n", "expected a mapping with a `feeds:` list"),
        ("feeds: [\n", "not valid YAML"),
    ],
)
def test_yaml_errors_name_the_file_and_entry(tmp_path, text, message):
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    with pytest.raises(FeedListError, match=message):
        load_feeds(path)


def test_opml_errors(tmp_path):
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline xmlUrl='https://e.example/'>")
    with pytest.raises(FeedListError, match="not valid OPML"):
        load_feeds(broken)
    bad_url = tmp_path / "bad.opml"
    bad_url.write_text("<opml><body>\n<outline text='x' xmlUrl='javascript:alert(1)'/></body></opml>")
    with pytest.raises(FeedListError, match="line 2: url: not an http"):
        load_feeds(bad_url)
    with pytest.raises(FeedListError, match="does not exist"):
        load_feeds(tmp_path / "missing.opml")
    with pytest.raises(FeedListError, match="use an .opml or a .yaml"):
        load_feeds(broken.rename(tmp_path / "feeds.txt"))


def test_opml_entities_are_not_expanded(tmp_path):
    path = tmp_path / "bomb.opml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "https://e.example/">]>'
                    '<opml><body><outline text="x" xmlUrl="&a;"/></body></opml>')
    with pytest.raises(FeedListError, match="declares XML entities"):
        load_feeds(path)


@pytest.mark.parametrize(("value", "seconds"), [(30, 30.0), ("45", 45.0), ("15m", 900.0), ("2h", 7200.0), ("1.5d", 129600.0)])
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds
