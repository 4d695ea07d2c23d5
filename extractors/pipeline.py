"""Articles in, ExtractionResults out: screening, one spaCy pass, then reading each parsed article.

Per article: cap the text at MAX_TEXT_CHARS, identify its language (an article in a language the extractor
cannot read yet gets a result that says so, never a plain "no attack"), run the keyword prefilter (most
articles stop here, before spaCy), parse with nlp.pipe, gather sentence facts (cues, dates, places,
groups, counts), split the main story from recaps of earlier attacks, decide whether it reports an
attack, and build the main and background IncidentReports.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.casualties import CasualtyMention
from extractors.cues import counted_cues
from extractors.dates import find_dates
from extractors.detection import (DetectionFacts, decide, is_non_state, is_self_killed, militants_on_receiving_end,
                                  neutralised_militants, passes_prefilter)
from extractors.furniture import Story, story_of
from extractors.groups import find_groups
from extractors.language import is_readable, language_of
from extractors.languages import words_of
from extractors.nlp import load_nlp
from extractors.numbers import number_words
from extractors.focus import read_places
from extractors.places import Gazetteer, dateline_span
from extractors.reports import ArticleContext, build_report
from extractors.schema import Article, ExtractionResult, IncidentReport
from extractors.segments import segment
from extractors.sentences import DatedSpan, SentenceFacts

MAX_TEXT_CHARS = 100_000
# Cue labels that make an ambiguous word ("blast", "shooting") elsewhere in the article an attack word.
CORROBORATING_LABELS = frozenset({"attack", "terror", "attacker", "suicide"})
EVENT_FAMILIES = frozenset({"attack", "attack_weak", "type"})
LEAD_FAMILIES = frozenset({"attack", "attack_weak", "type", "negative"})
PARAGRAPH_BREAK = re.compile(r"\n\s*")


def extract_articles(articles: Sequence[Article], nlp: Language | None = None,
                     batch_size: int = 16) -> list[ExtractionResult]:
    """Screen every article cheaply, parse only those that may report an attack, in nlp.pipe batches of one
    language each. `nlp` serves the articles in its language; the others get their language's shared pipeline."""
    results: list[ExtractionResult | None] = [None] * len(articles)
    parse: dict[str, list[tuple[int, Story]]] = {}
    languages: list[str] = []
    for position, article in enumerate(articles):
        text = article.text[:MAX_TEXT_CHARS]
        language, passed = screen(article)
        languages.append(language)
        if not is_readable(language):
            results[position] = ExtractionResult(id=article.id, is_attack_report=False, language=language, read=False)
        elif passed:
            parse.setdefault(language, []).append((position, story_of(text)))
        else:
            results[position] = ExtractionResult(id=article.id, is_attack_report=False, language=language)
    for language, items in parse.items():
        pipeline = nlp if nlp is not None and nlp.lang == language else load_nlp(language)
        headlines = [headline_of(articles[p], story, language) for p, story in items]
        # Each story followed by its headline, if it has one to parse, in one stream: fewer, fuller batches.
        texts = (text for (_, story), headline in zip(items, headlines)
                 for text in ((story.text, headline) if headline else (story.text,)))
        docs = pipeline.pipe(texts, batch_size=batch_size, component_cfg=_whole_batch_parses(batch_size))
        for (position, story), headline in zip(items, headlines):
            doc = next(docs)
            result = read_article(articles[position], doc, story, next(docs) if headline else None)
            results[position] = result.model_copy(update={"language": languages[position]})
    return results  # type: ignore[return-value]


def _whole_batch_parses(batch_size: int) -> dict[str, dict[str, int]]:
    """spaCy's parser sorts the docs of its batch by length and parses them a quarter of a batch at a time: four
    times the pipe's batch size makes each of its parse steps take a whole batch (a chunk's few stories and
    titles in one step, not three or four). Same parses; about 5% less CPU on a stream of small chunks."""
    return {"parser": {"batch_size": 4 * batch_size}}


def screen(article: Article) -> tuple[str, bool]:
    """The article's language, and whether it goes on to spaCy: a language the extractor reads, and its prefilter
    passed."""
    text = article.text[:MAX_TEXT_CHARS]
    language = language_of(article.title, text)
    return language, is_readable(language) and passes_prefilter(article.title, text, language)


