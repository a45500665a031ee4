"""CAMeL Tools' NER (a fine-tuned Arabic BERT, ANERcorp labels) as a span proposer.

Install with ``pip install 'marsad[camel]'``. The model is found, in this order, at

1. the ``model_path`` given to :class:`CamelProposer`,
2. the directory named by ``MARSAD_CAMEL_NER_MODEL`` (a folder written by ``save_pretrained``,
   e.g. a copy of CAMeL-Lab/bert-base-arabic-camelbert-msa-ner),
3. CAMeL Tools' own data folder (``~/.camel_tools`` or ``$CAMELTOOLS_DATA``), where
   ``camel_data -i ner`` puts its default model.

Nothing is downloaded at run time. CAMeL Tools itself fetches its data catalogue when
``camel_tools.ner`` is first imported and the catalogue file is missing, so this module checks
for that file first and refuses (with instructions) rather than let the import go online.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from marsad.arabic.segment import sentences
from marsad.ner.proposers import (
    BackendUnavailable,
    Proposal,
    decode_token_labels,
    dedupe,
    locate_tokens,
    require_model_dir,
    require_packages,
)

ENV_MODEL = "MARSAD_CAMEL_NER_MODEL"
DEFAULT_CONFIDENCE = 0.8  # CAMeL's recogniser returns labels only, no scores


def camel_data_dir() -> Path:
    """The folder CAMeL Tools keeps its catalogue and data in (mirrors camel_tools.data)."""
    if os.environ.get("CAMELTOOLS_DATA") is not None:
        return Path(os.environ["CAMELTOOLS_DATA"]).expanduser().absolute()
    if sys.platform == "win32":
        return Path.home() / "AppData/Roaming/camel_tools"
    return Path.home() / ".camel_tools"


def _has_catalogue(data_dir: Path) -> bool:
    return (data_dir / "catalogue.json").is_file() or any(data_dir.glob("catalogue-*.json"))


_INSTALL_DATA = (
    "run `camel_data -i ner` once on a machine with network access (it fills ~/.camel_tools, "
    "or $CAMELTOOLS_DATA) and copy that folder here, or put a saved NER model in a directory "
    f"and set {ENV_MODEL} to it"
)


def _import_recogniser() -> Any:
    """camel_tools.ner.NERecognizer, without letting CAMeL Tools download its catalogue."""
    if "camel_tools.data" not in sys.modules:
        data_dir = camel_data_dir()
        if not _has_catalogue(data_dir):
            raise BackendUnavailable(
                f"CAMeL Tools has no data catalogue in {str(data_dir)!r} and would download one "
                f"on import; Marsad does not download at run time. To enable the camel back-end, "
                f"{_INSTALL_DATA} (CAMeL Tools needs its catalogue.json in either case)"
            )
    try:
        from camel_tools.ner import NERecognizer
    except Exception as exc:  # e.g. camel_tools.data.DownloaderError, a broken catalogue
        raise BackendUnavailable(f"cannot load CAMeL Tools' NER module: {exc}") from exc
    return NERecognizer


def _catalogue_model_dir() -> Path | None:
    """Where CAMeL Tools' catalogue says its default NER model lives, if it says so."""
    try:
        from camel_tools.data import CATALOGUE

        component = CATALOGUE.components["NamedEntityRecognition"]
        return Path(component.datasets[component.default].path)
    except Exception:
        return None


class CamelProposer:
    """Spans from ``camel_tools.ner.NERecognizer`` (labels B/I-PERS, -ORG, -LOC, -MISC).

    The text is split into sentences, each sentence tokenised with CAMeL's
    ``simple_word_tokenize``, labelled, and the labels mapped back to character spans by finding
    each token in order in the original text. MISC is dropped.
    """

    name = "camel"

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        use_gpu: bool = False,
        batch_size: int = 32,
        recogniser: Any = None,
    ) -> None:
        require_packages("camel", "camel", "camel_tools", "torch", "transformers")
        from camel_tools.tokenizers.word import simple_word_tokenize

        self._tokenize = simple_word_tokenize
        self.confidence = confidence
        self.batch_size = batch_size
        if recogniser is not None:  # an already built NERecognizer (or a stand-in, for tests)
            self._ner = recogniser
            self.model_path = None
            return

        path = model_path if model_path is not None else os.environ.get(ENV_MODEL) or None
        model_dir = require_model_dir("camel", path, ENV_MODEL) if path is not None else None
        NERecognizer = _import_recogniser()
        if model_dir is None:
            model_dir = _catalogue_model_dir()
            if model_dir is None or not (model_dir / "config.json").is_file():
                where = f" (expected in {str(model_dir)!r})" if model_dir is not None else ""
                raise BackendUnavailable(
                    f"no CAMeL Tools NER model is installed{where}; {_INSTALL_DATA}"
                )
        try:
            self._ner = NERecognizer(str(model_dir), use_gpu=use_gpu)
        except Exception as exc:
            raise BackendUnavailable(
                f"cannot load the CAMeL NER model from {str(model_dir)!r}: {exc}"
            ) from exc
        self.model_path = model_dir

    def propose(self, text: str) -> list[Proposal]:
        batch: list[list[str]] = []
        located: list[list[tuple[int, int] | None]] = []
        for sent in sentences(text):
            tokens = self._tokenize(text[sent.start:sent.end])
            if tokens:
                batch.append(tokens)
                located.append(locate_tokens(text, tokens, sent.start, sent.end))
        if not batch:
            return []
        predicted = self._ner.predict(batch, batch_size=self.batch_size)
        proposals: list[Proposal] = []
        for tokens, spans, labels in zip(batch, located, predicted, strict=True):
            aligned = self._align(tokens, spans, list(labels))
            if aligned is not None:
                proposals.extend(decode_token_labels(aligned, labels, self.confidence))
        return dedupe(proposals)

    def _align(
        self, tokens: list[str], spans: list[tuple[int, int] | None], labels: list[str]
    ) -> list[tuple[int, int] | None] | None:
        """Spans matching ``labels`` one to one, or None when they cannot be lined up.

        CAMeL's recogniser silently drops a token its BERT tokenizer turns into no word pieces,
        so its label list can be shorter than the token list; drop those tokens here too.
        """
        if len(labels) == len(tokens):
            return spans
        tokenizer = getattr(self._ner, "tokenizer", None)
        if tokenizer is None:
            return None
        kept = [span for token, span in zip(tokens, spans) if tokenizer.tokenize(token)]
        return kept if len(kept) == len(labels) else None


__all__ = ["ENV_MODEL", "CamelProposer", "camel_data_dir"]
