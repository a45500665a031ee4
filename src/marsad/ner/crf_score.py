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
    own: int  # row of "b" + the word's own features (unique to the word type: its id here)
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
        self._own: dict[str, int] = {}  # token -> its word's own row
        self._by_own: dict[int, _Word] = {}
        # per own row (so per word type): the own row and the rows lent to -2 -1 +1 +2
        self._word_rows = np.zeros((len(self._table), 5), dtype=np.intp)
        self._stem_ids: dict[str, int] = {}  # stem -> its id, for the memory lookups
        self._stem_of_own = np.zeros(len(self._table), dtype=np.intp)  # own row -> stem id
        self.last_owns = np.zeros(0, dtype=np.intp)  # own rows of the tokens last indexed
        # the pairs of word types met so far, as left.own << 32 | right.own, sorted, and their
        # bigram rows: a document's pairs are looked up all at once (np.searchsorted)
        self._pair_codes = np.zeros(0, dtype=np.int64)
        self._pair_rows = np.zeros((0, 2), dtype=np.intp)
        self._bound = tuple(self._attr.get(f"{d}BOUND", 0) for d in _OFFSETS)
        self._tag_rows: dict[str, int] = {}
        self._mem_rows: dict[str, tuple[int, int, int]] = {}

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
            word_rows = np.zeros((len(grown), 5), dtype=np.intp)
            word_rows[: len(self._word_rows)] = self._word_rows
            self._word_rows = word_rows
            stem_of_own = np.zeros(len(grown), dtype=np.intp)
            stem_of_own[: len(self._stem_of_own)] = self._stem_of_own
            self._stem_of_own = stem_of_own
        first = self._used
        # summed row by row in each group, in the order CRFsuite adds them
        self._table[first: first + len(groups)] = np.add.reduceat(self._table[known], bounds, axis=0)
        self._used += len(groups)
        return list(range(first, first + len(groups)))

    def _word(self, token: str) -> _Word:
        word = self._words.get(token)
        if word is None:
            feats = self.features.word(token)
            rows = self._group_rows([("b", *feats.own), *(feats.lent[d] for d in _OFFSETS)])
            word = self._words[token] = _Word(rows[0], feats.first, feats.own[0], feats.stem)
            self._own[token] = rows[0]
            self._by_own[rows[0]] = word
            self._word_rows[rows[0]] = rows
            self._stem_of_own[rows[0]] = self._stem_ids.setdefault(feats.stem, len(self._stem_ids))
        return word

    def _forget_if_full(self) -> None:
        """Bounded memory over a long run: start the word rows afresh between documents."""
        if len(self._words) > MAX_WORDS or len(self._pair_codes) > MAX_PAIRS:
            self._words.clear()
            self._own.clear()
            self._by_own.clear()
            self._stem_ids.clear()
            self._pair_codes = np.zeros(0, dtype=np.int64)
            self._pair_rows = np.zeros((0, 2), dtype=np.intp)
            self._used = self._fixed

    # --- indices --------------------------------------------------------------------------

    def index(self, sentences: Sequence[Sequence[str]],
              lex_tags: Sequence[Sequence[str]]) -> np.ndarray:
        """``(tokens of all sentences, SLOTS)`` rows, sentence after sentence, laid out as
        ``FeatureMaker.base`` builds its features (neighbours never cross a sentence end)."""
        self._forget_if_full()
        get, word = self._own.get, self._word  # a known word costs one dict lookup, no call
        owns = self.last_owns = np.array([get(t) or word(t).own for tokens in sentences for t in tokens], dtype=np.intp)
        n = len(owns)
        idx = np.zeros((n, SLOTS), dtype=np.intp)
        if not n:
            return idx
        lengths = np.array([len(tokens) for tokens in sentences], dtype=np.intp)
        pos = np.arange(n, dtype=np.intp) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        after = np.repeat(lengths, lengths) - 1 - pos  # tokens after this one in its sentence
        rows = self._word_rows[owns]  # own, then lent to -2 -1 +1 +2
        idx[:, 0] = rows[:, 0]
        b2, b1, a1, a2 = self._bound
        for col, d, k, bound in ((2, -2, 1, b2), (3, -1, 2, b1), (4, 1, 3, a1), (5, 2, 4, a2)):
            shifted = np.full(n, bound, dtype=np.intp)
            inside = pos >= -d if d < 0 else after >= d
            if d < 0:
                shifted[-d:] = rows[:d, k]
            else:
                shifted[:-d] = rows[d:, k]
            idx[:, col] = np.where(inside, shifted, bound)
        tags = [tag for tags in lex_tags for tag in tags]
        tagged = [i for i, tag in enumerate(tags) if tag != "O"]  # most tokens are outside names
        if tagged:
            tag_row = self._tag_row
            idx[tagged, 1] = [tag_row(f"lex={tags[i]}") for i in tagged]
            # what a tagged word lends to the word after it and the word before it, in its sentence
            lend_after = [i for i in tagged if after[i]]
            idx[[i + 1 for i in lend_after], 6] = [tag_row(f"-1lex={tags[i]}") for i in lend_after]
            lend_before = [i for i in tagged if pos[i]]
            idx[[i - 1 for i in lend_before], 7] = [tag_row(f"1lex={tags[i]}") for i in lend_before]
        # each pair of neighbours: the bigram rows it gives the second word (bg-) and the first
        # (bg+), looked up once per pair of word types (many pairs repeat); the pairs that
        # straddle a sentence end are looked up too (fewer branches) and then zeroed
        if n > 1:
            bigrams = self._bigram_rows(owns)
            idx[1:, 8] = bigrams[:, 0]
            idx[:-1, 9] = bigrams[:, 1]
            idx[pos == 0, 8] = 0
            idx[after == 0, 9] = 0
        return idx

    def _bigram_rows(self, owns: np.ndarray) -> np.ndarray:
        """``(len(owns) - 1, 2)``: the bg- and bg+ rows of each pair of neighbours."""
        codes = (owns[:-1].astype(np.int64) << 32) | owns[1:]
        known = self._pair_codes
        at = np.searchsorted(known, codes)
        met = at < len(known)
        met[met] = known[at[met]] == codes[met]
        if not met.all():  # pairs not met before: their rows, merged in (the codes stay sorted)
            new = np.unique(codes[~met])
            by_own = self._by_own
            rows = np.array([self._pair(by_own[code >> 32], by_own[code & 0xFFFFFFFF]) for code in new.tolist()],
                            dtype=np.intp).reshape(-1, 2)
            where = np.searchsorted(known, new)
            self._pair_codes = np.insert(known, where, new)
            self._pair_rows = np.insert(self._pair_rows, where, rows, axis=0)
            at = np.searchsorted(self._pair_codes, codes)
        return self._pair_rows[at]

    def _pair(self, left: _Word, right: _Word) -> tuple[int, int]:
        attr = self._attr
        return attr.get(f"bg-={left.first}|{right.own0}", 0), attr.get(f"bg+={left.own0}|{right.first}", 0)

    def memory_index(self, tokens: Sequence[str], memory: Mapping[str, str]) -> np.ndarray | None:
        """``(tokens, MEMORY_SLOTS)`` rows of the memory features (``with_memory``), or None
        when none fires (the second model would then see what the first saw)."""
        get, stem = self._words.get, self.features.stem
        seen = [memory.get(w.stem if (w := get(t)) is not None else stem(t)) for t in tokens]
        fired = [j for j, kind in enumerate(seen) if kind]
        if not fired:
            return None
        n = len(tokens)
        rows = np.zeros((n, MEMORY_SLOTS), dtype=np.intp)
        for j in fired:  # token j lends "{d}mem=kind" to token j - d
            kind_rows = self._memory_rows(seen[j])  # type: ignore[arg-type]
            for slot, d in enumerate((-1, 0, 1)):
                if 0 <= j - d < n:
                    rows[j - d, slot] = kind_rows[slot]
        return rows

    def document_memory_index(self, sentences: Sequence[Sequence[str]], memories: Sequence[Mapping[str, str]],
                              owns: np.ndarray | None = None) -> tuple[np.ndarray, list[bool]]:
        """:meth:`memory_index` of every sentence at once: ``(tokens of all sentences,
        MEMORY_SLOTS)`` rows (zeros where nothing fires), and per sentence whether anything does.
        ``owns`` are the tokens' own rows (:attr:`last_owns` after :meth:`index` of the same
        sentences), for the shortcut when all sentences share one memory."""
        n_tokens = sum(len(tokens) for tokens in sentences)
        if owns is not None and memories and all(m is memories[0] for m in memories):
            return self._shared_memory_index(sentences, memories[0], owns)
        get, stem = self._words.get, self.features.stem
        rows = np.zeros((n_tokens, MEMORY_SLOTS), dtype=np.intp)
        fired: list[bool] = []
        offset = 0
        for tokens, memory in zip(sentences, memories, strict=True):
            n = len(tokens)
            hits: list[int] = []
            if memory:
                lookup = memory.get
                seen = [lookup(w.stem if (w := get(t)) is not None else stem(t)) for t in tokens]
                hits = [j for j, kind in enumerate(seen) if kind]
            for j in hits:  # token j lends "{d}mem=kind" to token j - d
                kind_rows = self._memory_rows(seen[j])  # type: ignore[arg-type]
                for slot, d in enumerate((-1, 0, 1)):
                    if 0 <= j - d < n:
                        rows[offset + j - d, slot] = kind_rows[slot]
            fired.append(bool(hits))
            offset += n
        return rows, fired

    def _shared_memory_index(self, sentences: Sequence[Sequence[str]], memory: Mapping[str, str],
                             owns: np.ndarray) -> tuple[np.ndarray, list[bool]]:
        """:meth:`document_memory_index` when every sentence has the same memory (a whole
        document's): the tokens' stems are looked up all at once, by id."""
        lengths = np.array([len(tokens) for tokens in sentences], dtype=np.intp)
        n = int(lengths.sum())
        rows = np.zeros((n, MEMORY_SLOTS), dtype=np.intp)
        ids = self._stem_ids
        known = sorted((ids[stem], kind) for stem, kind in memory.items() if kind and stem in ids)
        if not known or not n:
            return rows, [False] * len(sentences)
        mem_ids = np.array([i for i, _ in known], dtype=np.intp)
        token_ids = self._stem_of_own[owns]
        at = np.minimum(np.searchsorted(mem_ids, token_ids), len(mem_ids) - 1)
        hits = np.flatnonzero(mem_ids[at] == token_ids)
        sentence_of = np.repeat(np.arange(len(lengths)), lengths)
        starts = np.cumsum(lengths) - lengths
        pos = np.arange(n) - starts[sentence_of]
        after = lengths[sentence_of] - 1 - pos
        for g, k, p, a in zip(hits.tolist(), at[hits].tolist(), pos[hits].tolist(), after[hits].tolist()):
            kind_rows = self._memory_rows(known[k][1])  # token g lends "{d}mem=kind" to token g - d
            if a:
                rows[g + 1, 0] = kind_rows[0]  # d = -1
            rows[g, 1] = kind_rows[1]
            if p:
                rows[g - 1, 2] = kind_rows[2]  # d = +1
        fired = np.zeros(len(lengths), dtype=bool)
        fired[sentence_of[hits]] = True
        return rows, fired.tolist()

    def _memory_rows(self, kind: str) -> tuple[int, int, int]:
        """Rows of "-1mem=kind", "0mem=kind", "1mem=kind"."""
        rows = self._mem_rows.get(kind)
        if rows is None:
            rows = self._mem_rows[kind] = tuple(self._tag_row(f"{d}mem={kind}") for d in (-1, 0, 1))  # type: ignore[assignment]
        return rows  # type: ignore[return-value]

    # --- scores and tags ------------------------------------------------------------------

    def scores(self, index: np.ndarray, lengths: Sequence[int]) -> list[np.ndarray]:
        """Per sentence, ``(tokens, all models' labels)`` sums of the rows of :meth:`index`."""
        if not lengths:
            return []
        return np.split(self.total_scores(index), np.cumsum(lengths)[:-1])

    def total_scores(self, index: np.ndarray) -> np.ndarray:
        """``(tokens, all models' labels)`` sums of the rows of :meth:`index`."""
        # np.take gathers the same rows as self._table[index] in half the time (the whole,
        # contiguous table: on a column slice it would copy the table first). The slots are
        # added one after the other, the order in which .sum(axis=1) of the gathered
        # (tokens, slots, labels) block adds them, so the floats are the same, without the block.
        take = self._table.take  # the method: np.take's Python wrapper costs as much as the gather
        total = take(index[:, 0], axis=0)
        for slot in range(1, index.shape[1]):
            total += take(index[:, slot], axis=0)
        return total

    def extra_scores(self, model: int, rows: np.ndarray) -> np.ndarray:
        return self._table[rows, self._cols[model]: self._cols[model + 1]].sum(axis=1)

    def columns(self, model: int) -> slice:
        """Model ``model``'s columns in the arrays :meth:`scores` returns."""
        return slice(self._cols[model], self._cols[model + 1])

    def decode(self, model: int, scores: Sequence[np.ndarray]) -> list[list[str]]:
        """Tags of model ``model`` from its own state scores (its :meth:`columns`)."""
        labels = self.models[model].labels
        return [[labels[k] for k in path] for path in viterbi(scores, self.models[model].transitions)]
