"""Marsad's CRF NER model side by side with a spaCy NER trained on exactly the same data.

Issue: "Marsad must be at least as accurate and faster in tokens/s".

Peer: a blank("ar") spaCy pipeline (tok2vec + ner) with the config that
``spacy init config --lang ar --pipeline ner --optimize efficiency`` gives (static vectors off;
none are available offline), trained on ``anercorp-train``. The ``accuracy`` preset
(``--optimize accuracy``: CNN width 256 × depth 8 instead of 96 × 4) is far too slow for the
15-minute budget on 2 CPU cores: about 5 min per epoch (vs 42 s) and ~1,500 tokens/s at
prediction (vs ~20,000), so it would stop after 2 epochs, badly under-trained. Its first 90% of
sentences are the training set; the last 10% (deterministic) are spaCy's dev set, used only to
pick the best checkpoint. Docs are built from the gold tokens (gold_preproc), so both systems
see the same tokenisation at training and test time. Training is capped by ``--max-epochs``
(printed), seeds are fixed, and the trained model is cached in ``benchmarks/out/spacy/`` and
reused unless ``--retrain`` is given (or the training settings changed).

Test sets: anercorp-test-repaired (real quality), anercorp-test (as distributed, comparable
with the literature), wikiann-test (out of domain). Tags are mapped to IOB2 PER/ORG/LOC by
``marsad.ner.corpus`` (MISC→O) and both systems are scored by ``marsad.ner.corpus.score``
(entity-level, exact chunk match, micro P/R/F1 and per-type F1).

Speed: tokens/s of prediction on one core (process pinned to one CPU, BLAS/OpenMP threads 1),
best of ``--repeats`` passes after a warm-up. spaCy: ``nlp.pipe(docs, batch_size=256)`` over
pre-built Docs (pipeline only), and also including ``Doc(vocab, words=...)`` construction.
Marsad: ``CrfTagger.tag_sentences`` over the token lists. Load time (load plus the first
one-sentence call, so lazy initialisation counts) and model size on disk are reported too. Writes benchmarks/out/ner_vs_spacy.txt and .json; asserts nothing.

    .venv/bin/python benchmarks/bench_ner_vs_spacy.py            # full run (≈15 min on 2 cores)
    .venv/bin/python benchmarks/bench_ner_vs_spacy.py --quick    # smoke run on a small subset
    .venv/bin/python benchmarks/bench_ner_vs_spacy.py --retrain --max-epochs 20
    .venv/bin/python benchmarks/bench_ner_vs_spacy.py --optimize accuracy   # slow preset
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy/thinc are imported: one core for the timings

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

from marsad.ner.corpus import TYPES, Sentence, load, score  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
CACHE = OUT / "spacy"
TRAIN_SET = "anercorp-train"
TEST_SETS = ("anercorp-test-repaired", "anercorp-test", "wikiann-test")
DEV_FRACTION = 0.10
SEED = 0
QUICK_TRAIN, QUICK_TEST = 300, 100  # sentences kept by --quick
# Epoch caps that keep a full run within ~15 min on 2 CPU cores (≈42 s / ≈300 s per epoch).
DEFAULT_EPOCHS = {"efficiency": 15, "accuracy": 2}


@dataclass
class Result:
    system: str
    test_set: str
    sentences: int
    tokens: int
    precision: float
    recall: float
    f1: float
    per_type_f1: dict[str, float]
    support: int
    tokens_per_s: float
    tokens_per_s_with_docs: float | None
    load_s: float
    model_mb: float
    notes: dict[str, object] = field(default_factory=dict)


# ---------------------------------------------------------------- data


def load_sets(shared: Path, quick: bool) -> tuple[list[Sentence], dict[str, list[Sentence]]]:
    train = load(shared, [TRAIN_SET])
    tests = {name: load(shared, [name]) for name in TEST_SETS}
    if quick:
        train = train[:QUICK_TRAIN]
        tests = {name: sents[:QUICK_TEST] for name, sents in tests.items()}
    return train, tests


def split_dev(train: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The last 10% of the training sentences are the dev set (deterministic)."""
    cut = len(train) - max(1, round(len(train) * DEV_FRACTION))
    return list(train[:cut]), list(train[cut:])