def headline_of(article: Article, story: Story, language: str) -> str:
    """The title, unless the story already opens with it: a headline often states the current toll that an
    excerpt of the story leaves out ("Attack near synagogue leaves four killed, 22 injured")."""
    title = (article.title or "").strip()
    if not title or title in story.text[:len(title) + 200] or not _has_number(title, language):
        return ""  # a title without a number cannot state a toll: not parsed
    return title


@cache
def _number_pattern(language: str) -> re.Pattern[str]:
    """Digits, or a number word of the language ("twelve", "douze", "vingt-sept")."""
    words = number_words(language)
    spelled = sorted((*words.numbers, *words.multipliers, *words.approximate), key=len, reverse=True)
    return re.compile(r"\d|\b(?:" + "|".join(map(re.escape, spelled)) + r")\b", re.IGNORECASE)


def _has_number(title: str, language: str) -> bool:
    return _number_pattern(language).search(title) is not None


def read_article(article: Article, doc: Doc, story: Story, headline: Doc | None = None) -> ExtractionResult:
    """Everything the extractor says about one parsed article; the doc holds its story (furniture dropped) and
    `headline` its parsed title when the story does not open with it."""
    context = gather_facts(article, doc, story)
    if headline is not None and len(headline):
        context.headline = headline
    context.segmentation = segmentation = segment(context.sentences, context.published, context.casualty_predicates)
    main = segmentation.main_sentences(context.sentences)
    if not any(s.is_attack for s in main):  # decide's first rule, told before any report is built
        return ExtractionResult(id=article.id, is_attack_report=False)
    main_report = build_report(context, "main", [s.index for s in main], segmentation.main_date)
    is_attack, _reason = decide(detection_facts(context, main, main_report))
    if not is_attack:
        return ExtractionResult(id=article.id, is_attack_report=False)
    incidents = [main_report]
    for frame in segmentation.backgrounds:
        background = build_report(context, "background", frame.sentences, frame.date, frame.context_sentence)
        if background.attack_types or background.killed or background.injured:
            incidents.append(background)
    return ExtractionResult(id=article.id, is_attack_report=True, incidents=incidents)


def gather_facts(article: Article, doc: Doc, story: Story) -> ArticleContext:
    """Sentences with their cues and dates, and the article's places, groups and counts."""
    text = story.text  # what the doc was parsed from; doc.text would rebuild it token by token
    published = article.published.date() if article.published else None
    cues = counted_cues(doc._.newswatch_cues or [])
    casualties = doc._.newswatch_casualties or []
    groups = find_groups(text)
    places, focus = read_places(text, Gazetteer.load(), doc.lang_, [(g.start, g.end) for g in groups])
    dateline = dateline_span(text)
    outside_dateline = [p for p in places if not (dateline and dateline[0] <= p.start < dateline[1])]
    paragraph_starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    sentence_spans = sentences_of(doc)
    sentence_starts = [s.start_char for s in sentence_spans]

    def sentence_of(char: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, char) - 1)

    token_offsets = doc.to_array(IDX).tolist() if len(doc) else []
    dates: dict[int, list[DatedSpan]] = {}
    for mention in find_dates(text, published, doc.lang_):
        first = max(0, bisect.bisect_right(token_offsets, mention.start) - 1)
        last = max(first + 1, bisect.bisect_left(token_offsets, mention.end))
        dates.setdefault(sentence_of(mention.start), []).append(DatedSpan(mention, doc[first:last]))
    corroborated = bool(groups) or any(c.label_ in CORROBORATING_LABELS for c in cues)
    casualty_predicates = frozenset(m.predicate for m in casualties)
    victim_sentences = {sentence_of(doc[m.start].idx) for m in casualties if m.kind in ("killed", "injured")}
    cues_by_sentence: list[list[Span]] = [[] for _ in sentence_spans]
    token_starts = [s.start for s in sentence_spans]
    for cue in cues:
        cues_by_sentence[bisect.bisect_right(token_starts, cue.start) - 1].append(cue)
    sentences = []
    for index, span in enumerate(sentence_spans):
        own = cues_by_sentence[index]
        labels = frozenset(c.label_ for c in own)
        event_tokens = {t for c in own if c.label_.partition(":")[0] in EVENT_FAMILIES for t in range(c.start, c.end)}
        sentences.append(SentenceFacts(
            index=index,
            span=span,
            text=text[span.start_char:span.end_char],
            paragraph=bisect.bisect_right(paragraph_starts, span.start_char) - 1,
            cues=own,
            labels=labels,
            cue_tokens=frozenset(event_tokens),
            dates=dates.get(index, []),
            is_attack=is_attack_sentence(labels, corroborated),
            has_casualties=index in victim_sentences,
        ))
    victim_tokens = frozenset(t for m in casualties if m.kind in ("killed", "injured") for t in range(m.start, m.end))
    return ArticleContext(
        article=article, doc=doc, text=text, story=story, published=published, sentences=sentences, casualties=casualties,
        places=outside_dateline, dateline_places=[p for p in places if p not in outside_dateline],
        country_hint=focus, groups=groups, sentence_of=sentence_of,
        casualty_predicates=casualty_predicates, victim_tokens=victim_tokens,
    )


