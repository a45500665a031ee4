"""RSS 2.0 and Atom feeds: one Document per item."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.ingest.helpers import PARAGRAPHS, documents, only_rejection, read_all, rejections

RSS = f"""<?xml version="1.0" encoding="{{encoding}}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>إذاعة الواحة</title><link>https://waha.example/</link><language>ar</language>
<item>
  <title>افتتاح سوق الخضار الجديد</title>
  <link>https://waha.example/n/1</link>
  <pubDate>Sat, 14 Jun 2031 23:10:00 +0300</pubDate>
  <description>ملخص قصير</description>
  <content:encoded><![CDATA[<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p><script>x()</script>]]></content:encoded>
</item>
<item>
  <title>خبر بالوصف فقط</title>
  <link>https://waha.example/n/2</link>
  <description>&lt;p&gt;{PARAGRAPHS[2]}&lt;/p&gt;&lt;p&gt;فقرة ثانية.&lt;/p&gt;</description>
</item>
<item><title>بلا نص</title><link>https://waha.example/n/3</link></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>نشرة الجبل</title>
<id>urn:uuid:1</id><updated>2031-04-02T10:00:00Z</updated>
<entry>
  <title type="html">تقرير &lt;b&gt;الطقس&lt;/b&gt;</title>
  <link href="https://jabal.example/e/1"/>
  <id>urn:uuid:2</id>
  <updated>2031-04-02T09:00:00+02:00</updated>
  <summary>{PARAGRAPHS[1]}</summary>
</entry>
<entry>
  <title>مقال كامل</title>
  <link rel="alternate" href="https://jabal.example/e/2"/>
  <id>urn:uuid:3</id>
  <published>2031-04-01T01:30:00+03:00</published>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[2]}</p></div></content>
</entry>
</feed>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_rss_items(tmp_path: Path) -> None:
    path = write(tmp_path, "waha.rss", RSS.format(encoding="utf-8").encode("utf-8"))
    items = read_all([path], outlet="غير مستعمل")
    docs = documents(items)
    assert [d.source for d in docs] == [f"{path}#item-1", f"{path}#item-2"]
    first = docs[0]
    assert first.title == "افتتاح سوق الخضار الجديد"
    assert first.body == f"{PARAGRAPHS[0]}\n{PARAGRAPHS[1]}"  # content:encoded beats description
    assert first.url == "https://waha.example/n/1"
    assert first.published == dt.date(2031, 6, 14)  # as written, not shifted to UTC
    assert first.outlet == "إذاعة الواحة"
    assert docs[1].body == f"{PARAGRAPHS[2]}\nفقرة ثانية."
    assert docs[1].published is None
    [bad] = rejections(items)
    assert bad.path == str(path) and bad.reason.startswith("item 3: no text")


def test_cp1256_rss_equals_utf8(tmp_path: Path) -> None:
    utf8 = write(tmp_path, "a.xml", RSS.format(encoding="utf-8").encode("utf-8"))
    cp = write(tmp_path, "b.xml", RSS.format(encoding="windows-1256").encode("cp1256"))
    a, b = documents(read_all([utf8])), documents(read_all([cp]))
    assert [(d.id, d.title, d.body, d.outlet) for d in a] == [(d.id, d.title, d.body, d.outlet) for d in b]


def test_atom_entries(tmp_path: Path) -> None:
    path = write(tmp_path, "jabal.atom", ATOM.encode("utf-8"))
    docs = documents(read_all([path]))
    assert len(docs) == 2
    assert docs[0].title == "تقرير الطقس" and docs[0].body == PARAGRAPHS[1]
    assert docs[0].published == dt.date(2031, 4, 2)
    assert docs[1].url == "https://jabal.example/e/2"
    assert docs[1].body == f"{PARAGRAPHS[0]}\n{PARAGRAPHS[2]}"
    assert docs[1].published == dt.date(2031, 4, 1)
    assert {d.outlet for d in docs} == {"نشرة الجبل"}


def test_feed_sniffed_without_known_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.download", ATOM.encode("utf-8"))
    assert len(documents(read_all([path]))) == 2


def test_feed_without_items(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.rss", b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    assert only_rejection(path).reason == "feed has no items"


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "sitemap.xml", b'<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    assert only_rejection(path).reason == "XML is not an RSS or Atom feed (root element <urlset>)"
