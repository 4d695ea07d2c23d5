"""Incident merging: which reports are one event, rising tolls with history, versions, background mentions, the store."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extractors.schema import Count, Evidence, IncidentReport, Location, Perpetrator, Target
from streams.incidents.matching import MATCH_THRESHOLD, match
from streams.incidents.merge import (MAX_ARTICLE_IDS, MAX_EVIDENCE_PER_FIELD, MAX_SOURCE_URLS, MAX_SOURCES, MAX_TITLES,
                                     NO_COUNTRY, ArticleRef, merge, merge_key)
from streams.incidents.store import IncidentStore, record_report

NOW = dt.datetime(2016, 10, 25, 6, 0, tzinfo=dt.timezone.utc)
QUETTA = Location(name="Quetta", city="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=67.0, precision="city")
BALOCHISTAN = Location(name="Balochistan", admin1="Balochistan", country="PK", precision="admin1")
PESHAWAR = Location(name="Peshawar", city="Peshawar", admin1="Khyber Pakhtunkhwa", country="PK", lat=34.01, lon=71.58,
                    precision="city")


def report(**facts) -> IncidentReport:
    defaults = dict(role="main", attack_types=["armed_assault", "bombing"], date=dt.date(2016, 10, 24),
                    date_precision="day", location=QUETTA, killed=Count(value=59, qualifier="at_least"),
                    perpetrators=[Perpetrator(name="Islamic State", role="claimed")], target=Target(type="police"))
    return IncidentReport(**{**defaults, **facts})


def article(number: int, source: str = "wire") -> ArticleRef:
    return ArticleRef(id=f"article-{number}", source=source, url=f"https://{source}.test/{number}",
                      published=dt.datetime(2016, 10, 25, tzinfo=dt.timezone.utc))


def later(hours: float) -> dt.datetime:
    return NOW + dt.timedelta(hours=hours)


def test_merge_key_is_the_country_or_a_shared_key_for_unplaced_reports():
    assert merge_key(report()) == "PK"
    assert merge_key(report(location=Location())) == NO_COUNTRY


@pytest.mark.parametrize("changes", [
    {},
    {"date": dt.date(2016, 10, 25)},
    {"location": BALOCHISTAN, "perpetrators": []},
    {"date": None, "location": QUETTA.model_copy(update={"lat": 30.2, "lon": 67.05})},
    {"date": dt.date(2016, 10, 1), "date_precision": "month"},
    {"attack_types": ["unknown"], "target": Target(text="police training college")},
])
def test_reports_of_the_same_attack_match(changes):
    incident = merge(None, report(target=Target(type="police", text="police training college")), article(1), NOW)
    assert match(incident, report(**changes)) >= MATCH_THRESHOLD


@pytest.mark.parametrize("changes", [
    {"location": PESHAWAR},
    {"location": QUETTA.model_copy(update={"country": "AF"})},
    {"date": dt.date(2016, 10, 29)},
    {"date": dt.date(2016, 9, 1), "date_precision": "month"},
    {"date": None, "perpetrators": [], "attack_types": ["bombing"], "killed": Count(value=4), "target": Target(type="civilians")},
    {"location": BALOCHISTAN, "attack_types": ["kidnapping"], "perpetrators": [Perpetrator(name="Taliban", role="suspected")]},
])
def test_reports_of_other_attacks_do_not_match(changes):
    incident = merge(None, report(), article(1), NOW)
    assert match(incident, report(**changes)) < MATCH_THRESHOLD


def test_an_undated_report_matches_an_attack_of_the_days_before_its_article():
    incident = merge(None, report(), article(1), NOW)
    undated = report(date=None, date_precision=None, perpetrators=[], killed=Count(value=3), target=Target())
    assert match(incident, undated, reported_on=dt.date(2016, 10, 25)) >= MATCH_THRESHOLD
    assert match(incident, undated, reported_on=dt.date(2016, 11, 20)) < MATCH_THRESHOLD
    assert match(incident, undated) < MATCH_THRESHOLD


def test_with_no_date_and_no_publication_day_town_and_type_need_one_more_agreement():
    incident = merge(None, report(perpetrators=[]), article(1), NOW)
    undated = report(date=None, date_precision=None, perpetrators=[], killed=Count(value=3), target=Target())
    assert match(incident, undated) < MATCH_THRESHOLD
    assert match(incident, undated.model_copy(update={"target": Target(type="police")})) >= MATCH_THRESHOLD
    assert match(incident, undated.model_copy(update={"killed": Count(value=62)})) >= MATCH_THRESHOLD
    assert match(incident, undated.model_copy(update={"killed": Count(value=80)})) < MATCH_THRESHOLD


def test_a_dated_report_matches_an_undated_incident_whose_article_came_out_days_after_it():
    published = ArticleRef(id="a", published=dt.datetime(2016, 10, 25, 7, tzinfo=dt.timezone.utc))
    incident = merge(None, report(date=None, date_precision=None, perpetrators=[], killed=Count(value=3), target=Target()),
                     published, NOW)
    assert incident.first_published == dt.date(2016, 10, 25)
    assert match(incident, report(perpetrators=[])) >= MATCH_THRESHOLD
    assert match(incident, report(perpetrators=[], date=dt.date(2016, 10, 10))) < MATCH_THRESHOLD
    undated = report(date=None, date_precision=None, perpetrators=[], killed=None, target=Target())
    assert match(incident, undated, reported_on=dt.date(2016, 10, 26)) >= MATCH_THRESHOLD
    assert match(incident, undated, reported_on=dt.date(2016, 11, 26)) < MATCH_THRESHOLD


def test_a_new_incident_has_a_stable_id_and_its_first_figures_in_the_history():
    first = merge(None, report(), article(1), NOW)
    assert merge(None, report(), article(1), later(3)).id == first.id  # a restart or a replay
    assert merge(None, report(), article(7), later(3)).id != first.id  # another article opening one
    assert first.version == 1 and first.historical is False
    assert first.article_ids == ["article-1"] and first.sources == ["wire"]
    assert [(c.field, c.previous, c.current.value) for c in first.toll_history] == [("killed", None, 59)]
    assert merge(None, report(date=dt.date(2016, 10, 23)), article(1), NOW).id != first.id


def test_tolls_rise_to_the_highest_credible_figure_with_history_and_versions():
    incident = merge(None, report(), article(1), NOW)
    incident = merge(incident, report(killed=Count(value=61, qualifier="at_least"), injured=Count(value=120)), article(2), later(1))
    incident = merge(incident, report(killed=Count(value=40)), article(3, "stale"), later(2))
    incident = merge(incident, report(killed=Count(value=6100)), article(4, "typo"), later(3))
    assert incident.killed == Count(value=61, qualifier="at_least")
    assert incident.injured == Count(value=120)
    assert [(c.field, c.previous.value if c.previous else None, c.current.value, c.article_id) for c in incident.toll_history] == [
        ("killed", None, 59, "article-1"), ("killed", 59, 61, "article-2"), ("injured", None, 120, "article-2")]
    assert incident.version == 4
    assert incident.article_ids == ["article-1", "article-2", "article-3", "article-4"]
    assert incident.sources == ["wire", "stale", "typo"]
    assert incident.last_updated == later(3) and incident.first_seen == NOW


def test_the_same_article_again_changes_nothing():
    incident = merge(None, report(), article(1), NOW)
    assert merge(incident, report(killed=Count(value=70)), article(1), later(1)) is incident


def test_merging_refines_place_date_and_perpetrator_roles():
    incident = merge(None, report(location=BALOCHISTAN, date=None, date_precision=None,
                                  perpetrators=[Perpetrator(name="Lashkar-e-Jhangvi", role="suspected")]), article(1), NOW)
    incident = merge(incident, report(perpetrators=[Perpetrator(name="Lashkar-e-Jhangvi", role="claimed", mentions=["LeJ"]),
                                                    Perpetrator(name="Islamic State", role="claimed")]), article(2), later(1))
    assert incident.location == QUETTA
    assert incident.date == dt.date(2016, 10, 24)
    assert [(p.name, p.role, p.mentions) for p in incident.perpetrators] == [
        ("Lashkar-e-Jhangvi", "claimed", ["LeJ"]), ("Islamic State", "claimed", [])]


def test_evidence_stays_bounded_and_the_sentence_behind_a_new_toll_comes_first():
    incident = merge(None, report(), article(1), NOW)
    for number in range(2, 12):
        sentence = f"The toll rose to {59 + number}."
        evidence = [Evidence(field="killed", sentence=sentence, char_start=0, char_end=len(sentence)),
                    Evidence(field="date", sentence=f"On Monday ({number}).", char_start=0, char_end=10)]
        incident = merge(incident, report(killed=Count(value=59 + number), evidence=evidence), article(number), later(number))
    killed = [e.sentence for e in incident.evidence if e.field == "killed"]
    assert killed[0] == "The toll rose to 70."
    assert len(killed) == MAX_EVIDENCE_PER_FIELD
    assert sum(e.field == "date" for e in incident.evidence) == MAX_EVIDENCE_PER_FIELD


def test_a_background_mention_never_changes_a_news_incident_and_otherwise_is_historical():
    store = IncidentStore({})
    news = record_report(store, report(), article(1), NOW).incident
    mention = record_report(store, report(role="background", killed=Count(value=80)), article(2), later(5))
    assert mention.status == "unchanged" and mention.incident == news
    past = record_report(store, report(role="background", location=PESHAWAR, date=dt.date(2015, 9, 1),
                                       date_precision="month", killed=Count(value=29)), article(2), later(5))
    assert past.status == "created" and past.incident.historical
    assert store.get(news.id).version == 1


def test_a_news_report_of_a_historical_incident_makes_it_news():
    store = IncidentStore({})
    historical = record_report(store, report(role="background"), article(1), NOW).incident
    assert historical.historical
    news = record_report(store, report(), article(2), later(1))
    assert news.status == "updated" and news.incident.id == historical.id and not news.incident.historical


def test_record_report_keeps_separate_events_apart_and_is_safe_to_repeat():
    store = IncidentStore({})
    quetta = record_report(store, report(), article(1), NOW)
    peshawar = record_report(store, report(location=PESHAWAR, perpetrators=[]), article(2), later(1))
    update = record_report(store, report(killed=Count(value=61)), article(3), later(2))
    repeat = record_report(store, report(killed=Count(value=61)), article(3), later(9))
    assert [quetta.status, peshawar.status, update.status, repeat.status] == ["created", "created", "updated",
                                                                              "counted before"]
    assert update.incident.id == quetta.incident.id != peshawar.incident.id
    assert repeat.incident == update.incident


def test_a_redelivered_report_sends_its_incident_on_again_without_changing_it():
    """A crash after the store kept an incident and before it was sent on: the redelivery must send it, or it is lost."""
    store = IncidentStore({})
    created = record_report(store, report(), article(1), NOW)
    redelivered = record_report(store, report(), article(1), NOW)
    mention = record_report(store, report(role="background"), article(2), later(1))
    assert [created.to_send, redelivered.to_send, mention.to_send] == [True, True, False]
    assert redelivered.incident == created.incident == store.get(created.incident.id)


def test_a_redelivered_report_finds_its_incident_when_a_crash_kept_the_incident_but_not_its_key_list():
    storage: dict = {}
    store = IncidentStore(storage)
    created = record_report(store, report(), article(1), NOW).incident
    storage["k:PK"] = []  # the changelog got the incident, the kill came before the key's list
    redelivered = record_report(store, report(), article(1), NOW)
    assert redelivered.status == "counted before" and redelivered.incident == created
    assert [i.id for i in store.open_incidents("PK", NOW)] == [created.id]


def test_two_events_with_the_same_key_facts_get_different_ids():
    store = IncidentStore({})
    first = record_report(store, report(), article(1), NOW).incident
    elsewhere = QUETTA.model_copy(update={"lat": 28.0, "lon": 64.0})  # same name, far away: a different town
    second = record_report(store, report(location=elsewhere), article(2), later(1)).incident
    assert second.id != first.id
    assert {store.get(first.id).article_ids[0], store.get(second.id).article_ids[0]} == {"article-1", "article-2"}


def test_quiet_incidents_close_and_the_store_holds_only_json():
    storage: dict = {}
    store = IncidentStore(storage, open_for=dt.timedelta(days=14))
    old = record_report(store, report(), article(1), NOW).incident
    json.dumps(storage)
    month_later = NOW + dt.timedelta(days=30)
    fresh = record_report(store, report(date=dt.date(2016, 11, 24), killed=Count(value=3)), article(2), month_later).incident
    assert store.get(old.id) is None
    assert [i.id for i in store.open_incidents("PK", month_later)] == [fresh.id]
    assert sorted(storage) == [f"i:{fresh.id}", "k:PK"]


def test_an_event_reported_again_after_its_incident_closed_opens_a_new_incident_under_a_new_id():
    store = IncidentStore({}, open_for=dt.timedelta(days=14))
    closed = record_report(store, report(), article(1), NOW).incident
    closed = record_report(store, report(killed=Count(value=61)), article(2), later(1)).incident
    assert closed.version == 2
    # A report of another attack in the country after the quiet window drops the closed incident from the store.
    record_report(store, report(location=Location(city="Lahore", country="PK", lat=31.55, lon=74.34, precision="city"),
                                date=dt.date(2016, 11, 10)), article(3), NOW + dt.timedelta(days=16))
    assert store.get(closed.id) is None
    reopened = record_report(store, report(killed=Count(value=62)), article(4), NOW + dt.timedelta(days=20))
    assert reopened.status == "created" and reopened.incident.version == 1
    assert reopened.incident.id != closed.id


def test_an_undated_report_takes_its_id_day_from_the_article():
    undated = report(date=None, date_precision=None)
    monday = ArticleRef(id="a", published=dt.datetime(2016, 10, 24, 20, tzinfo=dt.timezone.utc))
    tuesday = ArticleRef(id="a", published=dt.datetime(2016, 10, 25, 8, tzinfo=dt.timezone.utc))
    assert merge(None, undated, monday, NOW).id != merge(None, undated, tuesday, NOW).id
    assert merge(None, undated, monday, NOW).id == merge(None, undated, monday, later(30)).id


def test_open_incidents_skips_those_dated_outside_the_window_of_the_report():
    store = IncidentStore({})
    first = record_report(store, report(), article(1), NOW).incident
    week_later = dt.date(2016, 10, 31)
    assert store.open_incidents("PK", later(1), around=week_later) == []
    assert store.open_incidents("PK", later(1), around=dt.date(2016, 10, 26)) == [first]
    assert store.open_incidents("PK", later(1)) == [first]


def test_titles_are_bounded_but_the_first_in_each_language_is_kept():
    incident = None
    for number in range(MAX_TITLES + 2):
        reference = ArticleRef(id=f"en-{number}", title=f"Quetta attack, report {number}", language="en")
        incident = merge(incident, report(), reference, later(number))
    incident = merge(incident, report(), ArticleRef(id="fr-1", title="Pakistan : attaque à Quetta", language="fr"), later(9))
    incident = merge(incident, report(), ArticleRef(id="untitled", language="fr"), later(10))
    assert [t.article_id for t in incident.titles] == [f"en-{n}" for n in range(MAX_TITLES)] + ["fr-1"]
    assert incident.titles[-1].text == "Pakistan : attaque à Quetta" and incident.titles[-1].language == "fr"


def test_an_incident_lists_its_first_members_and_counts_them_all():
    store = IncidentStore({})
    reports = MAX_ARTICLE_IDS + 50
    for n in range(1, reports + 1):
        outcome = record_report(store, report(), article(n, source=f"outlet-{n}"), NOW)
    incident = outcome.incident
    assert incident.article_count == reports and len(incident.article_ids) == MAX_ARTICLE_IDS
    assert len(incident.sources) == MAX_SOURCES and len(incident.source_urls) == MAX_SOURCE_URLS
    assert incident.article_ids[-1] == article(MAX_ARTICLE_IDS).id
    listed = record_report(store, report(), article(1), NOW)
    assert listed.status == "counted before" and listed.incident.article_count == reports
