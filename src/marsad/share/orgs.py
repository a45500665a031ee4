"""Organisations, sharing groups and explicit document shares.

Names are the keys users type (``--org ACME --share-with PARTNERS``), so organisation and
group names share one namespace: ``--share-with X`` is never ambiguous.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from marsad.store import Store
from marsad.store.schema import document_shares, documents, group_members, organisations, sharing_groups

from .errors import ShareError
from .tlp import TLP
from .viewer import Viewer


@dataclass(frozen=True, slots=True)
class Organisation:
    id: int
    name: str
    note: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SharingGroup:
    id: int
    name: str
    orgs: tuple[str, ...]
    note: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ShareTarget:
    kind: str  # org | group
    name: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _clean_name(name: str, what: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ShareError(f"{what} name is empty")
    if "," in name:
        raise ShareError(f"{what} name {name!r} contains a comma (commas separate names in --share-with/--orgs)")
    if len(name) > 200:
        raise ShareError(f"{what} name is longer than 200 characters")
    return name


def split_names(value: str | Sequence[str] | None) -> list[str]:
    """'A, B,GROUP' or ['A', 'B'] → ['A', 'B', 'GROUP'] (order kept, no repeats, no blanks)."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


# ---------------------------------------------------------------------------- organisations

def org_id(conn: Connection, name: str) -> int | None:
    return conn.execute(select(organisations.c.id).where(organisations.c.name == name)).scalar()


def _group_id(conn: Connection, name: str) -> int | None:
    return conn.execute(select(sharing_groups.c.id).where(sharing_groups.c.name == name)).scalar()


def add_org(store: Store, name: str, note: str | None = None) -> Organisation:
    name = _clean_name(name, "organisation")
    with store._write() as conn:  # noqa: SLF001 - the store's write transaction
        if org_id(conn, name) is not None:
            raise ShareError(f"organisation {name!r} already exists")
        if _group_id(conn, name) is not None:
            raise ShareError(f"{name!r} is already a sharing group's name; organisations and groups need distinct names")
        now = _now()
        new_id = conn.execute(organisations.insert().values(name=name, note=note, created_at=now)
                              .returning(organisations.c.id)).scalar_one()
    return Organisation(new_id, name, note, now)


def list_orgs(store: Store) -> list[Organisation]:
    with store._read() as conn:  # noqa: SLF001
        rows = conn.execute(select(organisations).order_by(organisations.c.name))
        return [Organisation(r.id, r.name, r.note, r.created_at) for r in rows]


def has_orgs(store: Store) -> bool:
    """True once any organisation exists: from then on the API requires a token."""
    with store._read() as conn:  # noqa: SLF001
        return conn.execute(select(organisations.c.id).limit(1)).first() is not None


def require_org(conn: Connection, name: str) -> int:
    found = org_id(conn, name)
    if found is None:
        raise ShareError(f"unknown organisation {name!r}: add it first with `marsad org add {name}`")
    return found


def check_org(store: Store, name: str) -> None:
    with store._read() as conn:  # noqa: SLF001
        require_org(conn, name)


def groups_of(conn: Connection, org: str) -> frozenset[str]:
    stmt = (select(sharing_groups.c.name)
            .join(group_members, group_members.c.group_id == sharing_groups.c.id)
            .join(organisations, organisations.c.id == group_members.c.org_id)
            .where(organisations.c.name == org))
    return frozenset(conn.execute(stmt).scalars())


def viewer_for(store: Store, org: str, scopes: Iterable[str] = ("read",)) -> Viewer:
    """The Viewer of an organisation (its current groups), e.g. to see the store as it does."""
    with store._read() as conn:  # noqa: SLF001
        require_org(conn, org)
        return Viewer(org=org, scopes=frozenset(scopes), groups=groups_of(conn, org))


# ---------------------------------------------------------------------------- groups

def add_group(store: Store, name: str, orgs: Sequence[str], note: str | None = None) -> SharingGroup:
    """A new sharing group, or more members for an existing one (members are only added)."""
    name = _clean_name(name, "group")
    members = split_names(orgs)
    with store._write() as conn:  # noqa: SLF001
        if org_id(conn, name) is not None:
            raise ShareError(f"{name!r} is already an organisation's name; groups and organisations need distinct names")
        missing = [m for m in members if org_id(conn, m) is None]
        if missing:
            raise ShareError(f"unknown organisation(s) {', '.join(map(repr, missing))}: add them first with `marsad org add`")
        gid = _group_id(conn, name)
        now = _now()
        if gid is None:
            gid = conn.execute(sharing_groups.insert().values(name=name, note=note, created_at=now)
                               .returning(sharing_groups.c.id)).scalar_one()
        have = set(conn.execute(select(group_members.c.org_id).where(group_members.c.group_id == gid)).scalars())
        for member in members:
            oid = org_id(conn, member)
            if oid not in have:
                conn.execute(group_members.insert().values(group_id=gid, org_id=oid))
                have.add(oid)
    return next(g for g in list_groups(store) if g.name == name)


