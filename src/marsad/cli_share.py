"""``marsad org|group|token|audit|serve``: sharing between partners on one Marsad server.

Thin over :mod:`marsad.share` and :mod:`marsad.api`; registered on the main app by
:func:`register`.  Changes made here are written to the audit log as the local caller.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli_common import DbOption, JsonOption, open_store as _open, print_json as _print_json

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


org_app = typer.Typer(
    help=(
        "Organisations that own and share documents on this store.\n\n"
        "  marsad org add ACME --db marsad.db        # an organisation (owner of documents, holder of tokens)\n\n"
        "  marsad org list --db marsad.db\n\n"
        "Once one organisation exists, `marsad serve` requires a token for every request."
    ),
    no_args_is_help=True,
)
group_app = typer.Typer(
    help=(
        "Sharing groups: named sets of organisations a TLP:AMBER document can be shared with.\n\n"
        "  marsad group add PARTNERS --orgs ACME,BETA --db marsad.db\n\n"
        "  marsad ingest report.txt --org ACME --tlp amber --share-with PARTNERS"
    ),
    no_args_is_help=True,
)
token_app = typer.Typer(
    help=(
        "API tokens for `marsad serve` (sent as `Authorization: Bearer TOKEN`).\n\n"
        "  marsad token create --org ACME --scope read     # printed ONCE; only its hash is stored\n\n"
        "  marsad token list\n\n"
        "  marsad token revoke 3\n\n"
        "Scopes are cumulative: read (search and read), write (+ ingest), admin (+ administration)."
    ),
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/] {message}")
    return typer.Exit(2)


def _audit(store, action: str, target: str, detail: dict | None = None) -> None:  # noqa: ANN001
    from marsad.share import audit

    audit.record(store, None, action, target, {"via": "cli", **(detail or {})})


# ---------------------------------------------------------------------------- org

@org_app.command("add")
def org_add(
    name: Annotated[str, typer.Argument(help="The organisation's name, as used in --org and --share-with.")],
    db: DbOption = None,
    note: Annotated[Optional[str], typer.Option(help="A free note (who they are, a contact).")] = None,
) -> None:
    """Add an organisation. Its name must not be taken by another organisation or group."""
    from marsad.share.errors import ShareError
    from marsad.share.orgs import add_org

    with _open(db) as store:
        try:
            org = add_org(store, name, note)
        except ShareError as exc:
            raise _fail(str(exc)) from None
        _audit(store, "change", f"org:{org.name}", {"op": "org add"})
    err.print(f"organisation [bold]{org.name}[/] added; create a token with "
              f"`marsad token create --org {org.name}`")


@org_app.command("list")
def org_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List organisations with their groups and active tokens."""
    from marsad.share.orgs import list_groups, list_orgs
    from marsad.share.tokens import list_tokens

    with _open(db) as store:
        orgs, groups, tokens = list_orgs(store), list_groups(store), list_tokens(store)
    rows = [{"name": o.name, "groups": [g.name for g in groups if o.name in g.orgs],
             "active_tokens": sum(1 for t in tokens if t.org == o.name and t.active),
             "note": o.note, "created_at": o.created_at} for o in orgs]
    if json_out:
        _print_json(rows)
        return
    if not rows:
        out.print("no organisations (single-user mode: `marsad serve` needs no token on loopback)")
        return
    table = Table("name", "groups", "active tokens", "note", title=f"{len(rows)} organisations")
    for r in rows:
        table.add_row(r["name"], ", ".join(r["groups"]), str(r["active_tokens"]), r["note"] or "")
    out.print(table)


# ---------------------------------------------------------------------------- group

@group_app.command("add")
def group_add(
    name: Annotated[str, typer.Argument(help="The group's name, usable in --share-with.")],
    orgs: Annotated[str, typer.Option("--orgs", help="Member organisations, comma-separated (they must exist).")],
    db: DbOption = None,
    note: Annotated[Optional[str], typer.Option(help="A free note.")] = None,
) -> None:
    """Create a sharing group, or add members to an existing one.

    Documents marked TLP:AMBER and shared with the group are visible to every member,
    including organisations added later; AMBER+STRICT and RED are never shared with groups.
    """
    from marsad.share.errors import ShareError
    from marsad.share.orgs import add_group

    with _open(db) as store:
        try:
            group = add_group(store, name, orgs, note)
        except ShareError as exc:
            raise _fail(str(exc)) from None
        _audit(store, "change", f"group:{group.name}", {"op": "group add", "orgs": list(group.orgs)})
    err.print(f"group [bold]{group.name}[/]: {', '.join(group.orgs) or '(no members)'}")


