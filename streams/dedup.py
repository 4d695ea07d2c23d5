"""Near-duplicate articles: MinHash over word shingles of the normalised text, banded LSH over a key-value mapping.

Signatures come from datasketch's MinHash (seed and scheme fixed, so signatures kept in a changelog stay
comparable across restarts and library upgrades). The LSH index is our own banding rather than
datasketch's MinHashLSH, because its state has to live in a Faust Table: every change must be a plain
assignment or deletion of a JSON value (Faust changelogs only what is assigned), entries must expire by
age, and a redelivered article must be a no-op, not an error (MinHashLSH keeps mutable sets in its own
storage, has no expiry and raises on an existing key).

The injected mapping holds one JSON entry per remembered article (article id -> time, insertion number,
signature, shingle count, text fingerprint, verdict), so a Faust Table writes one changelog record per
new article and one per expiry. The band buckets and the expiry order are derived from those entries and
kept in process memory: after a restart they are derived again from the recovered table.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import unicodedata
import zlib
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash

from extractors.furniture import is_furniture

_SCHEME = "affine32"
_SEED = 1

# Below this many shingles a "contained" text is a headline-sized fragment, too short to call a copy.
_MIN_CONTAINED_SHINGLES = 20
_NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> list[str]:
    """The story's words: furniture lines dropped, Unicode and case folded, punctuation removed."""
    kept = [line for line in text.splitlines() if not is_furniture(line.strip())]
    folded = unicodedata.normalize("NFKC", "\n".join(kept)).casefold()
    return _NON_WORD.sub(" ", folded).split()


