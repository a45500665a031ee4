"""A local Hugging Face token-classification model as a span proposer.

Install with ``pip install 'marsad[hf]'`` and point ``MARSAD_HF_NER_MODEL`` (or the ``model_path``
argument) at a directory written by ``save_pretrained`` that holds the model and its tokenizer,
e.g. a copy of CAMeL-Lab/bert-base-arabic-camelbert-msa-ner or another Arabic NER fine-tune.
Everything is loaded with ``local_files_only=True``: the Hub is never contacted.

Labels are mapped with :func:`marsad.ner.proposers.map_label` (PER/PERS, ORG, LOC/GPE/FAC);
anything else (MISC, dates, …) is dropped. The text is run sentence by sentence, and a sentence
longer than the model's window is read in overlapping windows (the pipeline's ``stride``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from marsad.arabic.segment import sentences
from marsad.ner.proposers import (
    BackendUnavailable,
    Proposal,
    dedupe,
    map_label,
    require_model_dir,
    require_packages,
)

ENV_MODEL = "MARSAD_HF_NER_MODEL"


class HfProposer:
    """Spans from a local ``transformers`` token-classification pipeline."""

    name = "hf"

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        device: int | str = -1,
        batch_size: int = 8,
    ) -> None:
        require_packages("hf", "hf", "transformers", "torch")
        path = model_path if model_path is not None else os.environ.get(ENV_MODEL) or None
        if path is None:
            raise BackendUnavailable(
                f"the hf NER back-end needs a local model: set {ENV_MODEL} to a directory "
                f"written by save_pretrained() (config.json, weights and tokenizer files); "
                f"Marsad never downloads models"
            )
        self.model_path: Path = require_model_dir("hf", path, ENV_MODEL)
        self.batch_size = batch_size

        from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

        try:
            tokenizer = AutoTokenizer.from_pretrained(self.model_path, local_files_only=True)
            model = AutoModelForTokenClassification.from_pretrained(
                self.model_path, local_files_only=True
            )
        except (OSError, ValueError) as exc:
            raise BackendUnavailable(
                f"cannot load a token-classification model and tokenizer from "
                f"{str(self.model_path)!r}: {exc}"
            ) from exc
        self._call_kwargs: dict[str, Any] = {}
        if getattr(tokenizer, "is_fast", False):
            window = _window(tokenizer, model)
            if window is not None:
                tokenizer.model_max_length = window
                self._call_kwargs["stride"] = max(1, min(64, window // 4))
        self._pipe = pipeline(
            "token-classification",
            model=model,
            tokenizer=tokenizer,
            aggregation_strategy="simple",
            device=device,
        )

    def propose(self, text: str) -> list[Proposal]:
        spans = sentences(text)
        if not spans:
            return []
        chunks = [text[s.start:s.end] for s in spans]
        results = self._pipe(chunks, batch_size=self.batch_size, **self._call_kwargs)
        proposals: list[Proposal] = []
        for span, entities in zip(spans, results, strict=True):
            chunk = text[span.start:span.end]
            for entity in entities:
                kind = map_label(str(entity.get("entity_group") or entity.get("entity") or ""))
                start, end = entity.get("start"), entity.get("end")
                if kind is None or start is None or end is None:
                    continue
                # the offsets may include the space a word piece was attached to
                while start < end and chunk[start].isspace():
                    start += 1
                while end > start and chunk[end - 1].isspace():
                    end -= 1
                if end <= start:
                    continue
                proposals.append(
                    Proposal(span.start + start, span.start + end, kind, float(entity["score"]))
                )
        return dedupe(proposals)


def _window(tokenizer: Any, model: Any) -> int | None:
    """Tokens the model can read at once (the tokenizer's limit is often a huge placeholder)."""
    limits = [tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", None)]
    usable = [n for n in limits if isinstance(n, int) and 8 <= n < 1_000_000]
    return min(usable) if usable else None


__all__ = ["ENV_MODEL", "HfProposer"]
