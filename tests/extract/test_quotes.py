from marsad.pipeline import Pipeline
from tests.conftest import make_doc

PIPE = Pipeline()


def run(body):
    return PIPE(make_doc(body))


def test_direct_quote_after_anonymous_speaker_with_channel():
    body = 'وقال مسؤول أمني رفيع لـ"راديو دجلة" إن "الوضع على الحدود تحت السيطرة الكاملة منذ أيام".'
    a = run(body)
    assert len(a.quotes) == 1
    q = a.quotes[0]
    assert q.text == "الوضع على الحدود تحت السيطرة الكاملة منذ أيام"
    assert body[q.start:q.end] == q.text
    assert q.direct is True
    assert q.speaker == "مسؤول أمني رفيع"
    assert q.speaker_kind == "anonymous"
    assert q.channel == "راديو دجلة"
    assert q.cue == "وقال"


def test_indirect_speech_and_continuation_keeps_speaker():
    body = ("وأوضح ضابط في الشرطة المحلية أن الدوريات ضبطت شاحنة محملة بالأسلحة قرب الطريق الدولي. "
            "وأضاف أن التحقيقات ما زالت جارية لمعرفة الجهة المسؤولة.")
    a = run(body)
    assert [q.direct for q in a.quotes] == [False, False]
    first, second = a.quotes
    assert first.text.startswith("الدوريات ضبطت شاحنة")
    assert first.speaker == "ضابط في الشرطة المحلية"
    assert second.text.startswith("التحقيقات ما زالت جارية")
    assert second.speaker == first.speaker
    for q in a.quotes:
        assert body[q.start:q.end] == q.text


def test_subject_before_verb():
    body = "وكانت المصادر الميدانية أكدت أن القافلة وصلت سالمة إلى وجهتها."
    a = run(body)
    assert len(a.quotes) == 1
    assert a.quotes[0].text.startswith("القافلة وصلت سالمة")
    assert a.quotes[0].speaker == "وكانت المصادر الميدانية" or a.quotes[0].speaker.endswith("المصادر الميدانية")


def test_verb_without_statement_is_not_a_quote():
    a = run("وأعلنت الوزارة الحداد ثلاثة أيام.")
    assert a.quotes == []
