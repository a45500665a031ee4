"""Arabic-aware full-text search.

Index side (:func:`index_text`): every token of title + body becomes its key
(``match_key`` + ASCII digits) followed by its clitic-stripped variants (proclitics
و ف, then ب ل ك, the article ال and fused لل; stems keep at least two letters).  These go
into the ``variants`` column.  The ``stems`` column holds one maximally stripped stem per
token, position for position, so that quoted phrases can be matched despite clitics.

Query side (:func:`parse_query`): query tokens are keyed the same way but NOT stripped,
except that a leading و/ف also tries the form without it.  So ``الحسكه`` matches the
variant ``الحسكه`` indexed from ``والحسكة`` and ``بالحسكة``, and ``حسكة`` matches all of
them.  Every term is quoted for FTS5, so user input never reaches FTS5 syntax.

Snippets are cut from the ORIGINAL body in Python, only for the returned page.

SQLite uses the FTS5 table ``search_fts`` ranked with bm25.  PostgreSQL: INTERIM
fallback — LIKE over ``search_text`` until PostgreSQL full text lands (later issue).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from sqlalchemy import Connection, and_, bindparam, func, literal, literal_column, or_, select, table, column
from sqlalchemy.sql.elements import ColumnElement

from marsad.arabic.normalise import match_key

from . import queries
from .schema import FTS_TABLE, documents, search_text

MIN_STEM = 2
CONJ = "وف"
PREP = "بلك"
ARTICLE = "ال"

_TOKEN = regex.compile(r"[\p{L}\p{M}\u0640\u200c\u200d]+|\p{Nd}+")
_MARKS = regex.compile(r"\p{M}")
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")


# ---------------------------------------------------------------------------- keys

def _digits(token: str) -> str:
    return "".join(str(unicodedata.digit(ch, 0)) for ch in token)


@lru_cache(maxsize=262_144)
def token_key(token: str) -> str:
    """The search key of one token: match_key, ASCII digits, no marks left."""
    if token[0].isdigit():
        return _digits(token)
    key = match_key(token)
    if not key.isascii():
        key = unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", key)))
    # whatever match_key leaves that FTS5 would split on (it should leave none)
    return _NON_WORD.sub("", key)


def _strip_article(form: str, out: list[str]) -> None:
    if form.startswith(ARTICLE) and len(form) - 2 >= MIN_STEM:
        out.append(form[2:])


@lru_cache(maxsize=262_144)
def key_variants(key: str) -> tuple[str, ...]:
    """The key followed by its clitic-stripped forms (order kept, no repeats)."""
    if not key:
        return ()
    out = [key]
    bases = [key]
    if key[0] in CONJ and len(key) - 1 >= MIN_STEM:
        bases.append(key[1:])
        out.append(key[1:])
    for base in bases:
        if base.startswith("لل") and len(base) - 2 >= MIN_STEM:
            with_article = ARTICLE + base[2:]
            out.append(with_article)
            _strip_article(with_article, out)
            continue
        if base[0] in PREP and len(base) - 1 >= MIN_STEM:
            out.append(base[1:])
            _strip_article(base[1:], out)
        _strip_article(base, out)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=262_144)
def key_stem(key: str) -> str:
    forms = key_variants(key)
    return min(forms, key=len) if forms else key


@lru_cache(maxsize=262_144)
def _token_forms(token: str) -> tuple[str, str]:
    key = token_key(token)
    if not key:
        return "", ""
    return " ".join(key_variants(key)), key_stem(key)


def index_text(title: str, body: str) -> tuple[str, str]:
    """(variants, stems) search text for a document."""
    variants: list[str] = []
    stems: list[str] = []
    for text in (title, body):
        for token in _TOKEN.findall(text or ""):
            forms, stem = _token_forms(token)
            if forms:
                variants.append(forms)
                stems.append(stem)
    return " ".join(variants), " ".join(stems)


def index_documents(conn: Connection, rows: list[dict]) -> None:
    """Write search rows ({doc_id, variants, stems}) for new documents."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(search_text.insert(), rows)
        return
    stmt = search_text.insert().returning(search_text.c.id, sort_by_parameter_order=True)
    ids = conn.execute(stmt, [{"doc_id": r["doc_id"]} for r in rows]).scalars().all()
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, variants, stems) VALUES (?, ?, ?)",
        [(i, r["variants"], r["stems"]) for i, r in zip(ids, rows, strict=True)],
    )


