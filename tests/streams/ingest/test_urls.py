import pytest

from streams.ingest.urls import UnusableUrl, canonical_url, host_of


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/World/Story?b=2&a=1#comments", "https://news.example.com/World/Story?a=1&b=2"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=x&gclid=y&UTM_Campaign=z", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("https://[2001:DB8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
        ("https://example.com/a?q=caf%C3%A9+bar&ref=home", "https://example.com/a?q=caf%C3%A9+bar&ref=home"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_same_story_from_two_feeds_has_one_canonical_url():
    first = canonical_url("https://www.example.com/2016/10/quetta?utm_source=feed_a#top")
    second = canonical_url("HTTPS://WWW.EXAMPLE.COM/2016/10/quetta?utm_campaign=b&at_medium=rss")
    assert first == second


@pytest.mark.parametrize("url", ["ftp://example.com/a", "javascript:alert(1)", "/relative/path", "https://", "http://[::1"])
def test_unusable_urls_are_refused(url):
    with pytest.raises(UnusableUrl):
        canonical_url(url)


def test_host_of_normalises():
    assert host_of("https://Feeds.Example.com.:8443/rss") == "feeds.example.com"
