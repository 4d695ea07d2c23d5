"""The language identified on each article (title plus lead), and which of them the extractor reads."""

from __future__ import annotations

import pytest

from extractors.language import LEAD_CHARS, identify, is_readable, language_of

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
