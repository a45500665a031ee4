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

SQLite uses the FTS5 table ``search_fts`` ranked with bm25.  PostgreSQL stores the SAME
token stream as two ``tsvector`` columns (``search_vectors``, migration 0004, GIN indexes):
``variants_tsv`` holds every form of every token at the token's position, ``stems_tsv`` the
stem of every token at its position.  The vectors are written as ``tsvector`` literals built
here (:func:`pg_vectors`), never through PostgreSQL's text parser, and queries are
``tsquery`` literals built from the same :class:`ParsedQuery` (:meth:`ParsedQuery.pg_words`,
:meth:`ParsedQuery.pg_phrases`): alternatives are ``|``, words and phrases ``&``, phrases
``<->`` over stems.  So both back-ends match exactly the same documents; ranking is bm25 on
SQLite and ``ts_rank`` on PostgreSQL.  PostgreSQL keeps at most 256 positions per lexeme and
none beyond 16,383, so a phrase is found only in the first 16,383 tokens of a document.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import regex
from sqlalchemy import Connection, bindparam, cast, func, literal_column, select, table, column
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from marsad.arabic.normalise import match_key

from . import queries
from .schema import FTS_TABLE, documents, search_text, search_vectors

MIN_STEM = 2
#: PostgreSQL's tsvector limits: positions above this are stored as this
PG_MAX_POSITION = 16_383
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


def index_terms(title: str, body: str) -> list[tuple[str, str]]:
    """(forms, stem) per token of title then body: the token stream both back-ends index
    (``forms``: the key and its clitic-stripped variants, space-separated)."""
    terms: list[tuple[str, str]] = []
    for text in (title, body):
        for token in _TOKEN.findall(text or ""):
            forms, stem = _token_forms(token)
            if forms:
                terms.append((forms, stem))
    return terms


def index_text(title: str, body: str) -> tuple[str, str]:
    """(variants, stems) search text for a document."""
    terms = index_terms(title, body)
    return " ".join(f for f, _ in terms), " ".join(s for _, s in terms)


def _pg_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_vector(positions: dict[str, list[int]]) -> str:
    return " ".join(f"{_pg_lexeme(lex)}:{','.join(map(str, pos))}" for lex, pos in positions.items())


def pg_vectors(terms: list[tuple[str, str]]) -> tuple[str, str]:
    """(variants, stems) ``tsvector`` literals for PostgreSQL: each lexeme with the positions
    (1-based token numbers) where it occurs, so ``<->`` finds phrases and ``ts_rank`` sees
    frequencies."""
    variants: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    for n, (forms, stem) in enumerate(terms, start=1):
        pos = min(n, PG_MAX_POSITION)
        for form in forms.split(" "):
            at = variants.setdefault(form, [])
            if not at or at[-1] != pos:
                at.append(pos)
        at = stems.setdefault(stem, [])
        if not at or at[-1] != pos:
            at.append(pos)
    return _pg_vector(variants), _pg_vector(stems)


def index_documents(conn: Connection, rows: list[dict]) -> None:
    """Write search rows for new documents: {doc_id, terms (:func:`index_terms`), and the
    document's ``queries.SEARCH_SIDE_COLUMNS``}."""
    if not rows:
        return
    side = queries.SEARCH_SIDE_COLUMNS
    if conn.dialect.name != "sqlite":
        stmt = search_vectors.insert().values(
            doc_id=bindparam("doc_id"),
            variants_tsv=cast(bindparam("variants"), TSVECTOR),
            stems_tsv=cast(bindparam("stems"), TSVECTOR),
            **{c: bindparam(c) for c in side},
        )
        params = []
        for r in rows:
            variants, stems = pg_vectors(r["terms"])
            params.append({"doc_id": r["doc_id"], "variants": variants, "stems": stems,
                           **{c: r[c] for c in side}})
        conn.execute(stmt, params)
        return
    stmt = search_text.insert().returning(search_text.c.id, sort_by_parameter_order=True)
    ids = conn.execute(stmt, [{"doc_id": r["doc_id"], **{c: r[c] for c in side}} for r in rows]).scalars().all()
    texts = []
    for i, r in zip(ids, rows, strict=True):
        terms = r["terms"]
        texts.append((i, " ".join(f for f, _ in terms), " ".join(s for _, s in terms)))
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, variants, stems) VALUES (?, ?, ?)", texts)


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
        if conn.dialect.name == "sqlite":
            texts = [(r.id, *index_text(r.title, r.body)) for r in chunk]
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(rowid, variants, stems) VALUES (?, ?, ?)", texts)
        else:
            write_pg_vectors(conn, [(r.id, index_terms(r.title, r.body)) for r in chunk])
        n += len(chunk)


