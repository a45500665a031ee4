"""What every ``marsad`` command module shares: the --db and --json options, opening the
store with a clear error, and printing JSON."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Store: a SQLite file path or a database URL. Default: the per-user data path."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_store(db: str | None):  # noqa: ANN201 - a Store, imported lazily (fast --help)
    from marsad.store import Store, StoreError

    try:
        return Store.open(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] cannot open store {db or '(default)'}: {exc}")
        raise typer.Exit(2) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=1) + "\n")
