"""A CRFsuite model file read into arrays, and Viterbi decoding over scores built from them.

Tagging through python-crfsuite costs one Python → C++ string conversion and one hashed
attribute lookup per feature string, about 45 of them per token, for every token of every
report. The weights are the same for every occurrence of a word, so :mod:`marsad.ner.crf_score`
sums them once per word type instead; this module gives it the weights (read from the model
file, not re-learnt) and the same Viterbi that CRFsuite runs (``crf1dc_viterbi``: log-domain
scores, ties to the lowest label id).

The file layout is CRFsuite's ``crf1d_model.c``: a header, a ``FEAT`` chunk (type, source,
destination, float64 weight per feature: type 0 = attribute → label, 1 = label → label), and
two CQDB string databases (labels, attributes) whose backward arrays give id → string.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = struct.Struct("<IIId")
_STATE, _TRANSITION = 0, 1


class ModelFormatError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CrfWeights:
    """The weights of one linear-chain CRF: ``state[attribute id, label id]`` and
    ``transitions[from label, to label]``."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: np.ndarray  # (attributes, labels) float64
    transitions: np.ndarray  # (labels, labels) float64


def read_model(path: Path) -> CrfWeights:
    data = Path(path).read_bytes()
    if len(data) < _HEADER.size:
        raise ModelFormatError(f"{path}: not a CRFsuite model")
    (magic, _size, kind, _version, _nf, n_labels, n_attrs, off_features, off_labels, off_attrs,
     _off_lrefs, _off_arefs) = _HEADER.unpack_from(data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelFormatError(f"{path}: not a CRFsuite first-order CRF model")
    labels = _cqdb_strings(data, off_labels, n_labels)
    attributes = _cqdb_strings(data, off_attrs, n_attrs)
    chunk, _chunk_size, n_features = struct.unpack_from("<4sII", data, off_features)
    if chunk != b"FEAT":
        raise ModelFormatError(f"{path}: feature chunk missing")
    state = np.zeros((n_attrs, n_labels), dtype=np.float64)
    transitions = np.zeros((n_labels, n_labels), dtype=np.float64)
    for kind_, src, dst, weight in _FEATURE.iter_unpack(
            data[off_features + 12: off_features + 12 + n_features * _FEATURE.size]):
        if kind_ == _STATE:
            state[src, dst] = weight
        elif kind_ == _TRANSITION:
            transitions[src, dst] = weight
    return CrfWeights(tuple(labels), {a: i for i, a in enumerate(attributes)}, state, transitions)


def _cqdb_strings(data: bytes, offset: int, count: int) -> list[str]:
    """id → string from a CQDB chunk's backward array (offsets relative to the chunk)."""
    chunk, _size, _flag, _order, bwd_size, bwd_offset = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB" or bwd_size < count:
        raise ModelFormatError("string database missing")
    out: list[str] = []
    for rel in struct.unpack_from(f"<{count}I", data, offset + bwd_offset):
        _id, ksize = struct.unpack_from("<II", data, offset + rel)
        out.append(data[offset + rel + 8: offset + rel + 8 + ksize - 1].decode("utf-8"))
    return out


BATCH = 64  # sequences decoded together: enough to amortise numpy's per-call cost

try:  # the C loop (setup.py builds it; optional): the same arithmetic, ~10x faster on short sentences
    from marsad.ner._viterbi import decode as _decode_one
except ImportError:  # no compiler at install time: numpy below gives the same tags
    _decode_one = None


def viterbi(scores: Sequence[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """Best label ids for each sequence of state scores (``(tokens, labels)`` each). The
    arithmetic and the tie-breaking are CRFsuite's: at each step
    ``max_i(prev[i] + trans[i, j]) + state[j]``, the first (lowest) label on ties. With the C
    extension each sequence is decoded alone; otherwise sequences of similar length are decoded
    together in numpy, a batch at a time."""
    if _decode_one is not None:
        return [_decode_one(s, transitions) for s in scores]
    return viterbi_numpy(scores, transitions)


def viterbi_numpy(scores: Sequence[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    """:func:`viterbi` without the C extension (the fallback, and its reference in the tests)."""
    out: list[list[int]] = [[] for _ in scores]
    live = sorted((k for k, s in enumerate(scores) if len(s)), key=lambda k: len(scores[k]))
    for lo in range(0, len(live), BATCH):
        batch = live[lo: lo + BATCH]
        for k, path in zip(batch, _viterbi_batch([scores[k] for k in batch], transitions), strict=True):
            out[k] = path
    return out


def _viterbi_batch(scores: Sequence[np.ndarray], transitions: np.ndarray) -> list[list[int]]:
    lengths = [len(s) for s in scores]
    longest = max(lengths)
    n_seq, n_labels = len(scores), transitions.shape[0]
    state = np.zeros((longest, n_seq, n_labels), dtype=np.float64)  # [step, sequence, label]
    for row, seq in enumerate(scores):
        state[: len(seq), row] = seq
    alpha = np.empty_like(state)
    back = np.empty((longest, n_seq, n_labels), dtype=np.intp)
    candidates = np.empty((n_seq, n_labels, n_labels), dtype=np.float64)  # [sequence, from, to]
    trans = transitions[None]
    alpha[0] = state[0]
    for t in range(1, longest):  # padded steps past a sequence's end are computed and ignored
        np.add(alpha[t - 1][:, :, None], trans, out=candidates)
        candidates.argmax(axis=1, out=back[t])
        candidates.max(axis=1, out=alpha[t])
        alpha[t] += state[t]
    ends = [n - 1 for n in lengths]
    finals = alpha[ends, np.arange(n_seq)].argmax(axis=1).tolist()
    steps = back.tolist()  # plain lists: the walk back is one lookup per token
    out: list[list[int]] = []
    for row in range(n_seq):
        label = finals[row]
        path = [label]
        for t in range(ends[row], 0, -1):
            label = steps[t][row][label]
            path.append(label)
        path.reverse()
        out.append(path)
    return out