def list_groups(store: Store) -> list[SharingGroup]:
    with store._read() as conn:  # noqa: SLF001
        groups = list(conn.execute(select(sharing_groups).order_by(sharing_groups.c.name)))
        members = conn.execute(
            select(group_members.c.group_id, organisations.c.name)
            .join(organisations, organisations.c.id == group_members.c.org_id)
            .order_by(organisations.c.name))
        by_group: dict[int, list[str]] = {}
        for gid, org in members:
            by_group.setdefault(gid, []).append(org)
        return [SharingGroup(g.id, g.name, tuple(by_group.get(g.id, ())), g.note, g.created_at) for g in groups]


# ---------------------------------------------------------------------------- shares

def resolve_targets(conn: Connection, names: Sequence[str], tlp: str | None = None) -> list[ShareTarget]:
    """Organisation or group names → targets; ShareError names every unknown one.

    With ``tlp`` AMBER+STRICT or RED, groups are refused: those levels go to named
    organisations only (a group's membership may grow after the document was shared).
    """
    targets: list[ShareTarget] = []
    unknown: list[str] = []
    for name in split_names(names):
        if org_id(conn, name) is not None:
            targets.append(ShareTarget("org", name))
        elif _group_id(conn, name) is not None:
            targets.append(ShareTarget("group", name))
        else:
            unknown.append(name)
    if unknown:
        raise ShareError(f"--share-with: unknown organisation or group {', '.join(map(repr, unknown))} "
                         "(see `marsad org list`; add one with `marsad org add` or `marsad group add`)")
    if tlp is not None and TLP.parse(tlp) >= TLP.AMBER_STRICT:
        groups = [t.name for t in targets if t.kind == "group"]
        if groups:
            raise ShareError(f"--share-with: TLP:{TLP.parse(tlp)} documents are shared with named organisations only, "
                             f"not with sharing groups ({', '.join(groups)}); name the organisations instead")
    return targets


def check_targets(store: Store, names: Sequence[str], tlp: str | None = None) -> list[ShareTarget]:
    with store._read() as conn:  # noqa: SLF001
        return resolve_targets(conn, names, tlp)


def share_documents(store: Store, doc_ids: Iterable[str], names: Sequence[str], *,
                    owner: str | None = None) -> int:
    """Share documents with organisations/groups; returns how many new shares were written.

    Only documents whose owner is ``owner`` are touched (None: ownerless documents), so a
    caller can never widen the sharing of another organisation's document.  Each document's
    own TLP decides whether groups are allowed (see :func:`resolve_targets`).
    """
    ids = list(dict.fromkeys(doc_ids))
    if not ids or not split_names(names):
        return 0
    written = 0
    with store._write() as conn:  # noqa: SLF001
        now = _now()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            owner_cond = documents.c.owner.is_(None) if owner is None else documents.c.owner == owner
            rows = conn.execute(select(documents.c.id, documents.c.tlp)
                                .where(documents.c.id.in_(chunk), owner_cond)).all()
            for doc_id, tlp in rows:
                targets = resolve_targets(conn, names, tlp)
                have = set(conn.execute(select(document_shares.c.kind, document_shares.c.target)
                                        .where(document_shares.c.doc_id == doc_id)).all())
                new = [{"doc_id": doc_id, "kind": t.kind, "target": t.name, "created_at": now}
                       for t in targets if (t.kind, t.name) not in have]
                if new:
                    conn.execute(document_shares.insert(), new)
                    written += len(new)
    return written


def shares_of(store: Store, doc_id: str) -> list[ShareTarget]:
    with store._read() as conn:  # noqa: SLF001
        rows = conn.execute(select(document_shares.c.kind, document_shares.c.target)
                            .where(document_shares.c.doc_id == doc_id)
                            .order_by(document_shares.c.kind, document_shares.c.target))
        return [ShareTarget(k, t) for k, t in rows]
