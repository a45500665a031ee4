"""The ``marsad`` command line: a thin layer over :mod:`marsad.service` and the store."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.cli_common import DbOption, JsonOption, open_store as _open_store, print_json as _print_json
from marsad.cli_models import geo_app, ner_app

app = typer.Typer(
    name="marsad",
    help=(
        "Marsad (مرصد) — an Arabic-first OSINT workbench.\n\n"
        "Typical session:\n\n"
        "  marsad ingest examples/reports --db marsad.db      # read, extract, store\n\n"
        "  marsad search 'الحسكه' --db marsad.db               # Arabic-aware full-text search\n\n"
        "  marsad show DOC_ID --db marsad.db                  # a report with its facts\n\n"
        "  marsad extract --json report.txt                   # facts as JSON, no store\n\n"
        "  marsad eval --gold ../shared/samples/seeds-gold --corpus ../shared/samples/seeds"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
app.add_typer(ner_app, name="ner")
app.add_typer(geo_app, name="geo")
from marsad.cli_stix import register as _register_stix  # noqa: E402 - `export stix`, `import stix`
_register_stix(app)
from marsad.cli_fuse import print_claim_groups, register as _register_fuse  # noqa: E402
from marsad.cli_share import register as _register_share  # noqa: E402 - org, group, token, audit, serve
_register_share(app)
_register_fuse(app)



def _parse_date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{what} must be a date as YYYY-MM-DD, got {value!r}") from None


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively): .txt .md .html .jsonl .xml/.rss/.atom")],
    db: DbOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Owner organisation of the documents (create it with `marsad org add`).")] = None,
    tlp: Annotated[str, typer.Option("--tlp", help="TLP 2.0 marking: clear, green, amber, amber+strict, red.")] = "clear",
    share_with: Annotated[Optional[str], typer.Option("--share-with", help="Organisations or sharing groups (comma-separated) who may also see AMBER+ documents; AMBER+STRICT and RED: organisations only.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Outlet for documents that do not name one.")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date (YYYY-MM-DD) for documents that lack one; relative dates are resolved against it.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Reject files larger than this many bytes.")] = 20 * 1024 * 1024,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Force a text encoding (e.g. cp1256, utf-16-le) instead of detecting it.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read reports, extract their facts and store them. Re-ingesting the same text adds nothing.

    Every rejected file is named on stderr with the reason; good documents in the same run are
    still stored, and the exit code is 1 when anything was rejected.
    """
    from marsad.ingest import IngestError, IngestOptions
    from marsad.service import ingest_paths

    try:
        options = IngestOptions(outlet=outlet, published=_parse_date(published, "--published"),
                                tlp=tlp, owner=org, max_bytes=max_bytes, encoding=encoding)
    except IngestError as exc:
        raise typer.BadParameter(str(exc)) from None
    from marsad.share.errors import ShareError
    from marsad.share.orgs import check_org, check_targets, split_names

    store = _open_store(db)
    targets = split_names(share_with)
    try:  # refuse an unknown owner or share target before reading anything
        if org:
            check_org(store, options.owner)
        check_targets(store, targets, options.tlp)
    except ShareError as exc:
        store.close()
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, disable=quiet, transient=True) as bar:
        task = bar.add_task("", total=None)
        summary = ingest_paths(
            paths, options, store,
            on_total=lambda total: bar.update(task, total=total, visible=total > 1),
            on_file=lambda p: bar.update(task, advance=1, description=p.name[-40:]),
            on_rejection=lambda r: err.print(f"[red]rejected[/] {r}"),
            share_with=targets,
        )
    from marsad.share.audit import record

    record(store, None, "ingest", options.owner, {"via": "cli", "new": len(summary.new),
                                                  "duplicates": len(summary.duplicates), "tlp": options.tlp,
                                                  "share_with": targets})
    store.close()
    for failure in summary.extraction_failures:
        err.print(f"[yellow]warning[/] {failure}")
    err.print(
        f"[bold]{len(summary.new)}[/] new, [bold]{len(summary.duplicates)}[/] duplicate, "
        f"[bold]{len(summary.rejected)}[/] rejected → {store.url}"
    )
    if summary.rejected:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find; Arabic spelling variants and clitics match (الحسكه finds والحسكة).")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="Number of results.")] = 20,
    json_out: JsonOption = False,
) -> None:
    """Full-text search over the stored reports."""
    with _open_store(db) as store:
        hits = store.search(query, limit=limit)
    if json_out:
        _print_json([{"id": h.id, "title": h.title, "source": h.source, "outlet": h.outlet,
                      "published": h.published, "snippet": h.snippet, "score": h.score} for h in hits])
        return
    if not hits:
        out.print("no match")
        return
    table = Table("id", "title", "outlet", "snippet", show_lines=True)
    for h in hits:
        table.add_row(h.id, h.title, h.outlet or "", h.snippet)
    out.print(table)


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="Document id (from search or stats).")], db: DbOption = None,
         json_out: JsonOption = False) -> None:
    """Print a stored report with its entities, claims, dates, events and quotes."""
    from marsad.records import to_contract

    with _open_store(db) as store:
        analysis = store.get_analysis(doc_id)
    if analysis is None:
        err.print(f"[red]error:[/] no document {doc_id!r} in the store")
        raise typer.Exit(2)
    contract = to_contract(analysis)
    if json_out:
        _print_json(contract)
        return
    doc = analysis.doc
    out.rule(f"[bold]{doc.title}")
    out.print(f"id {doc.id} · {doc.outlet or '—'} · {doc.published or '—'} · TLP:{doc.tlp} · {doc.source}")
    out.print(doc.body)
    for section, columns in (
        ("entities", ("text", "type", "canonical", "role")),
        ("quantities", ("text", "value", "qualifier", "what", "where", "source")),
        ("dates", ("text", "normalized")),
        ("events", ("type", "trigger", "actors", "where", "when", "modality")),
        ("quotes", ("speaker", "cue", "text")),
    ):
        rows = contract[section]
        if not rows:
            continue
        table = Table(*columns, title=section)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@app.command()
