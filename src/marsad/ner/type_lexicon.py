"""A type lexicon learnt from annotated text: for each word stem, the entity type it mostly has.

Built by ``marsad ner train`` from corpora other than the one the CRF is fitted on (WikiANN and
AQMAR by default), it tells the model what it could not see in its own training data: 66 % of
the person-name tokens of the ANERcorp test are in it as PER, against 60 % in the ANERcorp
training vocabulary. Stored as ``stem<TAB>TYPE:strength`` lines, gzip-compressed.
"""

from __future__ import annotations

import gzip
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from marsad.arabic.segment import strip_clitics
from marsad.geo.keys import token_key
from marsad.ner.corpus import Sentence

MIN_COUNT = 2


def stem_of(token: str) -> str:
    return strip_clitics(token_key(token), final_ha=token.endswith("ه"))[1]


def build(sentences: Iterable[Sentence], min_count: int = MIN_COUNT) -> dict[str, str]:
    """stem → "TYPE:hi" (≥ 80 % of its uses), "TYPE:mid" (≥ 50 %) or "TYPE:lo" (≥ 25 %)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            if token[:1].isalpha():
                counts[stem_of(token)][tag[2:] or "O"] += 1
    out: dict[str, str] = {}
    for stem, seen in counts.items():
        total = sum(seen.values())
        kind, n = max(((k, v) for k, v in seen.items() if k != "O"), key=lambda kv: kv[1],
                      default=("O", 0))
        if kind == "O" or n < min_count:
            if total >= 3 * min_count and seen["O"] == total:
                out[stem] = "O:hi"  # a common word: its absence marks a word never seen
            continue
        share = n / total
        strength = "hi" if share >= 0.8 else "mid" if share >= 0.5 else "lo" if share >= 0.25 else ""
        if strength:
            out[stem] = f"{kind}:{strength}"
    return out


def save(lexicon: dict[str, str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{stem}\t{value}\n" for stem, value in sorted(lexicon.items()))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as out:
        out.write(body.encode("utf-8"))


def load(path: Path) -> dict[str, str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return dict(line.rstrip("\n").split("\t", 1) for line in lines if "\t" in line)
