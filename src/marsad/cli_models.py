"""``marsad ner …`` and ``marsad geo …``: build and measure the models that ship with Marsad."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

ner_app = typer.Typer(
    help=(
        "The built-in Arabic NER model (a two-stage CRF).\n\n"
        "  marsad ner train                 # rebuild src/marsad/ner/models from ../shared/data/ner\n\n"
        "  marsad ner eval                  # P/R/F1 per type on ANERcorp (repaired + as distributed) and WikiANN"
    ),
    no_args_is_help=True,
)
geo_app = typer.Typer(
    help="The place index used for geocoding.\n\n  marsad geo build    # rebuild it from ../shared/data/gazetteer",
    no_args_is_help=True,
)

NerData = Annotated[Path, typer.Option("--data", help="Folder of the NER corpora (../shared/data/ner).")]


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


@ner_app.command("train")
def ner_train(
    data: NerData = Path("../shared/data/ner"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Model folder. Default: the package's ner/models.")] = None,
    train_on: Annotated[str, typer.Option("--train", help="Corpora to fit the CRFs on (comma-separated).")] = "anercorp-train",
    lexicon_from: Annotated[str, typer.Option("--lexicon-from", help="Corpora the type lexicon is learnt from.")] =
        "wikiann-train,wikiann-dev,aqmar-train,aqmar-dev",
    c1: Annotated[float, typer.Option(help="L1 regularisation.")] = 0.05,
    c2: Annotated[float, typer.Option(help="L2 regularisation.")] = 0.01,
    iterations: Annotated[int, typer.Option(help="L-BFGS iterations per CRF.")] = 100,
) -> None:
    """Train the NER model (about 3 minutes on one core). Test corpora are refused."""
    from marsad.ner.corpus import CorpusError
    from marsad.ner.crf import MODEL_DIR, TrainSettings
    from marsad.ner.training import TrainingError, train_model

    started = time.perf_counter()
    try:
        manifest = train_model(data, out_dir or MODEL_DIR, _names(train_on), _names(lexicon_from),
                               TrainSettings(c1=c1, c2=c2, max_iterations=iterations),
                               on_progress=lambda message: err.print(
                                   f"[dim]{time.perf_counter() - started:6.1f}s[/dim] {message}"))
    except (CorpusError, TrainingError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    size = sum(f["bytes"] for f in manifest["files"].values())
    out.print(f"model written to {out_dir or MODEL_DIR} ({size / 1e6:.1f} MB) in {manifest['seconds']} s")


@ner_app.command("eval")
def ner_eval(
    data: NerData = Path("../shared/data/ner"),
    tests: Annotated[str, typer.Option("--test", help="Test corpora (comma-separated).")] =
        "anercorp-test-repaired,anercorp-test,wikiann-test",
    model_dir: Annotated[Path | None, typer.Option("--model", help="Model folder. Default: the shipped model.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Entity-level precision, recall and F1 per type (conlleval rules), and tokens/s."""
    from marsad.ner.corpus import CorpusError
    from marsad.ner.crf import MODEL_DIR, ModelMissing
    from marsad.ner.crf_backend import load_tagger
    from marsad.ner.training import evaluate_model

    try:
        started = time.perf_counter()
        tagger = load_tagger(model_dir or MODEL_DIR)
        load_seconds = time.perf_counter() - started
        results = evaluate_model(data, _names(tests), tagger)
    except (CorpusError, ModelMissing) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if json_out:
        out.print_json(json.dumps({"load_seconds": round(load_seconds, 3), "results": [
            {"corpus": r.corpus, "sentences": r.sentences, "tokens": r.tokens,
             "tokens_per_second": round(r.tokens_per_second), "scores": r.rows} for r in results]}))
        return
    for r in results:
        table = Table(title=f"{r.corpus}: {r.sentences:,} sentences, {r.tokens:,} tokens, "
                            f"{r.tokens_per_second:,.0f} tokens/s")
        for column in ("type", "precision", "recall", "f1", "support"):
            table.add_column(column, justify="left" if column == "type" else "right")
        for row in r.rows:
            table.add_row(*(f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c])
                            for c in ("type", "precision", "recall", "f1", "support")))
        out.print(table)
    out.print(f"model loaded in {load_seconds:.2f} s")


@geo_app.command("build")
def geo_build(
    shared: Annotated[Path, typer.Option("--shared", help="The shared folder holding data/gazetteer.")] = Path("../shared"),
    out_path: Annotated[Path | None, typer.Option("--out", help="Index file. Default: the package's geo/data/places.tsv.gz.")] = None,
) -> None:
    """Build the compact place index (GeoNames CC BY 4.0, Who's On First, OCHA; see README credits)."""
    from marsad.geo.build import DEFAULT_OUT, build_index

    target = out_path or DEFAULT_OUT
    started = time.perf_counter()
    try:
        rows = build_index(shared, target)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    out.print(f"{rows:,} places → {target} ({target.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