def write_pg_vectors(conn: Connection, rows: list[tuple[int, list[tuple[str, str]]]]) -> None:
    """Set the tsvector columns of existing ``search_text`` rows ((row id, terms) pairs)."""
    v = search_vectors.c
    stmt = (search_vectors.update().where(v.id == bindparam("rid"))
            .values(variants_tsv=cast(bindparam("v"), TSVECTOR), stems_tsv=cast(bindparam("s"), TSVECTOR)))
    params = []
    for rid, terms in rows:
        variants, stems = pg_vectors(terms)
        params.append({"rid": rid, "v": variants, "s": stems})
    if params:
        conn.execute(stmt, params)


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

    def pg_words(self) -> str | None:
        """A PostgreSQL ``tsquery`` literal over ``variants_tsv`` (None: no words)."""
        if not self.words:
            return None
        return " & ".join("(" + " | ".join(_pg_lexeme(a) for a in alts) + ")" for alts in self.words)

    def pg_phrases(self) -> str | None:
        """A PostgreSQL ``tsquery`` literal over ``stems_tsv`` (None: no phrases)."""
        if not self.phrases:
            return None
        return " & ".join("(" + " <-> ".join(_pg_lexeme(s) for s in stems) + ")" for stems in self.phrases)


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


def match_spans(body: str, parsed: ParsedQuery, limit: int = 64,
                window: int | None = None) -> list[tuple[int, int]]:
    """Offsets in the original body of the tokens (and phrases) the query matches.

    With ``window``, scanning stops at the first token starting more than ``window``
    characters after the first match: a snippet shows nothing beyond that, and most of the
    cost of a search page is this tokenising of each hit's body.
    """
    wanted = {a for alts in parsed.words for a in alts}
    endings = {w[-MIN_STEM:] for w in wanted}  # stripping only cuts the front of a key
    phrases = parsed.phrases
    longest = max((len(p) for p in phrases), default=0)
    recent_stems: list[str] = []
    recent_starts: list[int] = []
    spans: list[tuple[int, int]] = []
    first: int | None = None
    for m in _TOKEN.finditer(body):
        start = m.start()
        if first is not None and window is not None and start > first + window:
            break
        key = token_key(m.group())
        # cheap filter first: every variant is a suffix of the key, or (لل) ال + suffix
        if wanted and key[-MIN_STEM:] in endings and wanted.intersection(key_variants(key)):
            spans.append((start, m.end()))
        if longest:
            stem = key_stem(key) if key else ""
            recent_stems.append(stem)
            recent_starts.append(start)
            if len(recent_stems) > longest:
                del recent_stems[0], recent_starts[0]
            for phrase in phrases:
                n = len(phrase)
                if len(recent_stems) >= n and stem == phrase[-1] and tuple(recent_stems[-n:]) == phrase:
                    spans.append((recent_starts[-n], m.end()))
        if first is None and spans:
            first = min(s for s, _ in spans)
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


SNIPPET_WIDTH = 220
SNIPPET_BEFORE = 70


def make_snippet(body: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH,
                 before: int = SNIPPET_BEFORE) -> str:
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


def search_side(dialect: str) -> queries.DocColumns:
    """The search row's copies of the document columns the sharing rule and the filters
    read (migration 0006), for a dialect."""
    return queries.DocColumns.of(_row_table(dialect), "doc_id")


def _row_table(dialect: str):  # noqa: ANN202 - a Table
    return search_text if dialect == "sqlite" else search_vectors


def _pg_match(parsed: ParsedQuery, t) -> tuple[list, object]:  # noqa: ANN001
    """(conditions, ts_rank score) of a query over the search rows ``t`` on PostgreSQL."""
    v = t.c
    conditions = []
    words, phrases = parsed.pg_words(), parsed.pg_phrases()
    score = None
    if words is not None:
        conditions.append(v.variants_tsv.op("@@")(cast(bindparam("pg_words", words), TSQUERY)))
        score = func.ts_rank(v.variants_tsv, cast(bindparam("pg_words_rank", words), TSQUERY))
    if phrases is not None:
        conditions.append(v.stems_tsv.op("@@")(cast(bindparam("pg_phrases", phrases), TSQUERY)))
        if words is None:
            score = func.ts_rank(v.stems_tsv, cast(bindparam("pg_phrases_rank", phrases), TSQUERY))
    return conditions, score


