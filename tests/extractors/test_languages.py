import pytest

from extractors.detection import passes_prefilter
from extractors.languages import readable_languages, resources


def test_english_and_french_are_read():
    assert {"en", "fr"} <= readable_languages()


@pytest.mark.parametrize("language", sorted(readable_languages() - {"en"}))
def test_every_language_defines_what_the_english_rules_read(language):
    english, other = resources("en"), resources(language)
    assert set(english.words) <= set(other.words), f"{other.words.source} lacks {set(english.words) - set(other.words)}"
    assert set(english.patterns) <= set(other.patterns)
    assert set(english.fragments) <= set(other.fragments), f"{other.words.source} lacks fragments"
    assert set(english.tables) <= set(other.tables), f"{other.words.source} lacks tables {set(english.tables) - set(other.tables)}"


def test_a_missing_word_set_names_the_file():
    with pytest.raises(KeyError, match="words"):
        resources("en").words["no_such_set"]


def test_an_unknown_language_is_refused_clearly():
    with pytest.raises(ValueError, match="readable are"):
        resources("xx")


@pytest.mark.parametrize("language, title, text, expected", [
    ("fr", None, "Des hommes armés ont tué douze civils dans un village du nord.", True),
    ("fr", None, "L'attaquant a marqué deux buts et le match s'est fini sans blessé.", False),
    ("fr", None, "Le gouvernement a présenté son budget pour l'année prochaine.", False),
    ("en", None, "Gunmen killed twelve villagers in the north.", True),
    ("fr", None, "Les analystes parlent d'une véritable bombe pour les fournisseurs, dont les ventes reculent.", False),
    ("fr", None, "Blessé en première période, il a vu les visiteurs multiplier les attaques.", False),
    ("fr", None, "Une bombe a explosé sur le marché, tuant cinq personnes.", True),
])
def test_the_prefilter_reads_each_language_with_its_own_words(language, title, text, expected):
    assert passes_prefilter(title, text, language) is expected


def test_fragments_put_in_the_fragments_they_name(tmp_path):
    from extractors.languages import _expanded

    assert _expanded({"deed": "killed|stormed", "claim": "said it (?:{{deed}})"}, tmp_path)["claim"] == \
        "said it (?:killed|stormed)"
    with pytest.raises(ValueError, match="cycle"):
        _expanded({"a": "{{b}}", "b": "{{a}}"}, tmp_path)
    with pytest.raises(ValueError, match="not defined"):
        _expanded({"a": "{{missing}}"}, tmp_path)
