from __future__ import annotations

from pathlib import Path

import pytest

from extractors.gazetteer import GazetteerIndex, name_key
from extractors.places import Gazetteer

ROWS = [
    "# a tiny gazetteer in the shipped format",
    "C\t1168579\tPK\t\tPakistan\t30.0\t70.0\t212215030\tpakistan|islamicrepublicofpakistan",
    "A\tPK.02\tPK\t\tBalochistan\t28.9\t67.0\t3427466\tbalochistan",
    "P\t1167528\tPK\tPK.02\tQuetta\t30.1841\t67.0014\t1565546\tquetta|shalkot",
    "P\t9999999\tXX\t\tQuettaville\t1.0\t1.0\t1200\tquettaville",
    "P\t1176615\tPK\t\tIslamabad\t33.7215\t73.0433\t601600\tislamabad",
]


def write_data(directory: Path, aliases: str) -> Path:
    (directory / "gazetteer.tsv").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    (directory / "place_aliases.tsv").write_text(aliases, encoding="utf-8")
    (directory / "place_stopnames.txt").write_text("# none\nMay\n", encoding="utf-8")
    (directory / "country_capitals.tsv").write_text("# capitals\nPK\tIslamabad\nXX\tNowhere\n", encoding="utf-8")
    return directory


def test_small_index_reads_rows_aliases_and_alternate_names(tmp_path):
    aliases = "demonym\tPK\tPakistan\tPakistani\nadmin1\tPK\tBalochistan\tBaluchistan\n"
    index = GazetteerIndex.load(write_data(tmp_path, aliases))
    [quetta] = index.lookup("Quetta")
    assert (quetta.name, quetta.admin1, quetta.country, quetta.kind) == ("Quetta", "Balochistan", "PK", "city")
    assert index.rows_named("shalkot") == [~2]  # Quetta's row, complemented: an alternate name, not its own
    assert index.lookup("Pakistanis")[0].kind == "country"
    assert index.lookup("Baluchistan")[0].name == "Balochistan"
    assert "may" in index.stop_keys
    mentions = Gazetteer(index).find_places("Pakistani police in Shalkot and Baluchistan.")
    assert [(m.text, m.kind) for m in mentions] == [("Pakistani", "country"), ("Shalkot", "city"),
                                                    ("Baluchistan", "admin1")]


def test_small_index_knows_countries_by_code_and_their_capitals(tmp_path):
    index = GazetteerIndex.load(write_data(tmp_path, ""))
    assert index.country("PK").name == "Pakistan"
    assert index.country("XX") is None
    assert (index.capital("PK").name, index.capital("PK").kind) == ("Islamabad", "city")
    assert index.capital("XX") is None  # a capital the gazetteer does not list


def test_alias_of_an_unknown_place_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="place_aliases.tsv names admin1 'Sindh' in PK"):
        GazetteerIndex.load(write_data(tmp_path, "admin1\tPK\tSindh\tSind\n"))


def test_name_key():
    assert name_key("Diyarbakır") == name_key("Diyarbakir") == "diyarbakir"
    assert name_key("Lashkar Gah") == name_key("Lashkargah") == "lashkargah"
    assert name_key("N'Djamena") == "ndjamena"
