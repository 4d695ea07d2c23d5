import pytest

from extractors.furniture import is_furniture, story_start

STORY = "QUETTA, Pakistan – Gunmen stormed a police college on Monday night, killing 61 cadets."


@pytest.mark.parametrize("line", ["By Staff Reporter | World desk", "By Amina Khan,", "Home > World > Asia", "Advertisement",
                                  "Read more: latest world news", "© 2024 Example Wire", "Share on Facebook"])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [STORY, "Police said the attackers fled.", "Share prices fell after the attack."])
def test_story_lines(line):
    assert not is_furniture(line)


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        ("", 0),
        ("By Staff Reporter | World desk\n", 31),
        ("Home > World > Asia\n\nAdvertisement\n", 35),
        ("  \n\n", 4),
        ("By Monday evening, 12 people had died.\n", 0),  # ends like a sentence: story, although it starts like a byline
    ],
)
def test_story_start_skips_the_furniture_above_the_story(above, expected):
    assert story_start(above + STORY) == expected


def test_an_article_of_nothing_but_furniture_is_read_whole():
    assert story_start("Advertisement\nRead more: latest world news\n") == 0