def matching(dialect: str, parsed: ParsedQuery, cols: list, viewer: object = None,
             filters: queries.DocumentFilter | None = None, *, scored: bool = True) -> tuple:
    """(select of ``cols`` over the matching documents ``viewer`` may see, score column).

    The sharing rule and the filters are applied to the search row's copies of the document
    columns (:func:`search_side`), so the select joins the wide ``documents`` rows only when
    ``cols`` name one of their columns.  With ``scored`` the select also has a ``score``
    column (else the score is None and nothing is ranked): lower scores rank first on
    SQLite (bm25), higher ones on PostgreSQL (ts_rank).
    """
    side = search_side(dialect)
    if dialect == "sqlite":
        score = _fts.c.rank
        rows = _fts.join(search_text, search_text.c.id == _fts.c.rowid)
        conditions = [_fts_name.op("MATCH")(parsed.fts())]
    else:
        conditions, score = _pg_match(parsed, search_vectors)
        rows = search_vectors
    if any(f is documents for f in select(*cols).get_final_froms()):
        rows = rows.join(documents, documents.c.id == side.id)
    stmt = select(*cols, *([score.label("score")] if scored else [])).select_from(rows).where(*conditions)
    stmt = queries.visible_documents(stmt, viewer, on=side)
    if filters is not None:
        stmt = filters.apply(stmt, side)
    return stmt, (score if scored else None)


def _ranked(conn: Connection, parsed: ParsedQuery, *, limit: int, offset: int, viewer: object,
            filters: queries.DocumentFilter | None, candidates: int | None) -> tuple[list[tuple[str, float]], int | None]:
    """((document id, score) of one page of visible matches, best first; matches found).

    ``candidates``: rank only the newest that many visible matches (by search row, i.e. in
    the order the reports were stored), so a very common word costs a bounded amount of
    work; pages end there.  The same scan counts the visible matches up to ``candidates +
    1`` (a window count over the candidates), so "found" is exact up to ``candidates`` and
    ``candidates + 1`` means more; it is None when the page is empty (nothing to carry it)
    or ``candidates`` is None (rank every match, count nothing)."""
    dialect = conn.dialect.name
    sqlite = dialect == "sqlite"
    side = search_side(dialect)
    if candidates is None:
        stmt, score = matching(dialect, parsed, [side.id.label("doc_id")], viewer, filters)
        # SQLite: ORDER BY rank alone lets FTS5 sort inside the index
        stmt = stmt.order_by(score) if sqlite else stmt.order_by(score.desc(), side.id)
        return [(r.doc_id, r.score) for r in conn.execute(stmt.limit(limit).offset(offset))], None
    if offset >= candidates:
        return [], None
    limit = min(limit, candidates - offset)
    rid = _row_table(dialect).c.id
    # FTS5 computes bm25 only for the rows its newest-first scan hands out; on PostgreSQL the
    # candidates are found without reading their tsvectors, then ts_rank runs over them only
    stmt, _ = matching(dialect, parsed, [rid.label("rid"), side.id.label("doc_id")], viewer, filters,
                       scored=sqlite)
    newest = stmt.order_by(_fts.c.rowid.desc() if sqlite else rid.desc()).limit(candidates + 1).subquery()
    counted = select(*newest.c, func.count().over().label("found"),
                     func.row_number().over(order_by=newest.c.rid.desc()).label("pos")).subquery()
    if sqlite:
        ranked = select(counted.c.doc_id, counted.c.score, counted.c.found).order_by(counted.c.score,
                                                                                    counted.c.rid.desc())
    else:
        rows = search_vectors.alias("ranked_rows")
        _, score = _pg_match(parsed, rows)
        ranked = (select(counted.c.doc_id, score.label("score"), counted.c.found)
                  .join_from(counted, rows, rows.c.id == counted.c.rid)
                  .order_by(score.desc(), counted.c.rid.desc()))
    result = conn.execute(ranked.where(counted.c.pos <= candidates).limit(limit).offset(offset)).all()
    return [(r.doc_id, r.score) for r in result], (result[0].found if result else None)


