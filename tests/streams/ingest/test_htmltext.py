from streams.ingest.htmltext import html_to_text


def test_paragraphs_and_line_breaks_become_blank_lines():
    html = "<p>Gunmen attacked a <b>police</b> academy.</p><p>At least 59&nbsp;died.<br>More were hurt.</p>"
    assert html_to_text(html) == "Gunmen attacked a police academy.\n\nAt least 59 died.\n\nMore were hurt."


def test_scripts_styles_and_embeds_are_dropped():
    html = "<div>Text<script>steal()</script><style>p{}</style><iframe src=x>frame</iframe> kept</div>"
    assert html_to_text(html) == "Text kept"


def test_plain_text_with_entities():
    assert html_to_text("Fish &amp; chips\n\n  next   para ") == "Fish & chips\n\nnext para"


def test_hostile_fragments_do_not_raise():
    assert html_to_text("\x00\x01<p>a</p>\x0b") == "a"
    assert html_to_text("<") == "<"
    assert html_to_text("") == ""
    assert html_to_text(None) == ""
    assert html_to_text("<p>\ue000marker</p>") == "marker"
    assert html_to_text("<<<>>><p") == "<<<>>>"