def sentences_of(doc: Doc) -> list[Span]:
    """The parser's sentences, read from the SENT_START column (cheaper than iterating doc.sents)."""
    if not len(doc):
        return []
    starts = [0] + [i for i in numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if i > 0]
    return [doc[start:end] for start, end in zip(starts, starts[1:] + [len(doc)])]


def is_attack_sentence(labels: frozenset[str], corroborated: bool) -> bool:
    """An attack word, or an ambiguous one ("blast") in an article that elsewhere speaks of attack or attackers;
    never in a sentence about a trial or a commemoration, nor an ambiguous one next to accident words."""
    if labels & {"negative:court", "negative:memorial"}:
        return False
    if "attack" in labels:
        return True
    accident = labels & {"negative:accident", "negative:disaster"}
    return "attack_weak" in labels and corroborated and not accident


def _dead_are_forces(context: ArticleContext, counts: list[CasualtyMention]) -> bool:
    """Every killed count counts soldiers or police ("six soldats ont péri"): an operation's own losses."""
    forces = words_of(context.doc)["state_forces"]
    killed = [m for m in counts if m.kind == "killed"]
    return bool(killed) and all(context.doc[m.anchor].lower_ in forces for m in killed)


def detection_facts(context: ArticleContext, main: list[SentenceFacts], report: IncidentReport) -> DetectionFacts:
    counted: dict[int, list[CasualtyMention]] = {}
    for mention in context.casualties:
        counted.setdefault(context.sentence_of(context.doc[mention.start].idx), []).append(mention)
    lead = next((s for s in main if s.index in counted or any(
        label.partition(":")[0] in LEAD_FAMILIES for label in s.labels)), None)
    lead_counts = counted.get(lead.index, []) if lead else []
    labels = Counter(c.label_ for s in main for c in s.cues)
    attacker_words = {c.text.lower() for s in main for c in s.cues if c.label_ == "attacker"}
    lead_attackers = {c.text.lower() for c in lead.cues if c.label_ == "attacker"} if lead else set()
    lead_groups = sum(lead.span.start_char <= g.start < lead.span.end_char for g in context.groups) if lead else 0
    victims = max((c.value for c in (report.killed, report.injured) if c is not None), default=0)
    weapons = any(labels[f"weapon:{w}"] for w in ("firearms", "explosives", "melee", "incendiary", "vehicle"))
    violent_types = any(labels[f"type:{t}"] for t in ("kidnapping", "hostage_barricade", "facility_attack"))
    return DetectionFacts(
        attack_sentences=sum(s.is_attack for s in main),
        lead_labels=lead.labels if lead else frozenset(),
        lead_non_state=is_non_state(lead.labels if lead else (), lead_attackers, lead_groups, context.doc.lang_),
        lead_casualties=frozenset(m.kind for m in lead_counts),
        lead_dead_militants=any(m.kind == "attackers_killed" and not is_self_killed(context.doc[m.anchor])
                                for m in lead_counts) or bool(lead and neutralised_militants(lead.span)),
        lead_against_militants=bool(lead and militants_on_receiving_end(lead.span)),
        lead_dead_are_forces=_dead_are_forces(context, lead_counts),
        operation_before_attack=any(neutralised_militants(s.span) or militants_on_receiving_end(s.span)
                                    for s in itertools.takewhile(lambda s: not s.is_attack, main)),
        main_labels=labels,
        non_state=is_non_state(labels, attacker_words, len(report.perpetrators), context.doc.lang_),
        victims=victims,
        political_target=report.target.type in ("government", "journalists", "diplomatic"),
        violent=bool(victims or attacker_words or report.perpetrators or weapons or violent_types),
    )
