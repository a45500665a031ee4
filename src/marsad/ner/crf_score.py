"""State scores of the two CRFs summed per word type instead of per token.

A token's CRF score for a label is the sum of the weights of its feature strings
(:meth:`FeatureMaker.base`, :meth:`FeatureMaker.with_memory`). Those strings come in groups
that depend on one word only: the word's own features, and what it lends to the word one or
two positions away. Each group's weights are summed once per word type into a *row*; a token's
score is then the sum of about ten rows (own, lexicon tag, four neighbours, two neighbour
lexicon tags, two bigrams, and in the second pass three memory features), gathered for a whole
document with one numpy indexing operation. The models' weights are read from the same files
python-crfsuite opens (:mod:`marsad.ner.crf_weights`), so the tags are CRFsuite's; the
reference path in :class:`marsad.ner.crf.CrfTagger` and the tests check that they agree.

This mirrors the layout of ``FeatureMaker.base``: a change there must be made here too (the
equality tests fail otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from marsad.ner.crf_weights import CrfWeights, viterbi
from marsad.ner.features import FeatureMaker

SLOTS = 10  # own (with the bias "b"), lex, lent from -2 -1 +1 +2, lex at -1 +1, bigram -, bigram +
MEMORY_SLOTS = 3  # mem at -1, 0, +1
MAX_WORDS = 50_000  # word types kept between documents (about 5 rows × 2 models × 56 bytes each)
MAX_PAIRS = 200_000  # neighbour pairs of word types kept (their bigram rows)
_OFFSETS = (-2, -1, 1, 2)


@dataclass(frozen=True, slots=True)
class _Word:
    own: int  # row of "b" + the word's own features
    lent: tuple[int, int, int, int]  # rows it lends to the words at -2, -1, +1, +2
    first: str  # its lent identity feature (the right half of "bg-=a|b")
    own0: str  # its first own feature (the left half of "bg+=a|b")
    stem: str  # what the document memory is keyed on


class DocumentScorer:
    """Builds, for the sentences of one document, the row indices of each token's feature
    groups, sums them into each model's state scores and decodes tags."""

    def __init__(self, features: FeatureMaker, models: Sequence[CrfWeights]) -> None:
        self.features = features
        self.models = tuple(models)
        names: dict[str, int] = {}
        for model in self.models:
            for name in model.attributes:
                names.setdefault(name, len(names) + 1)  # row 0 is all zeros
        self._attr = names
        self._fixed = len(names) + 1
        # one table for all models side by side: columns [cols[m], cols[m + 1]) are model m's labels
        self._cols = np.cumsum([0, *(len(m.labels) for m in self.models)]).tolist()
        self._table = np.zeros((self._fixed + 4096, self._cols[-1]), dtype=np.float64)
        for m, model in enumerate(self.models):
            rows = [names[a] for a in model.attributes]
            self._table[rows, self._cols[m]: self._cols[m + 1]] = model.state[list(model.attributes.values())]
        self._used = self._fixed
        self._words: dict[str, _Word] = {}
        # (left.own, right.own) -> bigram rows; a word type's own row is its unique id here
        self._pair_rows: dict[tuple[int, int], tuple[int, int]] = {}
        self._bound = tuple(self._attr.get(f"{d}BOUND", 0) for d in _OFFSETS)
        self._tag_rows: dict[str, int] = {}

    # --- rows -----------------------------------------------------------------------------

    def _tag_row(self, feature: str) -> int:
        """Row of a lexicon or memory feature ("lex=B-ORG", "-1lex=B-ORG", "0mem=PER")."""
        row = self._tag_rows.get(feature)
        if row is None:
            row = self._tag_rows[feature] = self._attr.get(feature, 0)
        return row

    def _group_rows(self, groups: Sequence[Sequence[str]]) -> list[int]:
        """New rows, one per group of feature names, holding their summed weights in every model."""
        known: list[int] = []
        bounds: list[int] = []
        attr = self._attr
        for names in groups:
            bounds.append(len(known))
            known.append(0)  # the zero row first: an empty group sums to zero, as in CRFsuite
            known.extend(attr[n] for n in names if n in attr)
        if self._used + len(groups) > len(self._table):
            grown = np.zeros((2 * len(self._table) - self._fixed, self._table.shape[1]))
            grown[: len(self._table)] = self._table
            self._table = grown
        first = self._used
        # summed row by row in each group, in the order CRFsuite adds them
        self._table[first: first + len(groups)] = np.add.reduceat(self._table[known], bounds, axis=0)
        self._used += len(groups)
        return list(range(first, first + len(groups)))

    def _word(self, token: str) -> _Word:
        word = self._words.get(token)
        if word is None:
            feats = self.features.word(token)
            own, *lent = self._group_rows([("b", *feats.own), *(feats.lent[d] for d in _OFFSETS)])
            word = self._words[token] = _Word(own, tuple(lent), feats.first, feats.own[0],  # type: ignore[arg-type]
                                               feats.stem)
        return word

    def _forget_if_full(self) -> None:
        """Bounded memory over a long run: start the word rows afresh between documents."""
        if len(self._words) > MAX_WORDS or len(self._pair_rows) > MAX_PAIRS:
            self._words.clear()
            self._pair_rows.clear()
            self._used = self._fixed

    # --- indices --------------------------------------------------------------------------

    def index(self, sentences: Sequence[Sequence[str]],
              lex_tags: Sequence[Sequence[str]]) -> np.ndarray:
        """``(tokens of all sentences, SLOTS)`` rows, sentence after sentence, laid out as
        ``FeatureMaker.base`` builds its features (neighbours never cross a sentence end)."""
        self._forget_if_full()
        word = self._word
        ws = [word(t) for tokens in sentences for t in tokens]
        n = len(ws)
        idx = np.zeros((n, SLOTS), dtype=np.intp)
        if not n:
            return idx
        pos = np.fromiter((i for tokens in sentences for i in range(len(tokens))), np.intp, n)
        after = np.fromiter((len(tokens) - 1 - i for tokens in sentences for i in range(len(tokens))),
                            np.intp, n)  # tokens after this one in its sentence
        idx[:, 0] = np.fromiter((w.own for w in ws), np.intp, n)
        lent = np.array([w.lent for w in ws], dtype=np.intp)
        b2, b1, a1, a2 = self._bound
        for col, d, k, bound in ((2, -2, 0, b2), (3, -1, 1, b1), (4, 1, 2, a1), (5, 2, 3, a2)):
            shifted = np.full(n, bound, dtype=np.intp)
            inside = pos >= -d if d < 0 else after >= d
            if d < 0:
                shifted[-d:] = lent[:d, k]
            else:
                shifted[:-d] = lent[d:, k]
            idx[:, col] = np.where(inside, shifted, bound)
        tags = [tag for tags in lex_tags for tag in tags]
        if any(tag != "O" for tag in tags):
            tag_row = self._tag_row
            own_tag, before, after_tag = (np.fromiter((tag_row(f"{p}{t}") if t != "O" else 0 for t in tags),
                                                      np.intp, n) for p in ("lex=", "-1lex=", "1lex="))
            idx[:, 1] = own_tag
            idx[1:, 6] = before[:-1]  # what the word before lends to this one
            idx[:-1, 7] = after_tag[1:]
            idx[pos == 0, 6] = 0
            idx[after == 0, 7] = 0
        # each pair of neighbours in a sentence: the bigram rows it gives the second word (bg-)
        # and the first (bg+), looked up once per pair of word types (many pairs repeat)
        pair_rows = self._pair_rows
        before_rows = [0] * n
        after_rows = [0] * n
        previous = None
        for i, (w, p) in enumerate(zip(ws, pos.tolist())):
            if p:
                rows = pair_rows.get((previous.own, w.own))  # type: ignore[union-attr]
                if rows is None:
                    rows = self._pair(previous, w)  # type: ignore[arg-type]
                before_rows[i], after_rows[i - 1] = rows
            previous = w
        idx[:, 8] = before_rows
        idx[:, 9] = after_rows
        return idx

    def _pair(self, left: _Word, right: _Word) -> tuple[int, int]:
        attr = self._attr
        rows = (attr.get(f"bg-={left.first}|{right.own0}", 0), attr.get(f"bg+={left.own0}|{right.first}", 0))
        self._pair_rows[(left.own, right.own)] = rows
        return rows

    def memory_index(self, tokens: Sequence[str], memory: Mapping[str, str]) -> np.ndarray | None:
        """``(tokens, MEMORY_SLOTS)`` rows of the memory features (``with_memory``), or None
        when none fires (the second model would then see what the first saw)."""
        words = self._words
        seen = [memory.get(words[t].stem) if t in words else memory.get(self.features.stem(t))
                for t in tokens]
        if not any(seen):
            return None
        n = len(tokens)
        rows = np.zeros((n, MEMORY_SLOTS), dtype=np.intp)
        for j, kind in enumerate(seen):
            if kind:  # token j lends "{d}mem=kind" to token j - d
                for slot, d in enumerate((-1, 0, 1)):
                    if 0 <= j - d < n:
                        rows[j - d, slot] = self._tag_row(f"{d}mem={kind}")
        return rows

    # --- scores and tags ------------------------------------------------------------------

    def scores(self, index: np.ndarray, lengths: Sequence[int]) -> list[np.ndarray]:
        """Per sentence, ``(tokens, all models' labels)`` sums of the rows of :meth:`index`."""
        if not lengths:
            return []
        # np.take gathers the same rows as self._table[index] in half the time (the whole,
        # contiguous table: on a column slice it would copy the table first)
        return np.split(np.take(self._table, index, axis=0).sum(axis=1), np.cumsum(lengths)[:-1])

    def extra_scores(self, model: int, rows: np.ndarray) -> np.ndarray:
        return self._table[rows, self._cols[model]: self._cols[model + 1]].sum(axis=1)

    def columns(self, model: int) -> slice:
        """Model ``model``'s columns in the arrays :meth:`scores` returns."""
        return slice(self._cols[model], self._cols[model + 1])

    def decode(self, model: int, scores: Sequence[np.ndarray]) -> list[list[str]]:
        """Tags of model ``model`` from its own state scores (its :meth:`columns`)."""
        labels = self.models[model].labels
        return [[labels[k] for k in path] for path in viterbi(scores, self.models[model].transitions)]