def reindex(conn: Connection, batch: int = 2000) -> int:
    """Rebuild every document's search text (after the key functions changed)."""
    n = 0
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    last = 0
    while True:
        chunk = conn.execute(
            select(search_text.c.id, documents.c.title, documents.c.body)
            .join_from(search_text, documents, documents.c.id == search_text.c.doc_id)
            .where(search_text.c.id > last).order_by(search_text.c.id).limit(batch)
        ).all()
        if not chunk:
            return n
        last = chunk[-1].id
        texts = [(r.id, *index_text(r.title, r.body)) for r in chunk]
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, variants, stems) VALUES (?, ?, ?)", texts)
        else:
            conn.execute(
                search_text.update().where(search_text.c.id == bindparam("rid"))
                .values(variants=bindparam("v"), stems=bindparam("s")),
                [{"rid": i, "v": v, "s": s} for i, v, s in texts],
            )
        n += len(texts)


# ---------------------------------------------------------------------------- queries

@dataclass(slots=True)
class ParsedQuery:
    words: list[tuple[str, ...]] = field(default_factory=list)  # alternatives per word
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # stems per phrase

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def fts(self) -> str:
        """An FTS5 MATCH expression; every term is a quoted string."""
        parts = []
        for alts in self.words:
            parts.append("variants : (" + " OR ".join(_quote(a) for a in alts) + ")")
        for stems in self.phrases:
            parts.append("stems : " + _quote(" ".join(stems)))
        return " AND ".join(parts)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _word_alternatives(key: str) -> tuple[str, ...]:
    alts = [key]
    if key[0] in CONJ and len(key) - 1 >= MIN_STEM:
        alts.append(key[1:])
    return tuple(alts)


def parse_query(query: str) -> ParsedQuery:
    """Words (AND) and "quoted phrases"; everything else in the query is ignored."""
    parsed = ParsedQuery()
    pieces = (query or "").split('"')
    if len(pieces) % 2 == 0:  # an unbalanced quote: the tail is plain words
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    seen: set[tuple[str, ...]] = set()
    for i, piece in enumerate(pieces):
        keys = [k for k in (token_key(t) for t in _TOKEN.findall(piece)) if k]
        if i % 2 == 1 and len(keys) > 1:
            stems = tuple(key_stem(k) for k in keys)
            if stems not in seen:
                seen.add(stems)
                parsed.phrases.append(stems)
            continue
        for key in keys:
            alts = _word_alternatives(key)
            if alts not in seen:
                seen.add(alts)
                parsed.words.append(alts)
    return parsed


# ---------------------------------------------------------------------------- snippets

@dataclass(slots=True)
class SearchHit:
    id: str
    title: str
    source: str
    outlet: str | None
    published: object
    tlp: str
    snippet: str
    match_spans: list[tuple[int, int]]
    score: float


def match_spans(body: str, parsed: ParsedQuery, limit: int = 64) -> list[tuple[int, int]]:
    """Offsets in the original body of the tokens (and phrases) the query matches."""
    wanted = {a for alts in parsed.words for a in alts}
    endings = {w[-MIN_STEM:] for w in wanted}  # stripping only cuts the front of a key
    toks = [(m.start(), m.end(), token_key(m.group())) for m in _TOKEN.finditer(body)]
    spans: list[tuple[int, int]] = []
    if wanted:
        for start, end, key in toks:
            # cheap filter first: every variant is a suffix of the key, or (لل) ال + suffix
            if key[-MIN_STEM:] in endings and wanted.intersection(key_variants(key)):
                spans.append((start, end))
    if parsed.phrases:
        stems = [key_stem(k) if k else "" for _, _, k in toks]
        for phrase in parsed.phrases:
            n = len(phrase)
            for i in range(len(stems) - n + 1):
                if stems[i] == phrase[0] and tuple(stems[i:i + n]) == phrase:
                    spans.append((toks[i][0], toks[i + n - 1][1]))
    spans = sorted(set(spans))
    # drop spans nested in a longer one (a word inside a matched phrase)
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            if span[1] > merged[-1][1]:
                merged[-1] = (merged[-1][0], span[1])
            continue
        merged.append(span)
    return merged[:limit]


def make_snippet(body: str, spans: list[tuple[int, int]], width: int = 220, before: int = 70) -> str:
    """A window of the original body around the first match, matches wrapped in [ ]."""
    if not body:
        return ""
    if not spans:
        end = _word_end(body, min(len(body), width))
        return body[:end]
    first = spans[0][0]
    start = _word_start(body, max(0, first - before))
    end = _word_end(body, min(len(body), max(start + width, spans[0][1])))
    out: list[str] = []
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(body[pos:s])
        out.append("[" + body[s:e] + "]")
        pos = e
    out.append(body[pos:end])
    return "".join(out)