def n_tokens(sentences: Sequence[Sentence]) -> int:
    return sum(len(s.tokens) for s in sentences)


# ---------------------------------------------------------------- spaCy side


def make_doc(vocab, tokens: Sequence[str]):  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc
    return Doc(vocab, words=list(tokens), spaces=[True] * (len(tokens) - 1) + [False])


def gold_doc(vocab, sentence: Sentence):  # type: ignore[no-untyped-def]
    from spacy.training import biluo_tags_to_spans, iob_to_biluo
    doc = make_doc(vocab, sentence.tokens)
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(list(sentence.tags)))
    return doc


def write_docbin(vocab, sentences: Sequence[Sentence], path: Path) -> None:  # type: ignore[no-untyped-def]
    from spacy.tokens import DocBin
    DocBin(docs=(gold_doc(vocab, s) for s in sentences), store_user_data=False).to_disk(path)


def spacy_config(optimize: str, train_path: Path, dev_path: Path, max_epochs: int):  # type: ignore[no-untyped-def]
    """`spacy init config --lang ar --pipeline ner --optimize <optimize>`, no static vectors."""
    from spacy.cli.init_config import init_config
    config = init_config(lang="ar", pipeline=["ner"], optimize=optimize, gpu=False)
    config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] = False
    config["paths"]["train"] = str(train_path)
    config["paths"]["dev"] = str(dev_path)
    config["system"]["seed"] = SEED
    for corpus in ("train", "dev"):
        config["corpora"][corpus]["gold_preproc"] = True  # keep the gold tokenisation
    config["training"]["max_epochs"] = max_epochs
    config["training"]["max_steps"] = 0  # the epoch cap is the limit
    config["training"]["logger"]["progress_bar"] = False
    return config


def settings_key(optimize: str, max_epochs: int, quick: bool, n_train: int, n_dev: int) -> dict:
    import spacy
    return {"optimize": optimize, "max_epochs": max_epochs, "quick": quick, "train": TRAIN_SET,
            "train_sentences": n_train, "dev_sentences": n_dev, "seed": SEED,
            "spacy": spacy.__version__, "static_vectors": False, "gold_preproc": True}


def train_spacy(train: Sequence[Sentence], optimize: str, max_epochs: int, quick: bool,
                retrain: bool) -> tuple[Path, dict]:
    """Train (or reuse) the spaCy peer; returns the model-best folder and the training info."""
    import spacy
    from spacy.cli.train import train as spacy_train
    from spacy.util import fix_random_seed

    cache = CACHE / ("quick" if quick else "full")
    info_path = cache / "training.json"
    train_part, dev_part = split_dev(train)
    key = settings_key(optimize, max_epochs, quick, len(train_part), len(dev_part))
    best = cache / "model-best"
    if not retrain and best.is_dir() and info_path.is_file():
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if info.get("settings") == key:
            info["reused"] = True
            return best, info
        print("spaCy: cached model was trained with other settings; retraining")
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    vocab = spacy.blank("ar").vocab
    train_path, dev_path = cache / "train.spacy", cache / "dev.spacy"
    write_docbin(vocab, train_part, train_path)
    write_docbin(vocab, dev_part, dev_path)
    config = spacy_config(optimize, train_path, dev_path, max_epochs)
    config_path = cache / "config.cfg"
    config.to_disk(config_path)
    print(f"spaCy: training on {len(train_part)} sentences ({n_tokens(train_part):,} tokens), "
          f"dev {len(dev_part)} sentences; optimize={optimize}, max_epochs={max_epochs}; "
          f"config {config_path.relative_to(ROOT)}", flush=True)
    fix_random_seed(SEED)
    started = time.perf_counter()
    spacy_train(config_path, cache, use_gpu=-1)
    train_s = time.perf_counter() - started
    meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    info = {"settings": key, "train_s": round(train_s, 1),
            "train_tokens": n_tokens(train_part), "dev_tokens": n_tokens(dev_part),
            "dev_scores": meta.get("performance", {}), "reused": False}
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    for path in (train_path, dev_path):
        path.unlink()
    return best, info


