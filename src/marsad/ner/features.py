"""Token features for the CRF model.

A token is described by its match key, its clitic-stripped stem, affixes, shape, and its
membership in Marsad's own lexicons (gazetteer places, given names, titles and roles, nisba
adjectives, person stop words); the sentence adds a ±2 context window and the tags the lexicon
back-end gives to whole multi-word names (``lex=B-ORG``). Word-level features are cached, so
the cost per token is mostly list concatenation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from marsad.arabic.segment import strip_clitics
from marsad.geo.keys import token_key
from marsad.geo.resolve import Gazetteer
from marsad.ner.resources import resources
from marsad.ner.romanise import known_given_name

_ARABIC = regex.compile(r"^\p{Arabic}+$")
_LATIN = regex.compile(r"^[A-Za-z]+$")
_DIGITS = regex.compile(r"^\p{Nd}[\p{Nd}.,٫٬]*$")
_PUNCT = regex.compile(r"^[^\p{L}\p{N}]+$")

WINDOW = 2


def shape(token: str) -> str:
    if _DIGITS.match(token):
        return "num"
    if _ARABIC.match(token):
        return "ar"
    if _LATIN.match(token):
        return "Lat" if token[:1].isupper() else "lat"
    if _PUNCT.match(token):
        return "p"
    return "mix"


class FeatureMaker:
    """Builds per-token feature lists; holds the lexicons it reads."""

    def __init__(self, gazetteer: Gazetteer | None = None,
                 type_lexicon: Mapping[str, str] | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.res = resources()
        self.type_lexicon = type_lexicon or {}
        self.word = lru_cache(maxsize=262144)(self._word)

    def _word(self, token: str) -> WordFeatures:
        key = token_key(token)
        kind = shape(token)
        if kind == "p":
            return _word_features((f"w={token}", "sh=p"), (f"w={token}",), token)
        if kind == "num":
            return _word_features(("sh=num",), ("sh=num",), key)
        prefix, stem = strip_clitics(key, final_ha=token.endswith("ه"))
        feats = [f"w={key}", f"s={stem}", f"sh={kind}", f"pc={prefix}",
                 f"p2={stem[:2]}", f"p3={stem[:3]}", f"x1={stem[-1:]}", f"x2={stem[-2:]}",
                 f"x3={stem[-3:]}", f"len={min(len(stem), 8)}"]
        if key.startswith("ال") or prefix.endswith("ال"):
            feats.append("def")
        lex = self._lexicon_flags(key, stem)
        feats.extend(lex)
        return _word_features(tuple(feats), (f"w={key}", f"s={stem}", *lex), stem)

    def _lexicon_flags(self, key: str, stem: str) -> list[str]:
        flags: list[str] = []
        res, gaz = self.res, self.gazetteer
        for form, tag in ((key, ""), (stem, "s")):
            if form in gaz:
                kinds = {p.kind for p in gaz.candidates(form)}
                flags.append(f"gz{tag}")
                if kinds & {"country", "governorate", "region", "city", "desert"}:
                    flags.append(f"gzbig{tag}")
            if form in res.titles:
                flags.append(f"title{tag}={res.titles[form].kind}")
            if form in res.nisba:
                flags.append(f"nisba{tag}")
            if form in res.names:
                flags.append(f"alias{tag}={res.names[form].type}")
        typed = self.type_lexicon.get(stem)
        if typed:
            flags.append(f"tl={typed}")
            flags.append(f"tl={typed[:3]}")
        elif self.type_lexicon:
            flags.append("tl=?")
        if known_given_name(stem):
            flags.append("given")
        if stem in res.person_stopwords or key in res.person_stopwords:
            flags.append("pstop")
        if key in res.loc_stoplist:
            flags.append("locstop")
        return flags

    def stem(self, token: str) -> str:
        """The stem the word features use (the key for punctuation and numbers)."""
        return self.word(token).stem

    def sentence(self, tokens: Sequence[str], lex_tags: Sequence[str] | None = None,
                 memory: Mapping[str, str] | None = None) -> list[list[str]]:
        """Features of each token. ``memory`` maps a stem to the type a first pass gave it
        elsewhere in the same document (so a surname alone is a PER when the full name was)."""
        base = self.base(tokens, lex_tags)
        return self.with_memory(tokens, base, memory) if memory else base

    def base(self, tokens: Sequence[str], lex_tags: Sequence[str] | None = None) -> list[list[str]]:
        words = [self.word(t) for t in tokens]
        n = len(tokens)
        out: list[list[str]] = []
        for i in range(n):
            word = words[i]
            feats = ["b", *word.own]
            if lex_tags is not None and lex_tags[i] != "O":
                feats.append(f"lex={lex_tags[i]}")
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    feats.extend(words[j].lent[d])
                    if lex_tags is not None and lex_tags[j] != "O" and abs(d) == 1:
                        feats.append(f"{d}lex={lex_tags[j]}")
                else:
                    feats.append(_BOUND[d])
            if i > 0:
                feats.append(f"bg-={words[i - 1].first}|{word.own[0]}")
            if i + 1 < n:
                feats.append(f"bg+={word.own[0]}|{words[i + 1].first}")
            out.append(feats)
        return out

    def with_memory(self, tokens: Sequence[str], base: list[list[str]],
                    memory: Mapping[str, str]) -> list[list[str]]:
        seen = [memory.get(self.word(t).stem) for t in tokens]
        n = len(tokens)
        out: list[list[str]] = []
        for i in range(n):
            extra = [f"{d}mem={seen[i + d]}" for d in (-1, 0, 1) if 0 <= i + d < n and seen[i + d]]
            out.append(base[i] + extra if extra else base[i])
        return out if any(s for s in seen) else base


_BOUND = {d: f"{d}BOUND" for d in (-2, -1, 1, 2)}


@dataclass(frozen=True, slots=True)
class WordFeatures:
    own: tuple[str, ...]  # the word's own features
    lent: dict[int, tuple[str, ...]]  # what it lends to the word d positions away, prefixed
    stem: str
    first: str  # the lent identity feature, for bigrams


def _word_features(own: tuple[str, ...], lend: tuple[str, ...], stem: str) -> WordFeatures:
    return WordFeatures(own, {d: tuple(f"{d}{f}" for f in lend) for d in (-2, -1, 1, 2)}, stem, lend[0])