def stats(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Counts of what the store holds."""
    with _open_store(db) as store:
        counts = store.stats()
    if json_out:
        _print_json(counts)
        return
    table = Table("what", "count")
    for key, value in counts.items():
        table.add_row(key, str(value))
    out.print(table)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Report files or folders.")],
    json_out: Annotated[bool, typer.Option("--json", help="One JSON object per document per line (the output contract).")] = True,
    published: Annotated[Optional[str], typer.Option("--published", help="Reference date for relative dates (YYYY-MM-DD); overrides the documents' own.")] = None,
) -> None:
    """Extract facts from files without a store; prints the contract of DESIGN.md §5 as JSON Lines."""
    from dataclasses import replace

    from marsad.ingest import IngestOptions, Rejection, iter_documents
    from marsad.pipeline import Pipeline
    from marsad.records import to_contract

    reference = _parse_date(published, "--published")
    pipeline = Pipeline()
    rejected = 0
    for item in iter_documents(files, IngestOptions()):
        if isinstance(item, Rejection):
            err.print(f"[red]rejected[/] {item}")
            rejected += 1
            continue
        doc = replace(item, published=reference) if reference else item
        sys.stdout.write(json.dumps(to_contract(pipeline(doc)), ensure_ascii=False) + "\n")
    if rejected:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files (format of shared/samples/seeds-gold).")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of the reports the gold describes.")],
    json_out: JsonOption = False,
) -> None:
    """Score extraction against gold annotations: precision, recall and F1 per field."""
    from marsad.evaluate import evaluate_corpus

    if not gold.is_dir() or not corpus.exists():
        raise typer.BadParameter(f"--gold must be a folder and --corpus must exist (got {gold}, {corpus})")
    report = evaluate_corpus(gold, corpus)
    if json_out:
        _print_json(report.as_dict())
        return
    table = Table("field", "precision", "recall", "F1", "predicted", "gold",
                  title=f"{report.documents} documents scored against {gold}")
    for score in report.fields.values():
        table.add_row(score.name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
                      str(score.predicted), str(score.gold))
    out.print(table)
    for line in report.missing:
        err.print(f"[yellow]no document for gold[/] {line}")
    for line in report.warnings:
        err.print(f"[yellow]warning[/] {line}")


def _listing(kind: str, rows: list[dict[str, Any]], columns: tuple[str, ...], json_out: bool) -> None:
    if json_out:
        _print_json(rows)
        return
    table = Table(*columns, title=f"{len(rows)} {kind}")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    out.print(table)


@app.command()
def claims(
    db: DbOption = None,
    category: Annotated[Optional[str], typer.Option(help="Only this category (e.g. detainees, 'ISIS members').")] = None,
    place: Annotated[Optional[str], typer.Option(help="Only claims about this place (Arabic or English).")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only claims from this source.")] = None,
    limit: int = 100,
    json_out: JsonOption = False,
    contradictions: Annotated[bool, typer.Option("--contradictions", help="Claim groups whose sources disagree, every value with its qualifier, source and report.")] = False,
    groups: Annotated[bool, typer.Option("--groups", help="Every group of comparable claims (corroborated, contradicted) instead of single claims.")] = False,
) -> None:
    """List quantity claims with their source, place and time; --contradictions / --groups compare them across sources."""
    if contradictions or groups:
        with _open_store(db) as store:
            found = store.claim_groups(contradictions=contradictions, category=category, place=place, limit=limit)
        print_claim_groups(found, json_out)
        return
    with _open_store(db) as store:
        rows = store.list_quantities(category=category, place=place, since=_parse_date(since, "--since"),
                                     until=_parse_date(until, "--until"), speaker=speaker, limit=limit)
    _listing("claims", rows, ("text", "value", "qualifier", "category", "where", "source", "outlet"), json_out)


@app.command()
def events(
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only this event type (e.g. RELEASE, ATTACK).")] = None,
    place: Annotated[Optional[str], typer.Option(help="Only events at this place.")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events with this actor.")] = None,
    limit: int = 100,
    json_out: JsonOption = False,
) -> None:
    """List extracted events."""
    with _open_store(db) as store:
        rows = store.list_events(type=type.upper() if type else None, place=place, since=_parse_date(since, "--since"),
                                 until=_parse_date(until, "--until"), actor=actor, limit=limit)
    _listing("events", rows, ("type", "trigger", "actors", "where", "when", "modality", "outlet"), json_out)


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only quotes by this speaker.")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    limit: int = 100,
    json_out: JsonOption = False,
) -> None:
    """List quotes and reported speech with their speakers."""
    with _open_store(db) as store:
        rows = store.list_quotes(speaker=speaker, since=_parse_date(since, "--since"),
                                 until=_parse_date(until, "--until"), limit=limit)
    _listing("quotes", rows, ("speaker", "cue", "text", "channel", "doc_title"), json_out)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
