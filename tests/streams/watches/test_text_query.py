import pytest

from streams.watches.text_query import QueryError, SearchableText, TextQuery


def matches(query: str, text: str) -> bool:
    return TextQuery.parse(query).matches(SearchableText(text))


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("police", "Gunmen attacked the POLICE college", True),
        ("police", "a policeman was hurt", False),
        ('"suicide bomber"', "a suicide-bomber struck", True),
        ('"suicide bomber"', "a bomber, not a suicide attack", False),
        ("school OR college attack", "an attack on a college", True),
        ("school OR college attack", "an attack on a market", False),
        ("college -exercise", "a drill at the college, an exercise", False),
        ('college -"training exercise"', "the college's training was interrupted", True),
        ("quetta", "Quetta, Balochistan", True),
        ('"training college"', "the college ran training", False),
        ('"police training college"', "at the Police Training-College gates", True),
    ],
)
def test_matching(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize("query", ['"unbalanced', "-only -exclusions", "OR college", "college OR", "a OR OR b", "!!!"])
def test_unusable_queries_are_rejected_with_the_query_quoted(query):
    with pytest.raises(QueryError, match="text query"):
        TextQuery.parse(query)


def test_describe_names_what_is_missing_and_what_is_excluded():
    query = TextQuery.parse("school OR college cadets -drill")
    assert query.describe(SearchableText("cadets at a drill")) == "missing 'school OR college'; excluded 'drill' present"
    assert query.describe(SearchableText("cadets at the college")) == "all terms found"


def test_a_query_with_a_dotless_i_matches_the_plain_spelling_and_back():
    assert matches("Diyarbakır", "A bomb exploded in Diyarbakir on Monday.")
    assert matches("Diyarbakir", "Bir bomba Diyarbakır'da patladı.")