def search_page(conn: Connection, query: str, *, limit: int = 20, offset: int = 0, viewer: object = None,
                filters: queries.DocumentFilter | None = None,
                candidates: int | None = None) -> tuple[list[SearchHit], int | None]:
    """(one page of hits with snippets, best first; visible matches found): see :func:`_ranked`."""
    parsed = parse_query(query)
    if not parsed:
        return [], 0
    if limit <= 0:
        return [], None
    sqlite = conn.dialect.name == "sqlite"
    ranked, found = _ranked(conn, parsed, limit=limit, offset=max(0, offset), viewer=viewer, filters=filters,
                            candidates=candidates)
    if not ranked:
        return [], found
    d = documents.c
    # the page's own rows; the rule again, in case a report was re-marked in between
    stmt = queries.visible_documents(
        select(d.id, d.title, d.source, d.outlet, d.published, d.tlp, d.body).where(d.id.in_([i for i, _ in ranked])),
        viewer)
    rows = {r.id: r for r in conn.execute(stmt)}
    hits = []
    for doc_id, score in ranked:
        row = rows.get(doc_id)
        if row is None:
            continue
        # the snippet ends at most a word after first match + width (make_snippet)
        spans = match_spans(row.body, parsed, window=SNIPPET_WIDTH + 64)
        hits.append(SearchHit(
            id=row.id, title=row.title, source=row.source, outlet=row.outlet,
            published=row.published, tlp=row.tlp, snippet=make_snippet(row.body, spans),
            match_spans=spans, score=(float(-score) if sqlite else float(score)) if score else 0.0,
        ))
    return hits, found


def search(conn: Connection, query: str, *, limit: int = 20, offset: int = 0, viewer: object = None,
           filters: queries.DocumentFilter | None = None, candidates: int | None = None) -> list[SearchHit]:
    """One page of hits with snippets, best first (``candidates``: see :func:`_ranked`)."""
    return search_page(conn, query, limit=limit, offset=offset, viewer=viewer, filters=filters,
                       candidates=candidates)[0]


def count(conn: Connection, query: str, *, viewer: object = None,
          filters: queries.DocumentFilter | None = None, cap: int | None = None) -> int:
    """Visible matches; with ``cap``, counting stops at ``cap + 1`` (so a result above
    ``cap`` says only "more than cap")."""
    parsed = parse_query(query)
    if not parsed:
        return 0
    side = search_side(conn.dialect.name)
    stmt, _ = matching(conn.dialect.name, parsed, [side.id], viewer, filters, scored=False)
    if cap is not None:
        stmt = stmt.limit(cap + 1)
    return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


FACETS = ("tlp", "outlet")


def summary(conn: Connection, query: str | None, *, viewer: object = None,
            filters: queries.DocumentFilter | None = None, top: int = 20) -> tuple[int, dict[str, dict[str, int]]]:
    """(total, facets) over the matching VISIBLE documents (all of them when ``query`` is
    empty) in ONE pass: counts per (TLP, outlet) pair, summed in Python.  Facets count per
    TLP level and per outlet (the ``top`` largest, then by name), so they never count what
    the caller cannot see."""
    if query:
        parsed = parse_query(query)
        if not parsed:
            return 0, {name: {} for name in FACETS}
        side = search_side(conn.dialect.name)
        stmt, _ = matching(conn.dialect.name, parsed, [side.tlp, side.outlet], viewer, filters, scored=False)
    else:
        d = documents.c
        stmt = queries.visible_documents(select(d.tlp, d.outlet), viewer)
        stmt = filters.apply(stmt) if filters is not None else stmt
    sub = stmt.subquery()
    rows = conn.execute(select(sub.c.tlp, sub.c.outlet, func.count()).group_by(sub.c.tlp, sub.c.outlet)).all()
    total = 0
    per: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for tlp, outlet, n in rows:
        total += n
        for name, value in (("tlp", tlp), ("outlet", outlet)):
            if value is not None:
                per[name][value] = per[name].get(value, 0) + n
    out = {name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]) for name, counts in per.items()}
    return total, out


def facets(conn: Connection, query: str | None, *, viewer: object = None,
           filters: queries.DocumentFilter | None = None, top: int = 20) -> dict[str, dict[str, int]]:
    """Counts per TLP level and per outlet over the matching VISIBLE documents (all of
    them when ``query`` is empty), so facets never count what the caller cannot see."""
    return summary(conn, query, viewer=viewer, filters=filters, top=top)[1]
