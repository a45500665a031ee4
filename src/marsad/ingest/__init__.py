"""Ingest: files and feeds → `Document` records (or `Rejection`s), with no other side effects.

    from marsad.ingest import IngestOptions, iter_documents, dedup_stream
    for item in dedup_stream(iter_documents(["reports/"], IngestOptions(tlp="amber"))):
        ...  # Document | Rejection | Duplicate

Formats, by extension (unknown or no extension: sniffed from the content):
``.txt .md`` plain text with optional YAML front matter (`marsad.ingest.plain`), ``.html .htm``
(`marsad.ingest.html`), ``.jsonl .ndjson`` and ``.json`` (`marsad.ingest.jsonl`), ``.xml .rss
.atom`` RSS/Atom feeds (`marsad.ingest.feeds`). Encodings: `marsad.ingest.decode`.

Metadata precedence. What a file says about itself (front matter, HTML meta tags, a JSONL
field, a feed item's date or channel title) wins; the options ``outlet`` and ``published``
are defaults for records that say nothing. Rationale: a folder or feed mixes reports from
many outlets and days, and a command-line value applied to all of them would overwrite
correct per-record facts with one guess. TLP only ever tightens: a record gets the stricter
of its own marking and ``options.tlp`` (default CLEAR, so a record's own marking then
stands). ``owner`` always comes from the options.

Document fields: ``id = marsad.ids.document_id(body)``; ``body`` is the decoded text, NFC,
``\\n`` line endings, trailing whitespace stripped from every line and blank lines trimmed at
both ends; ``title`` is never empty (first line of the body, cut to about 80 characters, when
the file gives none); ``source`` is the path as given (folders joined with the names below
them), ``path#N`` for JSON Lines (N = line number) or a JSON array (N = element, from 1) and
``path#item-N`` for feeds;
``ingested_at`` is the current UTC time; ``language`` is what the file declares, else "ar".

`discover(paths)` lists the files in reading order with problems (missing path, broken link,
unreadable folder, folder loop) in place as Rejections; its output can be passed back to
`iter_documents`. Every bad file becomes a Rejection whose ``str()`` is "path: reason" (or
"path:line: reason" for a JSON Lines record); iter_documents never raises for a file.

`iter_documents` does not deduplicate (the store does across runs); `dedup_stream` drops
repeats inside one run and reports each as a `Duplicate`.
"""

from marsad.ingest.decode import DecodeError, Decoded, decode_bytes
from marsad.ingest.dedup import Duplicate, dedup_stream
from marsad.ingest.discover import discover
from marsad.ingest.options import DEFAULT_MAX_BYTES, IngestError, IngestOptions, Rejection
from marsad.ingest.reader import iter_documents, read_file, sniff_format

__all__ = [
    "DEFAULT_MAX_BYTES", "DecodeError", "Decoded", "Duplicate", "IngestError", "IngestOptions",
    "Rejection", "decode_bytes", "dedup_stream", "discover", "iter_documents", "read_file",
    "sniff_format",
]
