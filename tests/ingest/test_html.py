"""HTML pages: main text without boilerplate, metadata from the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.ingest.helpers import only_document, only_rejection

NEWS_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>وكالة السنديان | تدشين خط حافلات بين الضفتين</title>
<meta property="og:title" content="تدشين خط حافلات بين الضفتين">
<meta property="og:site_name" content="وكالة السنديان للأنباء">
<meta property="og:url" content="https://sindian.example/n/42?ref=og">
<meta property="article:published_time" content="2031-03-14T23:30:00+03:00">
<link rel="canonical" href="https://sindian.example/n/42">
<script>var tracker = "لا يجب أن يظهر";</script>
</head><body>
<header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/p">سياسة</a></li>
<li><a href="/e">اقتصاد</a></li><li><a href="/s">رياضة</a></li></ul></nav></header>
<main><article>
<h1>تدشين خط حافلات بين الضفتين</h1>
<p>دشنت إدارة النقل في مدينة السنديان صباح السبت خطاً جديداً للحافلات يربط الضفة الشرقية بالضفة الغربية، بعد أشهر من التجارب على المسار.</p>
<p>وقال مدير الإدارة إن الخط سيعمل بعشرين حافلة حديثة، وإن أجرة الرحلة الواحدة لن تتجاوز نصف دينار طوال العام الأول.</p>
<p>وأشار إلى أن الإدارة تدرس إضافة محطات في الأحياء الجنوبية إذا ارتفع عدد الركاب خلال الأشهر الثلاثة المقبلة.</p>
</article></main>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/a">مهرجان للتمور في الواحة</a></li>
<li><a href="/b">افتتاح سوق شعبي جديد</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة لوكالة السنديان 2031</p><p><a href="/privacy">سياسة الخصوصية</a> | <a href="/c">اتصل بنا</a></p></footer>
</body></html>
"""


def test_news_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = only_document(path)
    assert doc.title == "تدشين خط حافلات بين الضفتين"
    assert doc.outlet == "وكالة السنديان للأنباء"
    assert doc.published == dt.date(2031, 3, 14)
    assert doc.url == "https://sindian.example/n/42"
    assert doc.language == "ar"
    paragraphs = doc.body.split("\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("دشنت إدارة النقل")
    for boilerplate in ("الرئيسية", "الأكثر قراءة", "مهرجان للتمور", "جميع الحقوق", "سياسة الخصوصية", "tracker"):
        assert boilerplate not in doc.body


def test_title_falls_back_to_headline_inside_title_tag(tmp_path: Path) -> None:
    page = (
        "<html><head><title>مرصد الهضبة - أمطار غزيرة على القرى</title></head><body>"
        "<div><h2>أمطار غزيرة على القرى</h2><div>هطلت أمطار غزيرة على قرى الهضبة ليلاً، ما أدى إلى "
        "إغلاق ثلاث طرق فرعية لساعات طويلة قبل أن تعيد فرق البلدية فتحها.</div></div></body></html>"
    )
    path = tmp_path / "p.htm"
    path.write_text(page, encoding="utf-8")
    doc = only_document(path)
    assert doc.title == "أمطار غزيرة على القرى"
    assert doc.body.startswith("هطلت أمطار")
    assert doc.outlet is None and doc.published is None


def test_page_without_text_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>فارغة</title><script>var a = 1;</script></head><body></body></html>")
    rejection = only_rejection(path)
    assert rejection.path == str(path)
    assert "no main text found in the HTML" in rejection.reason


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    assert only_document(path).outlet == "وكالة السنديان للأنباء"


def test_options_fill_what_the_page_lacks(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = only_document(path, outlet="مصدر آخر", published=dt.date(2000, 1, 1))
    assert doc.outlet == "وكالة السنديان للأنباء" and doc.published == dt.date(2031, 3, 14)
