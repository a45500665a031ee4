"""``marsad export stix`` and ``marsad import stix``: STIX 2.1 bundles in and out of a store.

Registered on the main app by :func:`register` (one line in cli.py), so this module owns its
commands and other features can add their own ``export …``/``import …`` subcommands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from marsad.cli_common import DbOption, open_store as _open_store

err = Console(stderr=True, highlight=False, soft_wrap=True)

export_app = typer.Typer(help="Export what the store holds (STIX 2.1).", no_args_is_help=True)
import_app = typer.Typer(help="Import bundles into the store (STIX 2.1).", no_args_is_help=True)



@export_app.command("stix")
def export_stix(
    db: DbOption = None,
    out: Annotated[str, typer.Option("--out", "-o", help="Bundle file to write, or - for standard output.")] = "-",
    since: Annotated[Optional[str], typer.Option("--since", help="Only documents ingested on or after this date (YYYY-MM-DD) or time (ISO 8601).")] = None,
    indent: Annotated[Optional[int], typer.Option("--indent", help="Pretty-print with this indent (default: compact).")] = None,
    for_org: Annotated[Optional[str], typer.Option("--for-org", help="Only what this organisation may see (a bundle to hand to a partner).")] = None,
) -> None:
    """Write a STIX 2.1 bundle of the store: reports, organisations, persons, places, armed
    groups, claims, events and quotes, each with its TLP 2.0 marking (docs/stix-taxii.md)."""
    from marsad.share.stix import export_bundle

    if since is not None:
        try:
            from marsad.share.stix_export import parse_since

            parse_since(since)
        except ValueError:
            raise typer.BadParameter(f"--since must be a date (YYYY-MM-DD) or an ISO 8601 time, got {since!r}") from None
    with _open_store(db) as store:
        viewer = None
        if for_org is not None:
            from marsad.share.errors import ShareError
            from marsad.share.orgs import viewer_for

            try:
                viewer = viewer_for(store, for_org)
            except ShareError as exc:
                raise typer.BadParameter(f"--for-org: {exc}") from None
        bundle = export_bundle(store, viewer, since=since)
    text = json.dumps(bundle, ensure_ascii=False, indent=indent) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            err.print(f"[red]error:[/] cannot write {out}: {exc.strerror or exc}")
            raise typer.Exit(2) from None
    reports = sum(o["type"] == "report" for o in bundle["objects"])
    err.print(f"[bold]{reports}[/] reports, [bold]{len(bundle['objects'])}[/] objects → {out if out != '-' else 'stdout'}")


@import_app.command("stix")
def import_stix(
    file: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle (JSON), or - for standard input.")],
    db: DbOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Owner organisation of the imported documents (default: the bundle's creator).")] = None,
) -> None:
    """Import a STIX 2.1 bundle: Marsad's own bundles come back with every extracted fact;
    reports from other tools are stored without facts. All or nothing: an invalid bundle
    stores nothing, and the error names the object and the reason."""
    from marsad.share.stix import StixImportError, import_bundle
    from marsad.store import StoreError

    name = "stdin" if str(file) == "-" else str(file)
    try:
        raw = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/] cannot read {name}: {getattr(exc, 'strerror', None) or exc}")
        raise typer.Exit(2) from None
    try:
        bundle = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/] {name} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        raise typer.Exit(1) from None
    with _open_store(db) as store:
        try:
            report = import_bundle(store, bundle, org=org)
        except StixImportError as exc:
            err.print(f"[red]error:[/] {name}: {exc}; nothing imported")
            raise typer.Exit(1) from None
        except StoreError as exc:
            err.print(f"[red]error:[/] {name}: {exc}; nothing imported")
            raise typer.Exit(1) from None
    err.print(f"{name}: {report.summary()} → {store.url}")


def _group(app: typer.Typer, name: str) -> typer.Typer | None:
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    return None


def register(app: typer.Typer) -> None:
    """Add ``export stix`` and ``import stix`` to ``app`` (joining existing export/import
    groups if another feature registered them first)."""
    for name, sub, command in (("export", export_app, export_stix), ("import", import_app, import_stix)):
        existing = _group(app, name)
        if existing is None:
            app.add_typer(sub, name=name)
        else:
            existing.command("stix", help=command.__doc__)(command)
