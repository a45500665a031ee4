"""Quotes and reported speech. Every sentence here is invented for these tests."""

import regex

from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def run(body):
    return PIPE(make_doc(body))


def canonical_of(analysis, surface):
    """The English name NER gave the mention written ``surface``."""
    return next(m.canonical or m.text for m in analysis.entities if m.text == surface)


def is_english(text):
    return text is not None and not regex.search(r"\p{Arabic}", text)


def test_direct_quote_named_speaker_with_rank_and_channel():
    body = ('وقال قائد شرطة البصرة اللواء سامر الحلفي لـ"وكالة الأنباء العراقية" إن '
            '"الدوريات ستبقى منتشرة على الطرق الخارجية حتى نهاية الأسبوع".')
    a = run(body)
    (q,) = a.quotes
    assert q.text == "الدوريات ستبقى منتشرة على الطرق الخارجية حتى نهاية الأسبوع"
    assert body[q.start:q.end] == q.text
    assert q.direct is True and q.cue == "وقال"
    assert q.speaker_kind == "person"
    assert q.speaker == canonical_of(a, "سامر الحلفي")
    assert q.channel == "Iraqi News Agency"


def test_anonymous_sources_are_typed_in_english():
    a = run("وقال مسؤول في وزارة الداخلية العراقية إن الوزارة نشرت فرقاً إضافية على الحدود الجنوبية.")
    (q,) = a.quotes
    assert q.speaker_kind == "anonymous"
    assert q.speaker.startswith("official in ") and "Interior" in q.speaker
    a = run("وأكدت مصادر أمنية أن القوات صادرت شحنة كبيرة من الذخيرة قرب الطريق السريع.")
    assert [(q.speaker, q.speaker_kind) for q in a.quotes] == [("security sources", "anonymous")]
    a = run("وقال ضابط في الجيش، طلب عدم ذكر اسمه، إن الطريق أعيد فتحه صباح اليوم.")
    (q,) = a.quotes  # "ذكر" in the aside is no cue verb
    assert q.speaker.startswith("officer") and q.text.startswith("الطريق أعيد فتحه")


def test_continuation_verbs_keep_the_speaker():
    body = ("وأفاد ضابط رفيع المستوى في الاستخبارات العسكرية بأن الخلية كانت تعد لهجمات في الأسواق الشعبية. "
            "وأضاف أن التحقيقات مستمرة مع الموقوفين. "
            'وتابع: "لن نسمح بعودة تلك الأيام المظلمة إلى المدينة".')
    a = run(body)
    assert [q.direct for q in a.quotes] == [False, False, True]
    speakers = {q.speaker for q in a.quotes}
    assert len(speakers) == 1
    (speaker,) = speakers
    assert speaker.startswith("senior officer") and is_english(speaker)
    assert a.quotes[1].text.startswith("التحقيقات مستمرة")
    for q in a.quotes:
        assert body[q.start:q.end] == q.text


def test_title_alone_refers_back_to_the_person_introduced_with_it():
    body = ("وقال المتحدث باسم وزارة الدفاع العميد يحيى الزبيدي إن الطائرات نفذت ثلاث غارات على أوكار التنظيم. "
            "وفي سياق آخر، عقدت اللجنة الأمنية اجتماعها الأول. "
            "وأوضح المتحدث أن الغارات دمرت مخزنين للأسلحة.")
    a = run(body)
    first, second = a.quotes
    assert first.speaker == canonical_of(a, "يحيى الزبيدي")
    assert second.speaker == first.speaker and second.speaker_kind == "person"


def test_definite_source_noun_refers_back_past_another_speaker():
    body = ("وقال مصدر أمني إن مسلحين هاجموا نقطة للجيش ليلاً. "
            "من جهته، قال الناطق باسم الشرطة المحلية العقيد فراس الدوري إن الدوريات طاردت المهاجمين. "
            "وأضاف المصدر أن الهجوم لم يسفر عن خسائر بشرية.")
    a = run(body)
    first, second, third = a.quotes
    assert first.speaker == "security source"
    assert second.speaker == canonical_of(a, "فراس الدوري")
    assert third.speaker == first.speaker


