import datetime as dt

import pytest

from streams.ingest.timestamps import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 25 Oct 2016 04:10:00 +0500", dt.datetime(2016, 10, 24, 23, 10, tzinfo=dt.UTC)),
        ("2016-10-25T04:10:00Z", dt.datetime(2016, 10, 25, 4, 10, tzinfo=dt.UTC)),
        ("2016-10-25", dt.datetime(2016, 10, 25, tzinfo=dt.UTC)),
        ("Tue, 25 Oct 2016 04:10 EST", dt.datetime(2016, 10, 25, 9, 10, tzinfo=dt.UTC)),
        ("25 October 2016", dt.datetime(2016, 10, 25, tzinfo=dt.UTC)),
        ("Tue, 32 Oct 2016 04:10:00 GMT", None),
        ("garbage", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_a_date_nothing_can_read_is_no_date():
    assert parse_date("0000-01-01T00:00:00Z") is None and parse_date("31 Feb 2024 10:00 GMT") is None


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "2100-01-01T00:00:00Z",
                                   "9999-12-31", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_a_date_the_article_contract_refuses_is_no_date(value):
    assert parse_date(value) is None
