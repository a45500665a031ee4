#!/usr/bin/env python3
"""Check that every gold span in examples/gold/ is a verbatim substring of its report.

Reads the report files the way an ingester would (front matter, BOM, Windows-1256,
HTML <article>, JSON Lines, RSS 2.0) using only the standard library, and, when
trafilatura is installed, also checks the HTML gold against trafilatura's extraction.
Exit status 0 when everything matches.

    python examples/check_gold.py
"""
import glob
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.join(HERE, "reports")
GOLD = os.path.join(HERE, "gold")


def decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1256")


def split_front_matter(text):
    meta = {}
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4)
        for line in text[4:end].splitlines():
            k, _, v = line.partition(":")
            meta[k.strip()] = v.strip()
        text = text[end + 5:]
    title, _, body = text.partition("\n\n")
    return meta, title.strip(), body.strip()


class ArticleParas(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_article = self.in_p = False
        self.paras, self.buf = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article = True
        elif tag == "p" and self.in_article:
            self.in_p, self.buf = True, []

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False
        elif tag == "p" and self.in_p:
            self.in_p = False
            self.paras.append("".join(self.buf).strip())

    def handle_data(self, data):
        if self.in_p:
            self.buf.append(data)


def load_reports():
    """Return {gold stem: (body text, published)}."""
    docs = {}
    for path in sorted(glob.glob(os.path.join(REPORTS, "*"))):
        name = os.path.basename(path)
        stem, ext = os.path.splitext(name)
        raw = open(path, "rb").read()
        if ext == ".txt":
            meta, _, body = split_front_matter(decode(raw))
            docs[stem] = (body, meta.get("published"))
        elif ext == ".html":
            text = raw.decode("utf-8")
            p = ArticleParas()
            p.feed(text)
            m = re.search(r'article:published_time" content="(\d{4}-\d\d-\d\d)', text)
            docs[stem] = ("\n\n".join(p.paras), m.group(1) if m else None)
        elif ext == ".jsonl":
            for i, line in enumerate(raw.decode("utf-8").splitlines(), 1):
                rec = json.loads(line)
                docs[f"{stem}__{i}"] = (rec["body"], rec["published"])
        elif ext == ".xml":
            items = ET.fromstring(raw).find("channel").findall("item")
            # gold numbering follows the order of <item> elements in the file
            from email.utils import parsedate_to_datetime
            for i, it in enumerate(items, 1):
                pub = parsedate_to_datetime(it.findtext("pubDate")).date().isoformat()
                docs[f"{stem}__{i}"] = (it.findtext("description"), pub)
    return docs


def spans(g):
    for e in g["entities"]:
        yield "entity", e["text"]
    for q in g["quantities"]:
        yield "quantity", q["text"]
        if q.get("parent_text"):
            yield "parent_text", q["parent_text"]
    for d in g["dates"]:
        yield "date", d["text"]
    for ev in g["events"]:
        yield "trigger", ev["trigger"]
    for qt in g["quotes"]:
        yield "quote", qt["text_start"]


def main():
    docs = load_reports()
    errors, n = [], 0
    golds = sorted(p for p in glob.glob(os.path.join(GOLD, "*.json")) if not p.endswith("clusters.json"))
    for gp in golds:
        stem = os.path.basename(gp)[:-5]
        g = json.load(open(gp, encoding="utf-8"))
        if stem not in docs:
            errors.append(f"{stem}: no report")
            continue
        body, pub = docs[stem]
        if g["published"] != pub:
            errors.append(f"{stem}: published {g['published']} != {pub}")
        for kind, t in spans(g):
            n += 1
            if t not in body:
                errors.append(f"{stem}: {kind} not verbatim: {t!r}")
    missing = set(docs) - {os.path.basename(p)[:-5] for p in golds}
    errors += [f"{s}: report without gold" for s in sorted(missing)]
    # clusters
    cl = json.load(open(os.path.join(GOLD, "clusters.json"), encoding="utf-8"))
    for c in cl:
        for s in c["reports"]:
            if s not in docs:
                errors.append(f"cluster {c['incident']}: unknown report {s}")
        for ent in c["entities"]:
            for m in ent["mentions"]:
                n += 1
                if m["text"] not in docs[m["report"]][0]:
                    errors.append(f"cluster mention not verbatim: {m}")
        for claim in c["claims"]:
            for v in claim["values"]:
                n += 1
                if v["text"] not in docs[v["report"]][0]:
                    errors.append(f"cluster claim not verbatim: {v}")
    # optional: HTML through trafilatura
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    if trafilatura:
        for path in sorted(glob.glob(os.path.join(REPORTS, "*.html"))):
            stem = os.path.basename(path)[:-5]
            ext = trafilatura.extract(open(path, encoding="utf-8").read(), include_comments=False) or ""
            g = json.load(open(os.path.join(GOLD, stem + ".json"), encoding="utf-8"))
            for kind, t in spans(g):
                if t not in ext:
                    errors.append(f"{stem}: {kind} missing from trafilatura text: {t!r}")
    for e in errors:
        print("ERROR", e)
    print(f"{len(docs)} reports, {len(golds)} gold files, {n} spans checked, {len(errors)} errors"
          + ("" if trafilatura else " (trafilatura not installed: HTML checked with html.parser)"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
