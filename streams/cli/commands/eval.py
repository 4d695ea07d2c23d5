"""`newswatch eval FILE...`: per-field accuracy of the extractor on labelled articles, per file and overall.

Reads the dev sets (tests/data/devset/FORMAT.md) and the real-news corpus (../shared/corpus/realnews) alike:
each articles file `NAME-articles.jsonl` has its labels beside it in `NAME-labels.jsonl`. With --replay the
attack reports also go through dedup and incident merging, scored by B-cubed against the labels' groups.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ARTICLES_SUFFIX = "-articles.jsonl"
LABELS_SUFFIX = "-labels.jsonl"
COLUMNS = (("articles", "articles"), ("det F1", "detection_f1"), ("country", "country"), ("city", "city"),
           ("date", "date"), ("killed", "killed"), ("injured", "injured"), ("claimed", "claimed_group_recall"),
           ("type", "attack_type_accuracy"), ("prefilter", "prefilter_recall"),
           ("bg->main", "background_promoted_to_main"))


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="score the extractor against labelled articles (dev sets, real-news corpus)")
    parser.add_argument("paths", type=Path, nargs="+", metavar="FILE",
                        help=f"NAME{ARTICLES_SUFFIX} with NAME{LABELS_SUFFIX} beside it, or a folder of such pairs")
    parser.add_argument("--parts", help="with a folder: the NAMEs to read, comma-separated (default: every pair)")
    parser.add_argument("--replay", action="store_true",
                        help="also merge the attack reports as `newswatch replay` does and score the incidents (B-cubed)")
    parser.add_argument("--json", action="store_true", help="print the scores (and every mistake) as JSON")
    parser.add_argument("--mistakes", action="store_true", help="list the articles each field got wrong")
    parser.set_defaults(handler=run)


def labelled_files(paths: list[Path], parts: str | None = None) -> list[tuple[str, Path, Path]]:
    """(name, articles file, labels file) for each pair named; a labels file named beside its articles is skipped."""
    wanted = parts.split(",") if parts else None
    pairs = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob(f"*{ARTICLES_SUFFIX}"))
            names = {file.name.removesuffix(ARTICLES_SUFFIX): file for file in found}
            missing = [name for name in wanted or () if name not in names]
            if missing:
                raise ValueError(f"{path}: no {', '.join(f'{name}{ARTICLES_SUFFIX}' for name in missing)}")
            pairs += [(name, file) for name, file in names.items() if wanted is None or name in wanted]
        elif path.name.endswith(LABELS_SUFFIX) and path.with_name(path.name.replace(LABELS_SUFFIX, ARTICLES_SUFFIX)) in paths:
            continue
        elif path.name.endswith(ARTICLES_SUFFIX):
            pairs.append((path.name.removesuffix(ARTICLES_SUFFIX), path))
        else:
            raise ValueError(f"{path}: expected NAME{ARTICLES_SUFFIX} (with NAME{LABELS_SUFFIX} beside it) or a folder")
    result = []
    for name, articles in pairs:
        labels = articles.with_name(articles.name.replace(ARTICLES_SUFFIX, LABELS_SUFFIX))
        for file in (articles, labels):
            if not file.is_file():
                raise ValueError(f"{file} does not exist")
        result.append((name, articles, labels))
    return result


def score_files(files: list[tuple[str, Path, Path]], *, replay: bool = False, nlp=None) -> dict:
    """Scores per file and over all of them ("all"), and with replay the incidents' B-cubed ("clustering")."""
    from extractors import extract_batch, load_nlp
    from extractors.evaluation import devset_label, evaluate
    from extractors.pipeline import screen
    from extractors.records import RecordError, read_articles, read_jsonl

    articles, labels, problems = {}, {}, []
    part_ids: dict[str, list[str]] = {}
    for name, articles_file, labels_file in files:
        part_ids[name] = []
        for item in read_articles(articles_file):
            if isinstance(item, RecordError):
                problems.append(f"{item}; skipped")
                continue
            articles[item.id] = item
            part_ids[name].append(item.id)
        labels.update((label["id"], label) for label in read_jsonl(labels_file))
    results = {result.id: result for result in extract_batch(list(articles.values()), nlp or load_nlp())}
    passed = {a.id for a in articles.values() if screen(a)[1]}
    report = {"problems": problems}
    scored_parts = {"all": list(articles)} | part_ids if len(files) > 1 else {"all": list(articles)}
    for part, ids in scored_parts.items():
        report[part] = evaluate(results, [labels[i] for i in ids if i in labels], passed).as_dict()
    if replay:
        attack_ids = [i for i in articles if i in labels and devset_label(labels[i])["is_attack_report"]]
        groups = {i: labels[i].get("group") or i for i in attack_ids}
        report["clustering"] = score_merging([articles[i] for i in attack_ids], groups, results)
    return report


def score_merging(articles: list, groups: dict[str, str], results: dict) -> dict:
    """Replay the articles (their extractions reused) as `newswatch replay` does; B-cubed of the incidents.

    Every article arrives at the latest published time, as `newswatch replay` (and `newswatch ingest`) stamp a file.
    """
    from extractors.evaluation import bcubed
    from streams.cli.commands.replay import dedup_from_settings
    from streams.replay import replay
    from streams.settings import Settings

    published = [a.published for a in articles if a.published is not None]
    arrival = max(published, default=dt.datetime.now(dt.timezone.utc))
    arrival = arrival if arrival.tzinfo else arrival.replace(tzinfo=dt.timezone.utc)
    arrived = [article.model_copy(update={"fetched_at": arrival}) for article in articles]
    merged = replay(arrived, arrival, extract=lambda batch: [results[a.id] for a in batch],
                    dedup=dedup_from_settings(Settings()))
    clusters = {}
    for number, incident in enumerate(merged.incidents):
        if incident.historical:
            continue
        for article_id in incident.article_ids:
            clusters.setdefault(article_id, number)
    return bcubed(clusters, groups) | {"incidents": len(merged.incidents)}


def run(args) -> int:
    try:
        files = labelled_files(args.paths, args.parts)
        report = score_files(files, replay=args.replay)
    except ValueError as error:
        print(f"newswatch eval: {error}", file=sys.stderr)
        return 2
    for problem in report.pop("problems"):
        print(f"newswatch eval: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(format_scores(report))
    if args.mistakes:
        for field, items in report["all"]["mistakes"].items():
            print(f"\n{field}:")
            print("\n".join(f"  {item}" for item in items))
    return 0


def format_scores(report: dict) -> str:
    """One row per file and one for all of them; a field no label scores is shown as '-'."""
    from streams.terminal_tables import format_table

    rows = []
    for part, summary in report.items():
        if part == "clustering":
            continue
        scored = summary["scored"]
        rows.append([part] + [str(summary[key]) if scored.get(key, 1) else "-" for _, key in COLUMNS])
    text = format_table(["part", *(title for title, _ in COLUMNS)], rows)
    if "clustering" in report:
        c = report["clustering"]
        text += (f"\nincident merging (B-cubed over attack reports): precision {c['precision']}, recall {c['recall']},"
                 f" F1 {c['f1']}; {c['incidents']} incidents for {c['groups']} events")
    return text
