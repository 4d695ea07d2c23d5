"""The language recorded on each article: English, or undetermined (the extractor reads English only)."""

from __future__ import annotations

import pytest

from extractors.language import language_of

ENGLISH = "Gunmen opened fire on a police checkpoint outside the city on Tuesday, killing three officers, officials said."
FRENCH = ("Des hommes armés ont ouvert le feu mardi sur un poste de police à la sortie de la ville, tuant trois "
          "agents, selon les autorités locales.")
ARABIC = "فتح مسلحون النار على نقطة تفتيش للشرطة خارج المدينة يوم الثلاثاء مما أسفر عن مقتل ثلاثة من رجال الشرطة."


def test_english_is_en():
    assert language_of(ENGLISH) == "en"


@pytest.mark.parametrize("text", [FRENCH, ARABIC, "12 345 678"])
def test_other_languages_are_undetermined(text):
    assert language_of(text) == "und"
