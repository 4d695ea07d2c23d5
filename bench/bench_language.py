"""Language identification: accuracy on the real-news corpus and the dev sets (English, French), and time per
article; prints JSON.

Each article is identified from its title plus lead (extractors.language.language_of), as the worker does.
Run from the repository root: python bench/bench_language.py [--realnews ../shared/corpus/realnews] [--repeat 5]
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.language import identify, language_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "data" / "devset" / "devset-articles.jsonl"
DEVSET_FR = ROOT / "tests" / "data" / "devset-fr" / "devset-fr-articles.jsonl"


def load(path: Path, default_language: str) -> list[tuple[str, str | None, str]]:
    """(expected language, title, text) per article: the record's own `language`, else the default."""
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [(r.get("language") or default_language, r.get("title"), r["text"]) for r in records]


def accuracy(articles: list[tuple[str, str | None, str]], identifier) -> dict:
    confusion = collections.Counter((expected, identifier(title, text)) for expected, title, text in articles)
    wrong = {f"{expected}->{got}": n for (expected, got), n in sorted(confusion.items()) if expected != got}
    right = sum(n for (expected, got), n in confusion.items() if expected == got)
    return {"articles": len(articles), "correct": right, "accuracy": round(right / len(articles), 4), "wrong": wrong}


def time_per_article_ms(articles: list[tuple[str, str | None, str]], repeat: int,
                        clock=time.perf_counter) -> float:
    language_of(articles[0][1], articles[0][2])  # loads the model
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        for _expected, title, text in articles:
            language_of(title, text)
        best = min(best, clock() - start)
    return round(best / len(articles) * 1000, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--realnews", type=Path, default=ROOT.parent / "shared" / "corpus" / "realnews")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sets = {"devset": load(DEVSET, "en"), "devset-fr": load(DEVSET_FR, "fr")}
    for path in sorted(args.realnews.glob("*-articles.jsonl")):
        part = path.name.split("-")[0]
        sets[f"realnews-{part}"] = load(path, "fr" if part == "fr" else "en")
    everything = [article for articles in sets.values() for article in articles]
    rss_before, resident_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _resident_mb()
    start = time.perf_counter()
    identify(None, "Le modèle est chargé au premier appel.")
    load_ms = round((time.perf_counter() - start) * 1000, 1)
    model_resident_mb = round(_resident_mb() - resident_before, 1)
    model_mb = round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1)
    report = {
        "title_plus_lead": {name: accuracy(articles, language_of) for name, articles in sets.items()},
        "model_alone_title_plus_lead": accuracy(everything, identify),
        "model_alone_title_only": accuracy([a for a in everything if a[1]], lambda title, _text: identify(None, title)),
        "model_load_ms": load_ms,
        "model_peak_memory_mb": model_mb,
        "model_resident_memory_mb": model_resident_mb,
        "ms_per_article": time_per_article_ms(everything, args.repeat),
        # English prose stops at the stopword test; other languages go on to the model: their cost apart, in CPU time
        "cpu_ms_per_article_by_language": {
            language: time_per_article_ms([a for a in everything if a[0] == language], args.repeat, time.process_time)
            for language in sorted({a[0] for a in everything})},
        "model_alone_ms_per_article": round(min(
            _timed(lambda: [identify(t, x) for _e, t, x in everything]) for _ in range(args.repeat)) / len(everything) * 1000, 4),
    }
    print(json.dumps(report, indent=2))


def _resident_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
