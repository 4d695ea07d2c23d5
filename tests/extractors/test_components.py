"""The spaCy factories: config validated at construction, patterns from JSONL, namespaced Doc attributes."""

from __future__ import annotations

import json

import pytest
import spacy

import extractors.components  # noqa: F401  (registers the factories)
from extractors.components import load_cue_patterns
from extractors.languages import readable_languages, resources
from extractors.nlp import OUR_COMPONENTS, load_nlp


def blank_with_cues(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("newswatch_cues", config=config)
    return nlp


def test_cue_matcher_labels_phrases_on_a_blank_pipeline():
    doc = blank_with_cues()("Two years ago a suicide bomber attacked the police station.")
    labels = {(span.text.lower(), span.label_) for span in doc._.newswatch_cues}
    assert ("years ago", "past") in labels
    assert ("suicide bomber", "suicide") in labels
    assert ("attacked", "attack") in labels
    assert ("police station", "target:police") in labels


def test_cue_matcher_takes_a_patterns_file_with_phrases_and_token_patterns(tmp_path):
    patterns = tmp_path / "cues.jsonl"
    patterns.write_text("\n".join([
        json.dumps({"label": "attack", "pattern": "went berserk"}),
        json.dumps({"label": "past", "pattern": [{"LIKE_NUM": True}, {"LOWER": "moons"}, {"LOWER": "ago"}]}),
    ]) + "\n", encoding="utf-8")
    doc = blank_with_cues(patterns_file=str(patterns))("Three moons ago he went berserk and attacked.")
    assert [(s.text, s.label_) for s in doc._.newswatch_cues] == [("Three moons ago", "past"),
                                                                 ("went berserk", "attack")]


@pytest.mark.parametrize(("line", "message"), [
    ('{"label": "attack"}', "exactly the keys"),
    ('{"label": "type:stabbing", "pattern": "stab"}', "unknown cue label"),
    ('{"label": "attack", "pattern": ""}', "non-empty"),
    ("not json", "not JSON"),
])
def test_bad_patterns_are_rejected_with_the_line_number(tmp_path, line, message):
    patterns = tmp_path / "cues.jsonl"
    patterns.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        load_cue_patterns(patterns)
    assert f"{patterns}:1" in str(raised.value)


def test_missing_patterns_file_says_where_it_looked(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        blank_with_cues(patterns_file=str(tmp_path / "absent.jsonl"))


def test_casualty_tagger_needs_a_parser_and_a_sane_hop_limit():
    with pytest.raises(ValueError, match="parser"):
        spacy.blank("en").add_pipe("newswatch_casualties")
    english = resources("en")
    nlp = spacy.load(english.model, exclude=list(english.excluded_components))
    with pytest.raises(ValueError, match="max_hops"):
        nlp.add_pipe("newswatch_casualties", config={"max_hops": 0})


@pytest.mark.parametrize("language", sorted(readable_languages()))
def test_shipped_patterns_are_valid(language):
    patterns = load_cue_patterns(resources(language).cue_patterns_file)
    assert len(patterns) > 100


def test_pipeline_runs_only_the_components_the_rules_read(nlp):
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", *OUR_COMPONENTS]
    assert not set(resources("en").excluded_components) & set(nlp.pipe_names)


def test_a_model_in_universal_dependencies_gets_the_labels_the_rules_read():
    french = load_nlp("fr")
    assert french.pipe_names == ["tok2vec", "morphologizer", "parser", "newswatch_labels", *OUR_COMPONENTS]
    doc = french("12 civils ont été tués et six autres blessés dans le village.")
    by_word = {token.text: token for token in doc}
    assert by_word["civils"].dep_ == "nsubjpass" and by_word["12"].tag_ == "CD"
    assert by_word["tués"].tag_ == "VBN" and by_word["village"].tag_ == "NN"
    assert not any(":" in token.dep_ for token in doc)
