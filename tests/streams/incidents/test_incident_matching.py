"""Which reports are one event: partial places, shifted or missing dates and diverging tolls join; distinct attacks
in one town on consecutive days, or in two provinces on one day, stay apart. Invented reports, real coordinates."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.schema import Count, IncidentReport, Location, Perpetrator, Target
from streams.incidents.matching import MATCH_THRESHOLD, best_match, match
from streams.incidents.merge import ArticleRef, merge
from streams.incidents.store import IncidentStore, record_report

MONDAY = dt.date(2019, 3, 11)
TUESDAY = MONDAY + dt.timedelta(days=1)
NIGERIA = Location(name="Nigeria", country="NG", lat=9.08, lon=8.68, precision="country")
BORNO = Location(name="Borno", admin1="Borno", country="NG", lat=11.5, lon=13.0, precision="admin1")
YOBE = Location(name="Yobe", admin1="Yobe", country="NG", lat=12.0, lon=11.5, precision="admin1")
MAIDUGURI = Location(name="Maiduguri", city="Maiduguri", admin1="Borno", country="NG", lat=11.8469, lon=13.1571, precision="city")
DAMATURU = Location(name="Damaturu", city="Damaturu", admin1="Yobe", country="NG", lat=11.747, lon=11.9608, precision="city")
# A village no gazetteer has, placed at its state's coordinates.
VILLAGE = Location(name="Kawuri", city="Kawuri", admin1="Borno", country="NG", lat=11.5, lon=13.0, precision="admin1")
PESHAWAR = Location(name="Peshawar", city="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.008, lon=71.5785,
                    precision="city")
ATTOCK = Location(name="Attock", city="Attock", admin1="Punjab", country="PK", lat=33.7667, lon=72.3597, precision="city")


def bombing(**facts) -> IncidentReport:
    defaults = dict(role="main", attack_types=["bombing"], date=MONDAY, date_precision="day", location=MAIDUGURI,
                    killed=Count(value=21), target=Target(type="civilians", text="a crowded market"))
    return IncidentReport(**{**defaults, **facts})


def undated(report: IncidentReport) -> IncidentReport:
    return report.model_copy(update={"date": None, "date_precision": None})


def published(number: int, day: dt.date | None) -> ArticleRef:
    moment = dt.datetime.combine(day, dt.time(18), dt.timezone.utc) if day else None
    return ArticleRef(id=f"article-{number}", source=f"outlet-{number}", published=moment)


def record_all(reports: list[tuple[IncidentReport, ArticleRef]]) -> list[str]:
    """The incident id each report went to, in order."""
    store = IncidentStore({})
    now = dt.datetime.combine(MONDAY, dt.time(20), dt.timezone.utc)
    return [record_report(store, report, article, now + dt.timedelta(hours=n)).incident.id
            for n, (report, article) in enumerate(reports)]


def test_partial_places_a_day_off_a_missing_date_and_a_rising_toll_make_one_incident():
    store = IncidentStore({})
    now = dt.datetime.combine(TUESDAY, dt.time(8), dt.timezone.utc)
    reports = [
        # A late-night attack on Monday, first reported on Tuesday: only the state, the first toll.
        (bombing(location=BORNO, killed=Count(value=2)), published(1, TUESDAY)),
        (bombing(date=TUESDAY, killed=Count(value=19)), published(2, TUESDAY)),  # the town, dated a day late
        (bombing(location=VILLAGE, killed=Count(value=25)), published(3, TUESDAY)),  # the village, at the state's coordinates
        (undated(bombing(location=NIGERIA, killed=Count(value=103, qualifier="more_than"))), published(4, MONDAY + dt.timedelta(days=2))),
    ]
    outcomes = [record_report(store, report, article, now) for report, article in reports]
    assert [o.status for o in outcomes] == ["created", "updated", "updated", "updated"]
    incident = outcomes[-1].incident
    assert incident.article_ids == ["article-1", "article-2", "article-3", "article-4"]
    assert incident.location == MAIDUGURI and incident.date == MONDAY and incident.first_published == TUESDAY
    assert [change.current.value for change in incident.toll_history] == [2, 19, 25, 103]


def test_two_attacks_in_one_town_a_day_apart_stay_apart():
    market = bombing(perpetrators=[Perpetrator(name="Islamic State", role="claimed")], suicide=True)
    checkpoint = bombing(date=TUESDAY, attack_types=["armed_assault"], killed=Count(value=3),
                         target=Target(type="police", text="a police checkpoint"))
    ids = record_all([
        (market, published(1, MONDAY)),
        (checkpoint, published(2, TUESDAY)),
        (undated(market.model_copy(update={"killed": Count(value=23), "perpetrators": []})), published(3, TUESDAY)),
        (checkpoint.model_copy(update={"killed": Count(value=4)}), published(4, TUESDAY)),
    ])
    assert ids[0] == ids[2] != ids[1] == ids[3]


def test_a_report_dated_a_day_after_the_incident_was_already_news_needs_more_than_town_and_type():
    now = dt.datetime(2019, 3, 12, 20, tzinfo=dt.timezone.utc)
    reported_monday = merge(None, bombing(target=Target()), published(1, MONDAY), now)
    reported_tuesday = merge(None, bombing(target=Target()), published(1, TUESDAY), now)
    next_day = bombing(date=TUESDAY, killed=Count(value=40), target=Target())
    assert match(reported_tuesday, next_day, reported_on=TUESDAY) >= MATCH_THRESHOLD
    assert match(reported_monday, next_day, reported_on=TUESDAY) < MATCH_THRESHOLD
    assert match(reported_monday, next_day.model_copy(update={"killed": Count(value=21)}), reported_on=TUESDAY) < MATCH_THRESHOLD
    assert match(merge(None, next_day, published(2, TUESDAY), now), bombing(target=Target()), reported_on=MONDAY) < MATCH_THRESHOLD


def test_two_attacks_in_two_provinces_on_one_day_stay_apart_and_a_country_only_report_joins_neither():
    ids = record_all([
        (bombing(), published(1, MONDAY)),
        (bombing(location=DAMATURU, killed=Count(value=8)), published(2, MONDAY)),
        (bombing(location=YOBE, killed=Count(value=9)), published(3, TUESDAY)),
        (bombing(location=BORNO, killed=Count(value=22)), published(4, TUESDAY)),
        (bombing(location=NIGERIA, killed=Count(value=30)), published(5, TUESDAY)),
    ])
    maiduguri, damaturu, yobe, borno, nigeria = ids
    assert maiduguri == borno and damaturu == yobe and maiduguri != damaturu
    assert nigeria not in (maiduguri, damaturu)


def test_towns_in_different_provinces_are_different_places_up_to_100_km_apart_or_with_the_same_name():
    now = dt.datetime(2019, 3, 11, tzinfo=dt.timezone.utc)
    peshawar = merge(None, bombing(location=PESHAWAR), published(1, MONDAY), now)
    assert match(peshawar, bombing(location=ATTOCK)) == 0.0
    assert match(peshawar, bombing(location=PESHAWAR.model_copy(update={"lat": 33.9, "lon": 72.0}))) >= MATCH_THRESHOLD
    village = merge(None, bombing(location=VILLAGE), published(1, MONDAY), now)
    assert match(village, bombing(location=VILLAGE.model_copy(update={"admin1": "Yobe", "lat": 12.0, "lon": 11.5}))) == 0.0
    assert match(village, bombing(location=VILLAGE)) >= MATCH_THRESHOLD


@pytest.mark.parametrize(("country", "first", "second", "same"), [
    ("NG", "Borno", "Borno State", True),
    ("IN", "Jammu and Kashmir", "Kashmir", True),
    ("EG", "Al Minya", "Minya", True),
    ("NG", "Borno", "Yobe", False),
    ("CM", "North-West", "West", False),  # compass words alone name no province
    ("CM", "Far North", "North", False),
])
def test_a_province_spelled_another_way_is_the_same_province(country, first, second, same):
    now = dt.datetime(2019, 3, 11, tzinfo=dt.timezone.utc)
    def province(name: str) -> Location:
        return Location(name=name, admin1=name, country=country, precision="admin1")

    incident = merge(None, bombing(location=province(first)), published(1, MONDAY), now)
    assert (match(incident, bombing(location=province(second))) >= MATCH_THRESHOLD) is same


def test_a_country_only_report_joins_with_the_same_type_and_a_close_publication_day_but_not_days_later():
    incident = merge(None, bombing(), published(1, MONDAY), dt.datetime(2019, 3, 11, tzinfo=dt.timezone.utc))
    country_only = undated(bombing(location=NIGERIA, killed=Count(value=40), target=Target(type="civilians")))
    assert match(incident, country_only, reported_on=TUESDAY) >= MATCH_THRESHOLD
    assert match(incident, country_only, reported_on=MONDAY + dt.timedelta(days=6)) < MATCH_THRESHOLD
    assert match(incident, country_only) < MATCH_THRESHOLD
    assert match(incident, country_only.model_copy(update={"attack_types": ["kidnapping"]}), reported_on=TUESDAY) < MATCH_THRESHOLD


def test_a_news_report_prefers_a_news_incident_and_a_background_mention_a_historical_one():
    now = dt.datetime(2019, 3, 12, tzinfo=dt.timezone.utc)
    news = merge(None, bombing(), published(1, MONDAY), now)
    historical = merge(None, bombing(role="background"), published(2, None), now, incident_id="older-mention")
    assert historical.historical and match(news, undated(bombing())) == match(historical, undated(bombing()))
    assert best_match([historical, news], undated(bombing())) is news
    assert best_match([news, historical], undated(bombing(role="background"))) is historical


def test_an_incident_keeps_the_earliest_day_one_of_its_articles_was_published():
    now = dt.datetime(2019, 3, 13, tzinfo=dt.timezone.utc)
    incident = merge(None, bombing(), published(1, None), now)
    assert incident.first_published is None
    incident = merge(incident, bombing(), published(2, TUESDAY), now)
    incident = merge(incident, bombing(), published(3, MONDAY), now)
    incident = merge(incident, bombing(), published(4, None), now)
    assert incident.first_published == MONDAY


def test_a_report_fitting_two_incidents_about_equally_joins_the_only_one_in_its_town():
    now = dt.datetime.combine(TUESDAY, dt.time(8), dt.timezone.utc)
    by_province = merge(None, bombing(location=VILLAGE, killed=Count(value=12)), published(1, None), now)
    in_town = merge(None, undated(bombing(killed=Count(value=15))), published(2, None), now)
    report = bombing(killed=Count(value=14))
    scores = [match(incident, report) for incident in (by_province, in_town)]
    assert min(scores) >= MATCH_THRESHOLD and abs(scores[0] - scores[1]) < 1.0
    assert best_match([by_province, in_town], report) is in_town
    other_in_town = merge(None, undated(bombing(killed=Count(value=15))), published(3, None), now,
                          incident_id="other")
    assert best_match([by_province, in_town, other_in_town], report) is None  # two in its town: still a guess