def shingles(words: list[str], size: int) -> list[bytes]:
    """Overlapping runs of `size` words; a text shorter than that is one shingle."""
    if not words:
        return []
    if len(words) <= size:
        return [" ".join(words).encode()]
    return [" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)]


@dataclass(frozen=True)
class DedupVerdict:
    """What the index decided for one article.

    `identical` means the normalised text equals the canonical's, so the canonical's extraction can be
    reused; a near-copy (small edits, an updated toll) is linked but should be extracted again.
    """

    duplicate_of: str | None
    similarity: float = 0.0
    identical: bool = False


class DedupIndex:
    """Finds an earlier article (within `max_age`) that a new one copies, and remembers the new one.

    `storage` maps article ids to JSON entries and needs get, `in`, assignment and `del`; it is iterated
    only by `reload`, so a dict and a Faust Table both serve. An article is a duplicate when the estimated
    Jaccard similarity of the shingle sets is at least `threshold`, or when the smaller text is at least
    `containment` inside the larger one (a trimmed copy). Expiry walks the entries in insertion order; an
    entry whose time runs behind a later one expires with it, so out-of-order times delay expiry but never
    lose it.
    """

    def __init__(
        self,
        storage: MutableMapping[str, Any],
        *,
        threshold: float = 0.4,
        containment: float = 0.7,
        max_age: dt.timedelta = dt.timedelta(days=7),
        num_perm: int = 128,
        bands: int = 32,
        rows: int = 3,
        shingle_size: int = 5,
        max_bucket: int = 64,
    ):
        if bands * rows > num_perm:
            raise ValueError(f"bands x rows ({bands} x {rows}) exceeds num_perm ({num_perm}): each band takes `rows` signature values")
        self.storage = storage
        self.threshold = threshold
        self.containment = containment
        self.max_age = max_age
        self.bands = bands
        self.rows = rows
        self.shingle_size = shingle_size
        self.max_bucket = max_bucket
        self._num_perm = num_perm
        self._permutations = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations
        # Derived from storage: band -> ids in insertion order, and ids in insertion order for expiry.
        self._buckets: dict[bytes, list[str]] = {}
        self._queue: deque[str] = deque()
        self._next_number = 0
        self._derived = False

    def reload(self) -> None:
        """Derive the buckets and the expiry order from storage again at the next check: call it when the
        storage was filled behind the index's back (a Faust Table recovered from its changelog)."""
        self._derived = False

    def signature(self, text: str) -> tuple[np.ndarray, int, str] | None:
        """MinHash values, shingle count and fingerprint of the normalised text; None when no words remain."""
        words = normalise(text)
        if not words:
            return None
        units = shingles(words, self.shingle_size)
        minhash = MinHash(num_perm=self._num_perm, seed=_SEED, scheme=_SCHEME,
                          permutations=self._permutations, hashfunc=zlib.crc32)
        minhash.update_batch(units)
        fingerprint = hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()
        return minhash.hashvalues, len(set(units)), fingerprint

    def check_and_add(self, article_id: str, text: str, now: dt.datetime) -> DedupVerdict:
        """The verdict for this article, which is then indexed; asking again about a known id repeats the first answer."""
        known = self.storage.get(article_id)
        if known is not None:
            return DedupVerdict(known["of"] if known["of"] != article_id else None, known["sim"], known["same"])
        self.expire(now)
        signed = self.signature(text)
        if signed is None:
            return DedupVerdict(None)
        values, count, fingerprint = signed
        band_keys = self._band_keys(values)
        verdict = self._best_match(article_id, values, count, fingerprint, band_keys, now)
        self._insert(article_id, values, count, fingerprint, band_keys, verdict, now)
        return verdict

    def expire(self, now: dt.datetime) -> int:
        """Forget entries older than `max_age` before `now`; returns how many went."""
        self._derive()
        cutoff = (now - self.max_age).timestamp()
        removed = 0
        while self._queue:
            article_id = self._queue[0]
            entry = self.storage.get(article_id)
            if entry is not None:
                if entry["t"] >= cutoff:
                    break
                self._remove(article_id, entry)
                removed += 1
            self._queue.popleft()
        return removed

    def _derive(self) -> None:
        """Buckets and expiry order rebuilt from the stored entries, in insertion order: the same buckets as
        the incremental ones, since expiry and bucket trimming both drop the oldest ids first."""
        if self._derived:
            return
        entries = sorted(self.storage.items(), key=lambda item: item[1]["no"])
        self._buckets, self._queue = {}, deque()
        for article_id, entry in entries:
            self._index(article_id, self._band_keys(_decode(entry["sig"])))
        self._next_number = entries[-1][1]["no"] + 1 if entries else 0
        self._derived = True

    def _best_match(self, article_id: str, values: np.ndarray, count: int, fingerprint: str,
                    band_keys: list[bytes], now: dt.datetime) -> DedupVerdict:
        oldest = (now - self.max_age).timestamp()
        best: tuple[float, float, str] | None = None  # (-similarity, time, id): the smallest wins
        best_entry: dict | None = None
        seen: set[str] = set()
        for key in band_keys:
            for candidate_id in self._buckets.get(key, ()):
                if candidate_id in seen or candidate_id == article_id:
                    continue
                seen.add(candidate_id)
                entry = self.storage.get(candidate_id)
                if entry is None or entry["t"] < oldest:
                    continue
                similarity = self._similarity(values, count, fingerprint, entry)
                if similarity is None:
                    continue
                rank = (-similarity, entry["t"], candidate_id)
                if best is None or rank < best:
                    best, best_entry = rank, entry
        if best is None:
            return DedupVerdict(None)
        canonical_id = best_entry["of"]
        canonical = best_entry if canonical_id == best[2] else self.storage.get(canonical_id)
        identical = canonical is not None and canonical["fp"] == fingerprint
        return DedupVerdict(canonical_id, round(-best[0], 4), identical)

    def _similarity(self, values: np.ndarray, count: int, fingerprint: str, entry: dict) -> float | None:
        """max(estimated Jaccard, containment of the smaller text) when either clears its bar, else None."""
        if entry["fp"] == fingerprint:
            return 1.0
        jaccard = float(np.mean(values == _decode(entry["sig"])))
        smaller = min(count, entry["n"])
        contained = 0.0
        if smaller >= _MIN_CONTAINED_SHINGLES:
            # |A and B| = J * (|A| + |B|) / (1 + J), from the definition of J.
            contained = min(1.0, jaccard * (count + entry["n"]) / (1 + jaccard) / smaller)
        if jaccard >= self.threshold or contained >= self.containment:
            return max(jaccard, contained)
        return None

    def _insert(self, article_id: str, values: np.ndarray, count: int, fingerprint: str,
                band_keys: list[bytes], verdict: DedupVerdict, now: dt.datetime) -> None:
        self.storage[article_id] = {
            "t": now.timestamp(),
            "no": self._next_number,
            "sig": _encode(values),
            "n": count,
            "fp": fingerprint,
            "of": verdict.duplicate_of or article_id,
            "sim": verdict.similarity,
            "same": verdict.identical,
        }
        self._next_number += 1
        self._index(article_id, band_keys)

    def _index(self, article_id: str, band_keys: list[bytes]) -> None:
        for key in band_keys:
            bucket = self._buckets.setdefault(key, [])
            bucket.append(article_id)
            if len(bucket) > self.max_bucket:
                del bucket[0]
        self._queue.append(article_id)

    def _remove(self, article_id: str, entry: dict) -> None:
        for key in self._band_keys(_decode(entry["sig"])):
            bucket = self._buckets.get(key)
            if bucket is not None and article_id in bucket:
                bucket.remove(article_id)
                if not bucket:
                    del self._buckets[key]
        del self.storage[article_id]

    def _band_keys(self, values: np.ndarray) -> list[bytes]:
        """One key per band: the band's number and its raw signature values (in memory only, so no hashing)."""
        raw = values.astype("<u4").tobytes()
        width = 4 * self.rows
        return [band.to_bytes(2, "little") + raw[band * width:(band + 1) * width] for band in range(self.bands)]


def _encode(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def _decode(encoded: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(encoded), dtype="<u4").astype(np.uint32)
