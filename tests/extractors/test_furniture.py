import pytest

from extractors.furniture import is_furniture, story_of

STORY = "QUETTA, Pakistan – Gunmen stormed a police college on Monday night, killing 61 cadets."


@pytest.mark.parametrize("line", ["By Staff Reporter | World desk", "By Amina Khan,", "Home > World > Asia", "Advertisement",
                                  "Read more: latest world news", "© 2024 Example Wire", "Share on Facebook"])
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [STORY, "Police said the attackers fled.", "Share prices fell after the attack."])
def test_story_lines(line):
    assert not is_furniture(line)


@pytest.mark.parametrize(
    ("above", "dropped"),
    [
        ("", 0),
        ("By Staff Reporter | World desk\n", 31),
        ("Home > World > Asia\n\nAdvertisement\n", 35),
        ("  \n\n", 4),
        ("By Monday evening, 12 people had died.\n", 0),  # ends like a sentence: story, although it starts like a byline
    ],
)
def test_the_furniture_above_the_story_is_dropped(above, dropped):
    story = story_of(above + STORY)
    assert story.text == (above + STORY)[dropped:]
    assert story.article_offset(0) == dropped


def test_furniture_inside_the_story_is_dropped_with_the_blank_lines_after_it_and_offsets_map_back():
    lead, rest = "QUETTA – Gunmen attacked a college.\n\n", "Police said 61 cadets died.\n"
    article = lead + "Advertisement\n\n" + rest + "Read more: latest world news"
    story = story_of(article)
    assert story.text == lead + rest
    died = story.text.index("61 cadets")
    assert article[story.article_offset(died):].startswith("61 cadets")
    assert story.article_offset(3) == 3
    # A span that ends where the lead's run ends stays before the dropped line.
    assert story.article_span(0, len(lead)) == (0, len(lead))
    assert story.article_span(len(lead), len(lead) + 6) == (article.index(rest), article.index(rest) + 6)


def test_a_text_without_furniture_is_its_own_story():
    assert story_of(STORY).text is STORY


def test_an_article_of_nothing_but_furniture_is_read_whole():
    text = "Advertisement\nRead more: latest world news\n"
    assert story_of(text).text == text
