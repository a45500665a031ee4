"""Fusion commands: ``marsad fuse``, ``entities``, ``timeline``, ``graph``, ``sources`` and the
claim groups behind ``marsad claims --contradictions``.  Thin over :mod:`marsad.store.fusion`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from marsad.cli_common import DbOption, JsonOption, open_store as _store, print_json as _json

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


entities_app = typer.Typer(
    help=(
        "Fused entities: one per real actor, with every alias, mention count and English name.\n\n"
        "  marsad entities --db DB                     # the most mentioned first\n\n"
        "  marsad entities --type PER --query الشاطري  # filter by type and name\n\n"
        "  marsad entities show ID                     # members, aliases, roles, and WHY they were merged\n\n"
        "  marsad entities split ID                    # undo a merge: detach this member\n\n"
        "  marsad entities merge ID1 ID2               # an analyst's merge (also lifts a split)\n\n"
        "  marsad entities unlink LINK_ID              # switch one piece of evidence off"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)


def _resolve(store, entity: str) -> str:  # noqa: ANN001
    """An entity given by id or by name (Arabic or English)."""
    fused = store.resolve_entity(entity)
    if fused:
        return fused
    found = store.fused_entities(query=entity, limit=5)
    if not found:
        err.print(f"[red]error:[/] no entity with id or name {entity!r} (see `marsad entities`)")
        raise typer.Exit(1)
    return found[0]["id"]


def fuse_command(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute all fusion from the stored records "
                                          "(after a model change); analysts' merges and splits are kept.")] = False,
    rescan_titles: Annotated[bool, typer.Option("--rescan-titles", help="With --rebuild: look for bare titles "
                                                "again (after a change to the title finder) instead of reusing "
                                                "the stored ones.")] = False,
) -> None:
    """Fuse reports across the store: entity links, bare titles, claim groups, merged events.

    Ingest does this incrementally for each new report; run it by hand after an upgrade or,
    with --rebuild, after re-training a model."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with _store(db) as store:
        total = store.stats()["documents"] if rebuild else store.unfused_count()
        # two passes over the documents: what is derived once per report, then the fusion itself
        with Progress(TextColumn("fusing (2 passes)"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err, transient=True) as bar:
            task = bar.add_task("fuse", total=2 * total)
            report = store.fuse(rebuild=rebuild, rescan_titles=rescan_titles,
                                progress=lambda n: bar.advance(task, n))
    out.print(f"{report.documents} documents fused: {report.links} entity links "
              f"({', '.join(f'{k} {v}' for k, v in sorted(report.by_rule.items())) or 'none new'}), "
              f"{report.role_mentions} titles resolved to their holders, {report.claims_grouped} claims grouped, "
              f"{report.events_fused} events merged into an earlier report's event")


@entities_app.callback()
def entities_list(
    ctx: typer.Context,
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PER, ORG or LOC.")] = None,  # noqa: A002
    query: Annotated[Optional[str], typer.Option("--query", "-q", help="Name contains (Arabic or English).")] = None,
    limit: int = 50,
    offset: int = 0,
    json_out: JsonOption = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    with _store(db) as store:
        rows = store.fused_entities(type=type, query=query, limit=limit, offset=offset)
    if json_out:
        _json(rows)
        return
    table = Table("id", "type", "name", "English", "mentions", "reports", "aliases", title=f"{len(rows)} entities")
    for r in rows:
        table.add_row(r["id"], r["type"], r["name"], r["canonical"] or "", str(r["mention_count"]),
                      str(r["document_count"]), "، ".join(r["aliases"][:6]))
    out.print(table)


def _db(ctx: typer.Context, db: str | None) -> str | None:
    return db or (ctx.obj or {}).get("db")


@entities_app.command("show")
def entities_show(ctx: typer.Context, entity: Annotated[str, typer.Argument(help="Entity id or name.")],
                  db: DbOption = None, json_out: JsonOption = False) -> None:
    """One fused entity: members, aliases, roles over time, and the evidence of every merge."""
    with _store(_db(ctx, db)) as store:
        item = store.fused_entity(_resolve(store, entity))
    if json_out:
        _json(item)
        return
    out.print(f"[bold]{item['name']}[/] — {item['canonical'] or ''} ({item['type']}), "
              f"{item['mention_count']} mentions in {item['document_count']} reports; id {item['id']}")
    out.print("aliases: " + "، ".join(item["aliases"]))
    for role in item["roles"]:
        out.print(f"role: {role['role']} ({role['first']} – {role['last']}, {len(role['documents'])} reports)")
    table = Table("link", "rule", "members", "evidence", "origin", "active", title="why these are one entity")
    for link in item["links"]:
        table.add_row(str(link["id"]), link["rule"], f"{link['a_name']} ↔ {link['b_name']}", link["evidence"],
                      link["origin"], "yes" if link["active"] else "no")
    out.print(table)
    for m in item["mentions"]:
        if m["via"] == "title":
            out.print(f"title reference «{m['text']}» in {m['doc_id']}: {m['evidence']}")


@entities_app.command("split")
def entities_split(ctx: typer.Context, entity: Annotated[str, typer.Argument(help="The member entity id to detach.")],
                   db: DbOption = None, note: Annotated[Optional[str], typer.Option(help="Why (kept with the split).")] = None) -> None:
    """Detach one member from its fused entity; automatic fusion will not join them again."""
    with _store(_db(ctx, db)) as store:
        try:
            others = store.split_entity(entity, note)
        except ValueError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    out.print(f"{entity} detached from {len(others)} member(s): {', '.join(others) or '-'}")


@entities_app.command("merge")
def entities_merge(ctx: typer.Context, a: Annotated[str, typer.Argument(help="Entity id.")],
                   b: Annotated[str, typer.Argument(help="Entity id.")], db: DbOption = None,
                   note: Annotated[Optional[str], typer.Option(help="Why (shown as the evidence).")] = None) -> None:
    """Merge two entities by hand (undo with `marsad entities unlink LINK_ID`)."""
    with _store(_db(ctx, db)) as store:
        try:
            link = store.merge_entities(a, b, note)
        except ValueError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    out.print(f"merged {a} and {b} (link {link})")


@entities_app.command("unlink")
def entities_unlink(ctx: typer.Context, link: Annotated[int, typer.Argument(help="Link id from `entities show`.")],
                    db: DbOption = None) -> None:
    """Switch one piece of merge evidence off (it stays listed, inactive)."""
    with _store(_db(ctx, db)) as store:
        try:
            store.unlink_entities(link)
        except ValueError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    out.print(f"link {link} switched off")


def print_claim_groups(groups: list[dict], json_out: bool) -> None:
    if json_out:
        _json(groups)
        return
    if not groups:
        out.print("no claim groups")
        return
    for g in groups:
        colour = {"contradicted": "red", "corroborated": "green"}.get(g["status"], "white")
        # an updated group's blocs are states months apart (a changing population), not a dispute
        updated = " [yellow](updated: figures differ across months)[/]" if g.get("updated") else ""
        out.print(f"[{colour}]{g['status']}[/]{updated} {g['category']} ({g['kind']}) {g['where'] or ''} — "
                  f"{g['sources']} sources, {g['documents']} reports; group {g['id']}")
        table = Table("value", "qualifier", "text", "source", "grade", "outlet", "published", "document", "bloc")
        for v in g["values"]:
            table.add_row(f"{v['value']:g}", v["qualifier"], v["text"], v["source"] or "", v["grade"],
                          v["outlet"] or "", str(v["published"] or ""), v["doc_id"], str(v["bloc"]))
        out.print(table)


def timeline_command(entity: Annotated[str, typer.Argument(help="Entity id or name (Arabic or English).")],
                     db: DbOption = None, json_out: JsonOption = False) -> None:
    """An entity's events, claims and quotes in date order, each with its reports."""
    with _store(db) as store:
        items = store.timeline(_resolve(store, entity))
    if json_out:
        _json(items)
        return
    table = Table("date", "kind", "what", "reports", title=f"{len(items)} items")
    for i in items:
        what = {"event": lambda: f"{i['type']} {i.get('where') or ''} {', '.join(i['actors'])} → {', '.join(i['targets'])}",
                "claim": lambda: f"{i['text']} ({i['category']}, {i['source'] or '?'})",
                "quote": lambda: f"{i['speaker']}: {i['text'][:90]}"}[i["kind"]]()
        table.add_row(i["date"] or "", i["kind"], what, ", ".join(i["documents"]))
    out.print(table)


def graph_command(entity: Annotated[str, typer.Argument(help="Entity id or name.")], db: DbOption = None,
                  depth: Annotated[int, typer.Option(help="1: neighbours; 2: their neighbours too.")] = 1,
                  to: Annotated[Optional[str], typer.Option("--to", help="Print the shortest co-occurrence path to this entity instead.")] = None,
                  json_out: JsonOption = False) -> None:
    """An entity's neighbourhood: co-occurring entities and its events with their places."""
    with _store(db) as store:
        start = _resolve(store, entity)
        if to:
            chain = store.graph_path(start, _resolve(store, to))
            if json_out:
                _json(chain)
            else:
                out.print(" → ".join(f"{n['name']} ({n['canonical'] or n['type']})" for n in chain) if chain else "no path")
            return
        g = store.graph(start, depth=depth)
    if json_out:
        _json(g)
        return
    labels = {n["id"]: n["label"] for n in g["nodes"]}
    table = Table("from", "edge", "to", "weight", title=f"{len(g['nodes'])} nodes, {len(g['edges'])} edges")
    for e in sorted(g["edges"], key=lambda e: -e["weight"]):
        table.add_row(labels[e["source"]], e["kind"], labels[e["target"]], str(e["weight"]))
    out.print(table)


sources_app = typer.Typer(help=(
    "Source reliability (admiralty scale A reliable … E unreliable, F cannot be judged), used to "
    "weigh agreeing and disagreeing figures.\n\n"
    "  marsad sources grade 'وكالة الرافدين للأنباء' B\n\n  marsad sources list"), no_args_is_help=True)


@sources_app.command("grade")
def sources_grade(name: Annotated[str, typer.Argument(help="An outlet or a source as listed by `marsad claims`.")],
                  grade: Annotated[str, typer.Argument(help="A, B, C, D, E or F.")], db: DbOption = None,
                  note: Annotated[Optional[str], typer.Option(help="Why.")] = None) -> None:
    """Set a source's reliability grade."""
    with _store(db) as store:
        try:
            store.set_source_grade(name, grade, note)
        except ValueError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    out.print(f"{name}: {grade.upper()}")


@sources_app.command("list")
def sources_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Grades set so far."""
    with _store(db) as store:
        rows = store.source_grades()
    if json_out:
        _json(rows)
        return
    table = Table("source", "grade", "note", "set")
    for r in rows:
        table.add_row(r["name"], r["grade"], r["note"] or "", str(r["updated_at"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("fuse")(fuse_command)
    app.add_typer(entities_app, name="entities")
    app.command("timeline")(timeline_command)
    app.command("graph")(graph_command)
    app.add_typer(sources_app, name="sources")