def stopping_rules(model: Path) -> dict[str, int]:
    """spaCy's own early stopping (defaults of the preset), read back from the saved config."""
    from spacy.util import load_config
    training = load_config(model / "config.cfg")["training"]
    return {"patience_steps": training["patience"], "eval_frequency": training["eval_frequency"]}


def spacy_tags(doc) -> list[str]:  # type: ignore[no-untyped-def]
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        tags[ent.start] = f"B-{ent.label_}"
        for i in range(ent.start + 1, ent.end):
            tags[i] = f"I-{ent.label_}"
    return tags


def time_spacy(nlp, sentences: Sequence[Sentence], repeats: int) -> tuple[list[list[str]], float, float]:  # type: ignore[no-untyped-def]
    """Predicted tags, best pipeline-only seconds, best seconds including Doc construction."""
    token_lists = [list(s.tokens) for s in sentences]
    list(nlp.pipe((make_doc(nlp.vocab, t) for t in token_lists[:64]), batch_size=256))  # warm-up
    best_pipe = best_full = float("inf")
    predicted: list[list[str]] = []
    for _ in range(repeats):
        docs = [make_doc(nlp.vocab, t) for t in token_lists]
        started = time.perf_counter()
        out = list(nlp.pipe(docs, batch_size=256))
        best_pipe = min(best_pipe, time.perf_counter() - started)
        predicted = [spacy_tags(d) for d in out]
        started = time.perf_counter()
        list(nlp.pipe((make_doc(nlp.vocab, t) for t in token_lists), batch_size=256))
        best_full = min(best_full, time.perf_counter() - started)
    return predicted, best_pipe, best_full


def evaluate_spacy(model: Path, tests: dict[str, list[Sentence]], repeats: int,
                   info: dict) -> list[Result]:
    import spacy
    started = time.perf_counter()
    nlp = spacy.load(model)
    nlp(make_doc(nlp.vocab, next(iter(tests.values()))[0].tokens))
    load_s = time.perf_counter() - started
    size = dir_mb(model)
    results = []
    for name, sentences in tests.items():
        predicted, pipe_s, full_s = time_spacy(nlp, sentences, repeats)
        tokens = n_tokens(sentences)
        results.append(make_result(f"spaCy {spacy.__version__} ({info['settings']['optimize']})",
                                   name, sentences, predicted, tokens / pipe_s, tokens / full_s,
                                   load_s, size))
    return results


# ---------------------------------------------------------------- Marsad side


def load_marsad() -> tuple[object, Path | None]:
    """The committed model: ``CrfTagger.load()`` where it exists, else the back-end's loader."""
    from marsad.ner.crf import CrfTagger
    if hasattr(CrfTagger, "load"):
        tagger = CrfTagger.load()
        path = getattr(tagger, "model_path", None)
        return tagger, Path(path) if path else None
    from marsad.ner.crf import MODEL_DIR
    from marsad.ner.crf_backend import load_tagger
    return load_tagger(), MODEL_DIR


def marsad_model_mb(path: Path | None) -> float:
    """Size of the model folder (CRF files, type lexicon, model.json); the shared gazetteer and
    lexicons the features read are not counted."""
    if path is None or not path.exists():
        return float("nan")
    return dir_mb(path) if path.is_dir() else path.stat().st_size / 1e6


def marsad_model_info(path: Path | None) -> dict:
    meta = (path if path and path.is_dir() else Path()) / "model.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}