@group_app.command("list")
def group_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List sharing groups and their members."""
    from marsad.share.orgs import list_groups

    with _open(db) as store:
        groups = list_groups(store)
    if json_out:
        _print_json([{"name": g.name, "orgs": list(g.orgs), "note": g.note} for g in groups])
        return
    table = Table("name", "members", "note", title=f"{len(groups)} sharing groups")
    for g in groups:
        table.add_row(g.name, ", ".join(g.orgs), g.note or "")
    out.print(table)


# ---------------------------------------------------------------------------- token

@token_app.command("create")
def token_create(
    org: Annotated[str, typer.Option("--org", help="The organisation the token acts for (it must exist).")],
    scope: Annotated[str, typer.Option("--scope", help="read (search, read), write (+ ingest) or admin (+ administration).")] = "read",
    user: Annotated[Optional[str], typer.Option("--user", help="Who holds the token (a label shown in lists and the audit).")] = None,
    db: DbOption = None,
) -> None:
    """Create an API token and print it ONCE on stdout; only its SHA-256 hash is stored."""
    from marsad.share.errors import ShareError
    from marsad.share.tokens import create_token

    with _open(db) as store:
        try:
            new = create_token(store, org, scope, user)
        except ShareError as exc:
            raise _fail(str(exc)) from None
        _audit(store, "change", f"token:{new.info.id}", {"op": "token create", "org": org, "scope": new.info.scope})
    err.print(f"token {new.info.id} for [bold]{org}[/] (scope {new.info.scope}); "
              "copy it now, it cannot be shown again:")
    sys.stdout.write(new.secret + "\n")


@token_app.command("list")
def token_list(
    db: DbOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Only this organisation's tokens.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List tokens (id, organisation, scope, first characters, last use); never the secrets."""
    from marsad.share.tokens import list_tokens

    with _open(db) as store:
        tokens = list_tokens(store, org)
    rows = [{"id": t.id, "org": t.org, "user": t.user, "scope": t.scope, "prefix": t.prefix + "…",
             "created_at": t.created_at, "last_used_at": t.last_used_at,
             "revoked_at": t.revoked_at, "active": t.active} for t in tokens]
    if json_out:
        _print_json(rows)
        return
    table = Table("id", "org", "user", "scope", "starts with", "last used", "status", title=f"{len(rows)} tokens")
    for r in rows:
        table.add_row(str(r["id"]), r["org"], r["user"] or "", r["scope"], r["prefix"],
                      str(r["last_used_at"] or "never")[:19], "active" if r["active"] else f"revoked {str(r['revoked_at'])[:19]}")
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `marsad token list`).")],
    db: DbOption = None,
) -> None:
    """Revoke a token: from now on requests with it get 401."""
    from marsad.share.errors import ShareError
    from marsad.share.tokens import revoke_token

    with _open(db) as store:
        try:
            info = revoke_token(store, token_id)
        except ShareError as exc:
            raise _fail(str(exc)) from None
        _audit(store, "change", f"token:{token_id}", {"op": "token revoke", "org": info.org})
    err.print(f"token {info.id} of {info.org} revoked")


# ---------------------------------------------------------------------------- audit, serve

def audit(
    db: DbOption = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Only this organisation's actions.")] = None,
    action: Annotated[Optional[str], typer.Option("--action", help="Only read, search, export, ingest, change or login.")] = None,
    limit: Annotated[int, typer.Option(help="Number of entries, newest first.")] = 50,
    json_out: JsonOption = False,
) -> None:
    """Show the audit log: who (organisation, token) read, searched, exported, ingested or changed what."""
    from marsad.share.audit import ACTIONS, entries

    if action is not None and action not in ACTIONS:
        raise typer.BadParameter(f"--action must be one of {', '.join(ACTIONS)}, got {action!r}")
    with _open(db) as store:
        rows = entries(store, org=org, action=action, limit=limit)
    if json_out:
        _print_json([r.as_dict() for r in rows])
        return
    table = Table("at (UTC)", "org", "token", "action", "target", "detail", title=f"{len(rows)} audit entries")
    for r in rows:
        table.add_row(r.at.isoformat(timespec="seconds"), r.org or "(local)", str(r.token_id or ""), r.action,
                      r.target or "", json.dumps(r.detail, ensure_ascii=False) if r.detail else "")
    out.print(table)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on. 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (uvicorn).")] = 1,
) -> None:
    """Run the REST API (OpenAPI at /openapi.json, docs at /docs) with uvicorn.

    While the store has no organisation, requests from loopback need no token; once one
    exists, every request needs `Authorization: Bearer TOKEN` (see `marsad token create`).
    """
    import os

    import uvicorn

    from marsad.share.orgs import has_orgs

    with _open(db) as store:
        url = store.engine.url.render_as_string(hide_password=False)
        open_mode = not has_orgs(store)
    if open_mode and host not in ("127.0.0.1", "::1", "localhost"):
        err.print(f"[yellow]warning[/] no organisation exists yet: requests from {host} other than loopback "
                  "still need a token, so add an organisation and a token to use the API remotely")
    err.print(f"Marsad workspace on http://{host}:{port}/ and its API (OpenAPI at /openapi.json); store {store.url}")
    os.environ["MARSAD_DB"] = url  # read by marsad.api.app:app_from_env in each worker
    uvicorn.run("marsad.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="info")


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")
    app.add_typer(group_app, name="group")
    app.add_typer(token_app, name="token")
    app.command("audit")(audit)
    app.command("serve")(serve)
