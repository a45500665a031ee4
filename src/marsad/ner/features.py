"""Token features for the CRF model.

A token is described by its match key, its clitic-stripped stem, affixes, shape, and its
membership in Marsad's own lexicons (gazetteer places, given names, titles and roles, nisba
adjectives, person stop words); the sentence adds a ±2 context window and the tags the lexicon
back-end gives to whole multi-word names (``lex=B-ORG``). Word-level features are cached, so
the cost per token is mostly list concatenation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import regex

from marsad.arabic.segment import strip_clitics
from marsad.geo.keys import token_key
from marsad.geo.resolve import Gazetteer
from marsad.ner.resources import resources
from marsad.ner.romanise import known_given_name

_ARABIC = regex.compile(r"^\p{Arabic}+$")
_LATIN = regex.compile(r"^[A-Za-z]+$")
_DIGITS = regex.compile(r"^[\p{Nd}.,٫٬]+$")
_PUNCT = regex.compile(r"^[^\p{L}\p{N}]+$")

WINDOW = 2


def shape(token: str) -> str:
    if _ARABIC.match(token):
        return "ar"
    if _DIGITS.match(token):
        return "num"
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

    def _word(self, token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(own features, features this word lends to its neighbours)."""
        key = token_key(token)
        kind = shape(token)
        if kind == "p":
            return (f"w={token}", "sh=p"), (f"w={token}",)
        if kind == "num":
            return ("sh=num",), ("sh=num",)
        prefix, stem = strip_clitics(key, final_ha=token.endswith("ه"))
        feats = [f"w={key}", f"s={stem}", f"sh={kind}", f"pc={prefix}",
                 f"p2={stem[:2]}", f"p3={stem[:3]}", f"x1={stem[-1:]}", f"x2={stem[-2:]}",
                 f"x3={stem[-3:]}", f"len={min(len(stem), 8)}"]
        if key.startswith("ال") or prefix.endswith("ال"):
            feats.append("def")
        feats.extend(f"c3={stem[k:k + 3]}" for k in range(1, len(stem) - 3))
        lex = self._lexicon_flags(key, stem)
        feats.extend(lex)
        lend = [f"w={key}", f"s={stem}", *lex]
        return tuple(feats), tuple(lend)

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
        own = self.word(token)[0]
        return next((f[2:] for f in own if f.startswith("s=")), own[0])

    def sentence(self, tokens: Sequence[str], lex_tags: Sequence[str] | None = None,
                 memory: Mapping[str, str] | None = None) -> list[list[str]]:
        """Features of each token. ``memory`` maps a stem to the type a first pass gave it
        elsewhere in the same document (so a surname alone is a PER when the full name was)."""
        words = [self.word(t) for t in tokens]
        n = len(tokens)
        out: list[list[str]] = []
        for i in range(n):
            own, _ = words[i]
            feats = ["b", *own]
            if lex_tags is not None and lex_tags[i] != "O":
                feats.append(f"lex={lex_tags[i]}")
            for d in range(-WINDOW, WINDOW + 1):
                if d == 0:
                    continue
                j = i + d
                if 0 <= j < n:
                    feats.extend(f"{d}{f}" for f in words[j][1])
                    if lex_tags is not None and lex_tags[j] != "O" and abs(d) == 1:
                        feats.append(f"{d}lex={lex_tags[j]}")
                else:
                    feats.append(f"{d}BOUND")
            if memory:
                for d in (-1, 0, 1):
                    j = i + d
                    if 0 <= j < n:
                        seen = memory.get(self.stem(tokens[j]))
                        if seen:
                            feats.append(f"{d}mem={seen}")
            if i > 0:
                feats.append(f"bg-={words[i - 1][1][0]}|{own[0]}")
            if i + 1 < n:
                feats.append(f"bg+={own[0]}|{words[i + 1][1][0]}")
            out.append(feats)
        return out