def time_marsad(tag: Callable[[list[list[str]]], list[list[str]]], sentences: Sequence[Sentence],
                repeats: int) -> tuple[list[list[str]], float]:
    token_lists = [list(s.tokens) for s in sentences]
    tag(token_lists[:64])  # warm-up
    best = float("inf")
    predicted: list[list[str]] = []
    for _ in range(repeats):
        started = time.perf_counter()
        predicted = tag(token_lists)
        best = min(best, time.perf_counter() - started)
    return [list(t) for t in predicted], best


def evaluate_marsad(tests: dict[str, list[Sentence]], repeats: int) -> list[Result]:
    started = time.perf_counter()
    try:
        tagger, model_path = load_marsad()
        tagger.tag_sentences([list(next(iter(tests.values()))[0].tokens)])
    except Exception as exc:  # noqa: BLE001 - the model is optional here; say why and go on
        print(f"Marsad CRF model not available ({type(exc).__name__}: {exc})")
        return []
    load_s = time.perf_counter() - started
    size = marsad_model_mb(model_path)
    meta = marsad_model_info(model_path)
    notes = {k: meta[k] for k in ("train", "type_lexicon_from", "corpus_radius") if k in meta}
    results = []
    for name, sentences in tests.items():
        predicted, seconds = time_marsad(tagger.tag_sentences, sentences, repeats)
        result = make_result("Marsad CRF", name, sentences, predicted,
                             n_tokens(sentences) / seconds, None, load_s, size)
        result.notes = notes
        results.append(result)
    return results


# ---------------------------------------------------------------- scoring and report


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def make_result(system: str, name: str, sentences: Sequence[Sentence],
                predicted: Sequence[Sequence[str]], tps: float, tps_docs: float | None,
                load_s: float, size: float) -> Result:
    result = score(sentences, predicted)
    p, r, f, support = result.prf()
    return Result(system=system, test_set=name, sentences=len(sentences),
                  tokens=n_tokens(sentences), precision=round(p, 4), recall=round(r, 4),
                  f1=round(f, 4), per_type_f1={k: round(result.prf(k)[2], 4) for k in TYPES},
                  support=support, tokens_per_s=round(tps), load_s=round(load_s, 3),
                  tokens_per_s_with_docs=round(tps_docs) if tps_docs is not None else None,
                  model_mb=round(size, 2))


def table(results: Sequence[Result]) -> str:
    head = (f"{'system':<27} {'test set':<23} {'P':>6} {'R':>6} {'F1':>6} "
            + " ".join(f"{k + ' F1':>6}" for k in TYPES)
            + f" {'tok/s':>8} {'tok/s+Doc':>9} {'load s':>7} {'MB':>6}")
    lines = [head, "-" * len(head)]
    for r in results:
        with_docs = f"{r.tokens_per_s_with_docs:>9,}" if r.tokens_per_s_with_docs else f"{'–':>9}"
        lines.append(f"{r.system:<27} {r.test_set:<23} {r.precision:>6.3f} {r.recall:>6.3f} "
                     f"{r.f1:>6.3f} " + " ".join(f"{r.per_type_f1[k]:>6.3f}" for k in TYPES)
                     + f" {r.tokens_per_s:>8,} {with_docs} {r.load_s:>7.2f} {r.model_mb:>6.1f}")
    return "\n".join(lines)


