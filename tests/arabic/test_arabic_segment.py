"""sentences(), tokens() and strip_clitics()."""

from __future__ import annotations

import pytest

from marsad.arabic.segment import sentences, strip_clitics, token_spans, tokens


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصل الوفد إلى المدينة. ثم غادر مساءً.", ["وصل الوفد إلى المدينة.", "ثم غادر مساءً."]),
        ("هل انتهت الأزمة؟ لا أحد يعرف!", ["هل انتهت الأزمة؟", "لا أحد يعرف!"]),
        ("اجتمع الطرفان، واتفقا على الهدنة.", ["اجتمع الطرفان، واتفقا على الهدنة."]),
        ("ناقش المجلس الموازنة؛ وأقرها لاحقاً", ["ناقش المجلس الموازنة؛", "وأقرها لاحقاً"]),
        ("ارتفع المؤشر 2.5 نقطة اليوم. وانخفض غداً", ["ارتفع المؤشر 2.5 نقطة اليوم.", "وانخفض غداً"]),
        ("وانتظر الجميع… ثم جاء الخبر", ["وانتظر الجميع…", "ثم جاء الخبر"]),
        ("عنوان الخبر الرئيسي\nنص الخبر يبدأ هنا.", ["عنوان الخبر الرئيسي", "نص الخبر يبدأ هنا."]),
        ("الموصل – أعلنت الشرطة توقيف مشتبه به.", ["الموصل – أعلنت الشرطة توقيف مشتبه به."]),
        ("التقى د. سامر الوزير. وبحثا الملف", ["التقى د. سامر الوزير.", "وبحثا الملف"]),
        ("وقال المسؤول: «لن نتراجع. سنواصل العمل» ثم غادر.",
         ["وقال المسؤول: «لن نتراجع. سنواصل العمل» ثم غادر."]),
        ('وأضاف أن "الوضع مستقر. لا خطر الآن". وتابع حديثه.',
         ['وأضاف أن "الوضع مستقر. لا خطر الآن".', "وتابع حديثه."]),
        ("وقال: “انتهى الأمر.” وغادر القاعة.", ["وقال: “انتهى الأمر.”", "وغادر القاعة."]),
        ("«اقتباس بلا إغلاق\nسطر جديد. وآخر", ["«اقتباس بلا إغلاق", "سطر جديد.", "وآخر"]),
        ("زوروا الموقع www.example.org للمزيد. شكراً", ["زوروا الموقع www.example.org للمزيد.", "شكراً"]),
        ("تحدث U.S. officials أمس. ثم سكتوا", ["تحدث U.S. officials أمس.", "ثم سكتوا"]),
        ("  \n\n  ", []),
        ("", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def test_sentence_spans_are_trimmed_and_ordered() -> None:
    text = "  أولاً هذا.   ثانياً ذاك؟\n\n ثالثاً  "
    spans = sentences(text)
    assert [text[s.start:s.end] for s in spans] == ["أولاً هذا.", "ثانياً ذاك؟", "ثالثاً"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    ("word", "prefix", "stem"),
    [
        ("وقال", "و", "قال"),
        ("والجيش", "وال", "جيش"),
        ("بالمدينة", "بال", "مدينه"),
        ("للحكومة", "لل", "حكومه"),
        ("فالقوات", "فال", "قوات"),
        ("كالعادة", "كال", "عاده"),
        ("لمتابعة", "ل", "متابعه"),
        ("وبمشاركة", "وب", "مشاركه"),
        ("سيتم", "س", "يتم"),
        ("وسيكون", "وس", "يكون"),
        ("مناطقهم", "", "مناطق"),
        ("قواتنا", "", "قوات"),
        ("وسكانها", "و", "سكان"),
        ("بينهم", "", "بين"),
        ("عليهم", "", "علي"),
        ("بلاده", "", "بلاد"),
        ("لقائه", "", "لقاي"),
        # names and words that only look like they carry a clitic
        ("بغداد", "", "بغداد"),
        ("بيروت", "", "بيروت"),
        ("كركوك", "", "كركوك"),
        ("لبنان", "", "لبنان"),
        ("واشنطن", "", "واشنطن"),
        ("فرنسا", "", "فرنسا"),
        ("ليبيا", "", "ليبيا"),
        ("وزير", "", "وزير"),
        ("فريق", "", "فريق"),
        ("سيارة", "", "سياره"),
        ("قانونا", "", "قانونا"),
        ("محاكم", "", "محاكم"),
        ("مدرسة", "", "مدرسه"),
        ("اتجاه", "", "اتجاه"),
        # clitics in front of protected names come off, the name stays whole
        ("وبغداد", "و", "بغداد"),
        ("لبيروت", "ل", "بيروت"),
        ("وواشنطن", "و", "واشنطن"),
        ("وكركوك", "و", "كركوك"),
    ],
)
def test_token_stems(word: str, prefix: str, stem: str) -> None:
    (token,) = tokens(word)
    assert (token.prefix, token.stem) == (prefix, stem)
    assert token.text == word


def test_strip_clitics_on_keys() -> None:
    assert strip_clitics("والعراق") == ("وال", "عراق")
    assert strip_clitics("بغداد") == ("", "بغداد")
    assert strip_clitics("كتابه") == ("", "كتابه")  # a final ه may be a folded ة
    assert strip_clitics("كتابه", final_ha=True) == ("", "كتاب")


def test_tokens_spans_and_keys() -> None:
    text = "قالَ الوزيرُ: وصل ١٬٢٠٠ جنديٍ و2.5 مليون (تقريباً)."
    toks = tokens(text)
    for tok in toks:
        assert text[tok.start:tok.end] == tok.text
    words = [t.text for t in toks]
    assert words == ["قالَ", "الوزيرُ", ":", "وصل", "١٬٢٠٠", "جنديٍ", "و", "2.5", "مليون", "(",
                     "تقريباً", ")", "."]
    assert toks[0].key == "قال"
    assert toks[4].key == "1٬200"
    assert toks[1].stem == "وزير" and toks[1].prefix == "ال"


def test_tokens_keep_tatweel_and_zwnj_inside_words() -> None:
    text = "لـ\u200cوكالة الأنـــباء"
    assert [t.text for t in tokens(text)] == ["لـ\u200cوكالة", "الأنـــباء"]
    assert tokens(text)[1].key == "الانباء"


def test_gazetteer_place_names_are_not_split() -> None:
    # كفرنبل is not in the hand-kept list: it is protected through the gazetteer-built file
    from marsad.arabic.normalise import match_key
    from marsad.arabic.segment import strip_clitics

    assert strip_clitics(match_key("كفرنبل")) == ("", "كفرنبل")
    assert strip_clitics(match_key("وكفرنبل")) == ("و", "كفرنبل")


def test_sentences_cached_per_text_but_returned_as_fresh_lists() -> None:
    from marsad.arabic import segment

    text = "قال المصدر إن الوضع هادئ. وأضاف أن «القوات انتشرت.» ثم انتهى\nسطر آخر"
    first = segment.sentences(text)
    first.clear()  # a caller may change its list; the next one is unaffected
    assert segment.sentences(text) == segment._split(text)
    assert segment.sentences(text) is not segment.sentences(text)


def test_token_spans_are_the_spans_of_tokens() -> None:
    text = "قال مصدر، إنَّ 2.5 ألف «عنصر» وصلوا إلى الحسكةِ — U.S.\nسطر ثانٍ…"
    assert token_spans(text) == [(t.start, t.end) for t in tokens(text)]
    assert len(token_spans(text)) > 15
    assert token_spans("") == []


def test_trailing_space_by_rstrip_is_the_patterns_match() -> None:
    """_spans_between trims with str.rstrip over SPACE_CLASS's characters: the same end as the
    trailing pattern's search, including a final line break and the information separators."""
    import random

    import regex

    from marsad.arabic import segment
    from marsad.arabic._patterns import class_chars

    trailing_space = regex.compile(segment.SPACE_CLASS + "*$")

    rng = random.Random(3)
    chars = " \t\n\r\u00a0\u2003\u3000\x1c\x1d\x85ab\u0645."
    for _ in range(20000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 9)))
        start = rng.randint(0, len(text))
        cut = rng.randint(start, len(text))
        expected = trailing_space.search(text, start, cut).start()
        assert start + len(text[start:cut].rstrip(class_chars(segment.SPACE_CLASS))) == expected
