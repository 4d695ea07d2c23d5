"""The language identified on each article (title plus lead), and which of them the extractor reads."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import spacy.lang

from extractors.language import LEAD_CHARS, identify, is_readable, language_of, telltale_language
from extractors.detection import sample_words
from extractors.languages import readable_languages, resources

ENGLISH = "Gunmen opened fire on a police checkpoint outside the city on Tuesday, killing three officers, officials said."
TEXTS = {
    "fr": ("Des hommes armés ont ouvert le feu mardi sur un poste de police à la sortie de la ville, tuant trois "
           "agents, selon les autorités locales."),
    "ar": "فتح مسلحون النار على نقطة تفتيش للشرطة خارج المدينة يوم الثلاثاء مما أسفر عن مقتل ثلاثة من رجال الشرطة.",
    "es": ("Un coche bomba estalló el lunes frente a la comisaría central de la ciudad y dejó al menos siete "
           "muertos, según fuentes policiales."),
    "pt": ("Homens armados atacaram uma aldeia no norte da província na noite de sábado e mataram pelo menos "
           "onze pessoas, disseram as autoridades."),
    "de": ("Bei einem Sprengstoffanschlag auf einen Bus sind am Montagmorgen nach Angaben der Polizei mindestens "
           "vier Menschen ums Leben gekommen."),
    "ru": "Взрыв на рынке в понедельник унес жизни двенадцати человек, сообщили в полиции города.",
}


def test_english_is_en():
    assert language_of(None, ENGLISH) == "en"


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_other_languages_get_their_own_code(language):
    assert language_of(None, TEXTS[language]) == language


def test_a_text_with_no_letters_is_undetermined():
    assert language_of(None, "12 345 678") == "und"


def test_the_title_and_lead_decide_not_the_rest():
    """A French lead with an English wire footer far below it is French; past the lead the text is not read."""
    footer = " ".join([ENGLISH] * 20)
    text = TEXTS["fr"] + " " * LEAD_CHARS + footer
    assert identify("Attaque contre un poste de police", text) == "fr"


def test_english_prose_stays_english_whatever_the_headline():
    """A short foreign-looking headline cannot take an English article away from the English pipeline."""
    assert language_of("Ndiaye: Boko Haram", ENGLISH) == "en"


def test_languages_with_extractor_data_are_read():
    assert is_readable("en") and is_readable("fr")
    assert not is_readable("ar") and not is_readable("und")


FRENCH_WIRE = ("NIAMEY, 12 mars - Des hommes armés ont attaqué dans la nuit un poste de gendarmerie dans la région "
               "de Tillabéri, selon des sources sécuritaires. Les assaillants, qui circulaient à moto, ont ouvert le "
               "feu sur les gendarmes avant de se replier vers la frontière. Le bilan fait état de trois morts et "
               "de plusieurs blessés, qui ont été évacués vers l'hôpital de la ville, où leur état était jugé grave.")


def test_plain_french_is_told_by_its_telltale_words_and_other_languages_are_left_to_the_model():
    assert telltale_language(sample_words(FRENCH_WIRE)) == "fr"
    assert language_of(None, FRENCH_WIRE) == identify(None, FRENCH_WIRE) == "fr"
    assert telltale_language(sample_words(TEXTS["fr"])) is None, "a sentence with three telltale words: the model's"
    assert all(telltale_language(sample_words(text)) is None for language, text in TEXTS.items() if language != "fr")
    assert telltale_language(sample_words(ENGLISH)) is None


def test_a_few_telltale_words_in_another_language_do_not_decide():
    """Two French words in a Spanish sentence ("sans", "dont" as a name) are too few: the model decides."""
    spanish = "El grupo Sans Souci y el cantante Dont Pérez actuaron el sábado en el teatro de la ciudad."
    assert telltale_language(sample_words(spanish)) is None
    assert language_of(None, spanish) == "es"


@pytest.mark.parametrize("language", sorted(readable_languages()))
def test_telltale_words_are_stop_words_of_their_language_and_of_no_other_spacy_ships(language):
    telltale = resources(language).words.get("telltale_words") or frozenset()
    own = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    assert telltale <= own, f"not {language} stop words: {sorted(telltale - own)}"
    for other in pkgutil.iter_modules(spacy.lang.__path__):
        if other.ispkg and other.name != language:
            try:
                stop_words = importlib.import_module(f"spacy.lang.{other.name}.stop_words").STOP_WORDS
            except ModuleNotFoundError:
                continue  # a language spaCy ships without stop words
            shared = telltale & {word.lower() for word in stop_words}
            assert not shared, f"{sorted(shared)} are stop words in {other.name!r} too"