def report(results: Sequence[Result], info: dict, tests: dict[str, list[Sentence]],
           marsad_ok: bool, total_s: float) -> str:
    s = info["settings"]
    lines = [
        "NER: Marsad CRF vs spaCy trained on the same data (entity-level, exact chunks, "
        "PER/ORG/LOC; MISC→O)",
        f"train: {TRAIN_SET} first 90% = {s['train_sentences']} sentences "
        f"({info['train_tokens']:,} tokens); spaCy dev (best-model selection): last 10% = "
        f"{s['dev_sentences']} sentences",
        f"spaCy {s['spacy']}: blank('ar') tok2vec+ner, `spacy init config --optimize "
        f"{s['optimize']}` without static vectors, gold tokens, seed {s['seed']}, "
        f"max_epochs {s['max_epochs']} (early stop: no dev gain in {info['patience_steps']} "
        f"steps, eval every {info['eval_frequency']}); training {info['train_s']:.0f} s"
        + (" (cached model reused)" if info.get("reused") else "")
        + f"; dev ents_f {info['dev_scores'].get('ents_f', float('nan')):.3f}",
        *(["  (efficiency preset: the accuracy preset, width 256 × depth 8, needs ~5 min per "
           "epoch on this data and predicts ~1,500 tok/s, too slow to train within 15 min)"]
          if s["optimize"] == "efficiency" else []),
        "test sets: " + ", ".join(f"{n} {len(v)} sent / {n_tokens(v):,} tok"
                                  for n, v in tests.items()),
        "load s = load + first one-sentence call; "
        "speed: one core (pinned, BLAS threads 1), best of repeats after warm-up; "
        "tok/s = pipeline only (spaCy nlp.pipe batch 256 over pre-built Docs), "
        "tok/s+Doc = including Doc(vocab, words=...) construction",
        "",
        table(results),
    ]
    if not marsad_ok:
        lines += ["", "Marsad CRF model not available"]
    notes = next((r.notes for r in results if r.system == "Marsad CRF" and r.notes), None)
    if notes:
        lines += ["", f"Marsad CRF (model.json): trained on {', '.join(notes.get('train', []))}; "
                  f"type lexicon from {', '.join(notes.get('type_lexicon_from', [])) or 'none'}; "
                  f"document memory over ±{notes.get('corpus_radius', '?')} neighbouring "
                  "sentences of the running test corpus. spaCy tags each sentence alone and "
                  "sees anercorp-train only."]
    lines += ["", f"python {platform.python_version()} on {platform.machine()}; "
              f"total run {total_s:.0f} s"]
    return "\n".join(lines)


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "ner",
                        help="folder with the NER corpora (default: ../shared/data/ner)")
    parser.add_argument("--retrain", action="store_true", help="ignore the cached spaCy model")
    parser.add_argument("--max-epochs", type=int, default=None,
                        help="spaCy training cap (default: 15 for efficiency, 2 for accuracy, "
                             "1 with --quick)")
    parser.add_argument("--optimize", choices=("accuracy", "efficiency"), default="efficiency",
                        help="spaCy config preset (default efficiency; accuracy is ~7x slower)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes, best kept")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_TRAIN} train / {QUICK_TEST} test sentences")
    args = parser.parse_args()
    max_epochs = args.max_epochs or (1 if args.quick else DEFAULT_EPOCHS[args.optimize])
    started = time.perf_counter()

    train, tests = load_sets(args.shared.resolve(), args.quick)
    model, info = train_spacy(train, args.optimize, max_epochs, args.quick, args.retrain)
    info.update(stopping_rules(model))
    pin_one_core()
    results = evaluate_spacy(model, tests, args.repeats, info)
    marsad = evaluate_marsad(tests, args.repeats)
    by_set = {name: i for i, name in enumerate(TEST_SETS)}
    results = sorted(results + marsad, key=lambda r: (by_set[r.test_set], r.system))

    text = report(results, info, tests, bool(marsad), time.perf_counter() - started)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "_quick" if args.quick else ""
    (OUT / f"ner_vs_spacy{suffix}.txt").write_text(text + "\n", encoding="utf-8")
    payload = {"spacy_training": info, "marsad_available": bool(marsad),
               "results": [asdict(r) for r in results]}
    (OUT / f"ner_vs_spacy{suffix}.json").write_text(json.dumps(payload, indent=2) + "\n",
                                                    encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