def _word_start(body: str, pos: int) -> int:
    while pos > 0 and not body[pos - 1].isspace():
        pos -= 1
    return pos


def _word_end(body: str, pos: int) -> int:
    while pos < len(body) and not body[pos].isspace():
        pos += 1
    return pos


# ---------------------------------------------------------------------------- SQL

_fts = table(FTS_TABLE, column("rowid"), column("rank"))
_fts_name = literal_column(FTS_TABLE)


def _like_terms(parsed: ParsedQuery) -> list[ColumnElement[bool]]:
    """INTERIM (PostgreSQL until its full-text issue): LIKE over the search text."""
    padded_v = literal(" ") + search_text.c.variants + literal(" ")
    padded_s = literal(" ") + search_text.c.stems + literal(" ")
    terms: list[ColumnElement[bool]] = []
    for alts in parsed.words:
        terms.append(or_(*(padded_v.like(f"% {a} %") for a in alts)))
    for stems in parsed.phrases:
        terms.append(padded_s.like(f"% {' '.join(stems)} %"))
    return terms


def matching(dialect: str, parsed: ParsedQuery, cols: list, viewer: object = None,
             filters: queries.DocumentFilter | None = None) -> tuple:
    """(select over the matching documents ``viewer`` may see, score column) for a dialect."""

    def base(stmt):  # noqa: ANN001, ANN202
        stmt = queries.visible_documents(stmt, viewer)
        return filters.apply(stmt) if filters is not None else stmt
    if dialect == "sqlite":
        score = _fts.c.rank
        stmt = (
            select(*cols, score.label("score"))
            .select_from(_fts)
            .join(search_text, search_text.c.id == _fts.c.rowid)
            .join(documents, documents.c.id == search_text.c.doc_id)
            .where(_fts_name.op("MATCH")(parsed.fts()))
        )
        return base(stmt), score
    score = literal(0.0)
    stmt = (
        select(*cols, score.label("score"))
        .select_from(search_text)
        .join(documents, documents.c.id == search_text.c.doc_id)
        .where(and_(*_like_terms(parsed)))
    )
    return base(stmt), score


def search(conn: Connection, query: str, *, limit: int = 20, offset: int = 0, viewer: object = None,
           filters: queries.DocumentFilter | None = None) -> list[SearchHit]:
    parsed = parse_query(query)
    if not parsed or limit <= 0:
        return []
    d = documents.c
    stmt, score = matching(conn.dialect.name, parsed, [d.id, d.title, d.source, d.outlet, d.published, d.tlp, d.body],
                           viewer, filters)
    if conn.dialect.name == "sqlite":
        stmt = stmt.order_by(score)
    else:
        stmt = stmt.order_by(d.published.desc().nulls_last(), d.id)
    rows = conn.execute(stmt.limit(limit).offset(max(0, offset))).all()
    hits = []
    for row in rows:
        spans = match_spans(row.body, parsed)
        hits.append(SearchHit(
            id=row.id, title=row.title, source=row.source, outlet=row.outlet,
            published=row.published, tlp=row.tlp, snippet=make_snippet(row.body, spans),
            match_spans=spans, score=float(-row.score) if row.score else 0.0,
        ))
    return hits


def count(conn: Connection, query: str, *, viewer: object = None,
          filters: queries.DocumentFilter | None = None) -> int:
    parsed = parse_query(query)
    if not parsed:
        return 0
    stmt, _ = matching(conn.dialect.name, parsed, [documents.c.id], viewer, filters)
    return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


FACETS = ("tlp", "outlet")


def facets(conn: Connection, query: str | None, *, viewer: object = None,
           filters: queries.DocumentFilter | None = None, top: int = 20) -> dict[str, dict[str, int]]:
    """Counts per TLP level and per outlet over the matching VISIBLE documents (all of
    them when ``query`` is empty), so facets never count what the caller cannot see."""
    d = documents.c
    if query:
        parsed = parse_query(query)
        if not parsed:
            return {name: {} for name in FACETS}
        stmt, _ = matching(conn.dialect.name, parsed, [d.tlp, d.outlet], viewer, filters)
    else:
        stmt = queries.visible_documents(select(d.tlp, d.outlet), viewer)
        stmt = filters.apply(stmt) if filters is not None else stmt
    sub = stmt.subquery()
    out: dict[str, dict[str, int]] = {}
    for name in FACETS:
        col = sub.c[name]
        n = func.count().label("n")
        rows = conn.execute(select(col, n).where(col.is_not(None)).group_by(col)
                            .order_by(n.desc(), col).limit(top))
        out[name] = {value: count for value, count in rows}
    return out