def test_title_without_a_name_is_rendered_from_titles():
    a = run("وأكد وزير الخارجية العراقي أن بلاده ترفض أي تدخل في شؤونها الداخلية، وفق ما نقلت روسيا اليوم.")
    (q,) = a.quotes
    assert q.speaker == "Iraqi foreign minister"
    assert q.text == "بلاده ترفض أي تدخل في شؤونها الداخلية"  # the attribution is not what was said
    assert "RT" in q.channel


def test_relayed_statement_names_the_source_and_the_outlet():
    a = run("وذكرت صحيفة الصباح، نقلاً عن مسؤول محلي في قضاء الشرقاط، أن الأهالي عثروا على مقبرة جماعية قرب النهر.")
    (q,) = a.quotes
    assert q.speaker.startswith("local official") and q.speaker_kind == "anonymous"
    assert q.channel and "الصباح" in q.channel
    assert q.text.startswith("الأهالي عثروا")


def test_participle_takes_the_subject_of_its_sentence():
    a = run("نفت وزارة الصحة العراقية وجود إصابات جديدة في المخيم، مؤكدة أن الوضع الصحي مستقر تماماً.")
    (q,) = a.quotes
    assert q.cue == "مؤكدة" and q.text == "الوضع الصحي مستقر تماماً"
    assert q.speaker_kind == "organisation"
    assert q.speaker == canonical_of(a, "وزارة الصحة العراقية")


def test_subject_before_verb_with_auxiliary():
    a = run("وكانت منظمات إغاثية قد حذرت من أن نقص المياه يهدد مئات العائلات في المخيمات.")
    (q,) = a.quotes
    assert q.speaker == "relief organisations"
    assert q.text.startswith("نقص المياه")


def test_statement_introduced_by_its_source():
    a = run("وبحسب بيان لوزارة الدفاع العراقية، فإن القوات دمرت نفقاً يستخدمه المسلحون في التنقل بين القرى.")
    (q,) = a.quotes
    assert q.speaker_kind == "document" and q.speaker.endswith("statement")
    assert "Defence" in q.speaker or "Defense" in q.speaker
    assert q.text.startswith("القوات دمرت نفقاً")


def test_nested_reported_speech_has_its_own_speaker():
    body = ("وأوضح المدير أن بيانات الشرطة المحلية تشير إلى إطلاق سراح أكثر من 300 موقوف حتى الآن، "
            "رغم أن إدارة السجن أعلنت أنها أطلقت سراح 95 نزيلاً فقط.")
    a = run(body)
    outer = a.quotes[0]
    assert outer.speaker == "director"
    inner = {q.cue: q for q in a.quotes[1:]}
    assert inner["تشير"].speaker == "local police data" and inner["تشير"].speaker_kind == "document"
    assert inner["أعلنت"].text == "أطلقت سراح 95 نزيلاً فقط"
    assert inner["أعلنت"].speaker != inner["تشير"].speaker


def test_quoted_name_before_the_complementiser_is_the_speaker_not_the_statement():
    a = run('أفاد "مرصد دجلة للحقوق والحريات" بأن القوات أفرجت عن عشرات المحتجزين خلال الأسبوع الماضي.')
    (q,) = a.quotes
    assert q.text.startswith("القوات أفرجت")


def test_verb_without_statement_is_not_a_quote():
    assert run("وأعلنت الوزارة الحداد ثلاثة أيام على أرواح الضحايا.").quotes == []
    # "بقدر" is not the verb قدر
    assert run("وتحسنت الخدمات بقدر ما سمحت به الميزانية المحدودة هذا العام.").quotes == []
