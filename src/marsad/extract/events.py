"""Events: typed triggers from ``lang/ar/event_triggers.tsv`` with actors, targets, place, time.

1. Triggers. The lexicon lists lemmas with how they inflect (verbs: perfect, imperfect and future
   forms with object pronouns; nouns: article, accusative, dual, pronoun suffixes), so one row
   covers اعتقل، اعتقلت، اعتقلوا، يعتقل، ستعتقل … A row may require a context word nearby (ضربات
   is an air strike only near طائرات/جوية/التحالف; إعادة is a repatriation only near
   عائلات/مخيم/النازحين …); rows of type "-" block a shorter trigger inside a longer phrase
   (نقطة تفتيش is a place, حكم بالإعدام a sentence, فجر اليوم a time).
2. One event per instance, not per mention. Triggers of one type in one clause, a few words
   apart, are one event (هجوم مسلح استهدف …؛ وصلت … قافلة العائدين), and so is an elaboration
   after a comma (…، في أحدث دفعة); a trigger coordinated with و/ف starts a new instance
   (عززت انتشارها ونصبت كمائن). A definite noun refers back to an event already recorded: of the
   same root (الهجوم after هاجم/هجوم), or of its type when it stands bare or after a demonstrative
   (خلال اللقاء، هذا الاجتماع). An imperfect verb alone is habitual (تعتقل في سجونها) and gives no
   event unless a cue makes it expected, hypothetical or denied.
3. Arguments come from the sentence, or from the quote the trigger stands in: the agent after
   "من قبل"/"على يد"; the subject right after a verb trigger (Arabic is mostly verb-subject)
   unless the verb carries its own subject suffix (دخلوا الأراضي التركية); else the nearest name
   before it; targets are the names after it. Meetings, agreements and clashes list all
   participants as actors, up to the topic (… سبل ملاحقة …). States act when named as such (اتفق
   العراق), not after a preposition (في العراق). The place is the nearest LOC mention in the
   clause (after the trigger first), the time the nearest resolved date of the sentence, falling
   back to the publication date only when the sentence says "اليوم" (today; not in an outlet's
   name). The source is the speaker of the quote the trigger stands in.
4. Modality (``lang/ar/modality_cues.tsv``): denied (نفت، لم), expected (من المقرر، سوف، ستقوم,
   or a date in the clause after the publication date), hypothetical (إذا، في حال، قد يقع، خشية،
   دعا إلى) from the nearest cue before the trigger in its clause, or a cue just after it (قد
   ينفذها); a result clause after it (أسفر عن، أودى بحياة) keeps it asserted; an event coordinated
   with the previous one shares its modality (دعا إلى نشر … وتكثيف …).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from marsad.arabic.normalise import match_key
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseHit, Word, key_variants, words
from marsad.lang import read_rows
from marsad.records import Analysis, Event, Mention

_NEAR_WINDOW = 10  # words either side of a trigger in which its context words are looked for
_MERGE_GAP = 10  # at most this many words between two triggers of one event
_SPAN_GAP = 8  # merged triggers at most this many words apart make one trigger span
_APPOSITION_GAP = 12  # "…، في أحدث دفعة": an elaboration after a comma may stand further away
_MAX_ARGS = 3
_SYMMETRIC = frozenset({"MEETING", "AGREEMENT", "CLASH"})
_CLAUSE_BREAK = re.compile(r"[،,؛;.:!?؟()\[\]\n]")
_START_CACHE: dict[str, bool] = {}  # word key → may a trigger or cue begin with it (any clitics)
_DEMONSTRATIVES = frozenset(match_key(w) for w in ("هذا", "هذه", "ذلك", "تلك", "هذين", "هاتين", "هؤلاء"))
_RELATIVES = frozenset(match_key(w) for w in ("الذي", "التي", "اللذين", "اللتين", "الذين", "اللذان", "اللتان"))
_PREPOSITIONS = frozenset(match_key(w) for w in (
    "على", "عن", "مع", "من", "إلى", "الى", "في", "ضد", "بحق", "بين", "لدى", "عند", "نحو", "تجاه", "قرب"))
_PLACE_PREPOSITIONS = frozenset(match_key(w) for w in (
    "في", "إلى", "الى", "من", "عن", "على", "مع", "نحو", "قرب", "داخل", "خارج", "عبر", "حتى", "باتجاه", "شمال",
    "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "أنحاء", "مدينة", "محافظة"))
_BY_AGENT = [match_key("من"), match_key("قبل")]
_AT_HANDS = [match_key("على"), match_key("يد")]
_ARGUMENT_WORDS = frozenset(match_key(w) for w in (
    "عن", "عنه", "عنها", "عنهم", "عنهما", "على", "عليه", "عليها", "عليهم", "ضد", "بحق", "مع", "معه", "معها",
    "معهم", "من", "منه", "منها", "منهم", "بين", "لصالح"))
_RESUMPTIVE = frozenset(match_key(w) for w in (
    "أنه", "أنها", "أنهم", "أنهما", "إنه", "إنها", "إنهم", "إنهما", "بأنه", "بأنها", "بأنهم"))
_SUBJECT_SUFFIXES = ("وا", "ن", "نا", "تم", "ا", "تا")
_TOPIC_WORDS = frozenset(match_key(w) for w in (
    "سبل", "حول", "بشأن", "ملف", "ملفات", "قضايا", "لبحث", "لمناقشة", "تطورات", "آليات", "موضوع"))
_DISJUNCTIONS = frozenset(match_key(w) for w in ("أو", "أم"))
_TODAY = match_key("اليوم")
_TODAY_TEXT = "يوم"  # a cheap first test on the raw text
_NOT_TODAY_BEFORE = frozenset(match_key(w) for w in ("حتى", "لغاية", "منذ"))
_IMPERFECT_PREFIXES = ("ي", "ت", "ن")
_APPOSITION_OPENERS = frozenset(match_key(w) for w in ("في", "ضمن", "وسط", "خلال"))


# ── lexicon ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Sense:
    type: str | None  # None: a blocking phrase
    plover: str | None
    verb: bool
    lemma: str
    near: frozenset[str] = frozenset()
    near_prefixes: tuple[str, ...] = ()
    window: int = _NEAR_WINDOW  # 0: the whole sentence
    root: str = ""
    tense: str = ""  # for verb forms: perfect | imperfect | future (س + imperfect)

    def needs_context(self) -> bool:
        return bool(self.near or self.near_prefixes)


def _bare(key: str) -> str:
    """A match key without its article (الهجوم → هجوم)."""
    return key[2:] if key.startswith("ال") and len(key) > 3 else key


@lru_cache(maxsize=131072)
def _bare_key_set(key: str) -> frozenset[str]:
    """The article-less forms of a word's proclitic variants (:func:`key_variants`). Cached by
    key: the same words stand near triggers in every report."""
    return frozenset(_bare(v) for v, _ in key_variants(key))


def _root(phrase: str) -> str:
    """A rough consonant skeleton of a lemma's first word, so that a verb and its verbal noun
    share it (هاجم/هجوم → هجم، اتفق/اتفاق → تفق، أفرج/إفراج → فرج) for telling repeated mentions."""
    key = _bare(match_key(phrase.split(" ")[0]))
    if key.startswith("است") and len(key) > 5:
        key = key[3:]
    elif key.startswith("ا") and len(key) > 3:
        key = key[1:]
    if key.endswith("ات") and len(key) > 4:
        key = key[:-2]
    elif key.endswith("ه") and len(key) > 3:
        key = key[:-1]
    if not key:
        return key
    skeleton = key[0] + "".join(ch for ch in key[1:] if ch not in "اوي")
    return skeleton[1:] if skeleton[0] in ("م", "ت") and len(skeleton) > 3 else skeleton


def _suffix_stem(word: str) -> str:
    """The stem a suffix attaches to: ة becomes ت (إعادة → إعادت-هم)."""
    return word[:-1] + "ت" if word.endswith("ة") else word


def _verb_forms(phrase: str, imperfect: bool, guarded: bool) -> list[tuple[str, str]]:
    """(form, tense): perfect forms, and imperfect ones with and without the future prefix س,
    each also with object pronouns. Bare 3ms + ه is spelled like a noun in ة (سيطره = سيطرة,
    نشره = نشرة), so it is generated only for rows whose context words guard them."""
    first, _, rest = phrase.partition(" ")
    forms = [(first + s, "perfect") for s in ("", "ت", "وا", "ا", "تا", "ن", "نا", "تم")]
    if imperfect:
        stem = first[1:] if first[0] in "اأإ" else first
        for prefix in _IMPERFECT_PREFIXES:
            forms += [(pre + prefix + stem + s, "future" if pre else "imperfect")
                      for pre in ("", "س") for s in ("", "ون", "ان", "ن")]
    with_objects = []
    for form, tense in forms:
        base = form[:-1] if form.endswith("وا") else form  # قتلوا + ه → قتلوه
        pronouns = ("ه", "ها", "هم", "هما") if form != first or guarded else ("ها", "هم", "هما")
        with_objects += [(base + p, tense) for p in pronouns]
    return [(f"{f} {rest}".strip(), tense) for f, tense in forms + with_objects]


def _noun_forms(phrase: str) -> list[str]:
    first, *rest = phrase.split(" ")
    stem = _suffix_stem(first)
    heads = [first, "ال" + first, stem + "ين", stem + "ان", "ال" + stem + "ين", "ال" + stem + "ان"]
    heads += [stem + p for p in ("ه", "ها", "هم", "هما", "هن")]
    accusative = not first.endswith(("ة", "ا", "ى", "ء", "ي"))
    if accusative:
        heads.append(first + "ا")
    forms = [" ".join([h, *rest]) for h in heads]
    if rest:
        definite_rest = ["ال" + w if not w.startswith("ال") else w for w in rest]
        forms += [" ".join(["ال" + first, *definite_rest]), " ".join([first, *definite_rest])]
        if accusative:
            forms.append(" ".join([first + "ا", *(w + "ا" if not w.endswith(("ة", "ا")) else w for w in rest)]))
    return forms


def _forms(phrase: str, kind: str, guarded: bool) -> list[tuple[str, str]]:
    if kind == "v":
        return _verb_forms(phrase, imperfect=True, guarded=guarded)
    if kind == "vp":
        return _verb_forms(phrase, imperfect=False, guarded=guarded)
    if kind == "n":
        return [(form, "") for form in _noun_forms(phrase)]
    if kind == "=v":
        return [(phrase, "perfect")]
    if kind == "=i":
        return [(phrase, "imperfect")]
    return [(phrase, "")]


def _near(spec: str) -> tuple[frozenset[str], tuple[str, ...]]:
    exact, prefixes = set(), []
    for item in spec.split("|"):
        item = item.strip()
        if not item or item == "-":
            continue
        if item.endswith("*"):
            prefixes.append(_bare(match_key(item[:-1])))
        else:
            exact.add(_bare(match_key(item)))
    return frozenset(exact), tuple(prefixes)


class _Lexicon:
    """Phrases keyed by the match keys of their words; the longest phrase starting at a word wins.

    Like :class:`marsad.extract.phrases.PhraseMatcher`, but it reads the proclitic variants of
    each word from the document (computed once per word, shared by triggers, cues and context
    words) and skips at once the many words that cannot begin any phrase."""

    def __init__(self, entries: dict[tuple[str, ...], tuple]) -> None:
        self.index = entries
        self.longest: dict[str, int] = {}  # first word -> the most words of a phrase it begins
        for k in entries:
            self.longest[k[0]] = max(self.longest.get(k[0], 0), len(k))
        self.firsts = frozenset(self.longest)
        # the first two words of every longer phrase: a word and the next that are none of these
        # begin at most a one-word phrase (most tries of a longer phrase fail so)
        self.pairs = frozenset(k[:2] for k in entries if len(k) > 1)

    def match_at(self, doc: _Doc, i: int) -> PhraseHit | None:
        ws = doc.words
        for variant, clitic_len in doc.variants(i):
            if variant not in self.firsts:
                continue
            most = min(self.longest[variant], len(ws) - i)
            if most > 1 and (variant, ws[i + 1].key) not in self.pairs:
                most = 1
            rest = [w.key for w in ws[i + 1:i + most]]  # the keys of the words after it, once
            for n in range(most, 0, -1):
                key = (variant, *rest[:n - 1])
                found = self.index.get(key)
                if found is not None:
                    start = _after_letters(doc.text, ws[i].start, clitic_len)
                    return PhraseHit(i, i + n - 1, start, ws[i + n - 1].end, found)
        return None


def _after_letters(text: str, start: int, letters: int) -> int:
    """Offset after ``letters`` base letters from ``start`` (marks and tatweel ride on their letter)."""
    pos = start
    while letters and pos < len(text):
        pos += 1
        while pos < len(text) and (unicodedata.combining(text[pos]) or text[pos] == "\u0640"):
            pos += 1
        letters -= 1
    return pos


@cache
def _triggers() -> _Lexicon:
    senses: dict[tuple[str, ...], list[_Sense]] = {}
    for row in read_rows("event_triggers.tsv"):
        phrase, etype, plover = row[0], row[1], row[2]
        kind = row[3] if len(row) > 3 and row[3] else "="
        near, prefixes = _near(row[4]) if len(row) > 4 else (frozenset(), ())
        window = int(row[5]) if len(row) > 5 and row[5] else _NEAR_WINDOW
        sense = _Sense(None if etype == "-" else etype, None if plover == "-" else plover,
                       kind in ("v", "vp", "=v", "=i"), phrase, near, prefixes, window, _root(phrase))
        for form, tense in _forms(phrase, kind, bool(near or prefixes)):
            key = tuple(w.key for w in words(form))
            if not key:
                continue
            form_sense = replace(sense, tense=tense) if tense else sense
            known = senses.setdefault(key, [])
            same = next((i for i, s in enumerate(known)
                         if (s.type, s.near, s.near_prefixes) == (sense.type, sense.near, sense.near_prefixes)), None)
            if same is None:
                known.append(form_sense)
            elif known[same].verb and not sense.verb:  # تسلل is a verb and a noun: read it as a noun
                known[same] = form_sense
    return _Lexicon({key: tuple(found) for key, found in senses.items()})


@dataclass(frozen=True, slots=True)
class _Cue:
    modality: str
    before: bool
    reach: int
    imperfect: bool


@cache
def _modality() -> tuple[_Lexicon, frozenset[str]]:
    cues: dict[tuple[str, ...], list[_Cue]] = {}
    not_cues: set[str] = set()
    for row in read_rows("modality_cues.tsv"):
        cue, modality, reach = row[0], row[1], row[2] if len(row) > 2 else "before:8"
        if modality == "-":
            not_cues.add(match_key(cue))
            continue
        where, _, n = reach.partition(":")
        key = tuple(w.key for w in words(cue))
        cues.setdefault(key, []).append(_Cue(modality, where != "after", int(n or 8),
                                             len(row) > 3 and row[3] == "imperfect"))
    return _Lexicon({key: tuple(found) for key, found in cues.items()}), frozenset(not_cues)


@cache
def _first_keys() -> frozenset[str]:
    """Every key a trigger or cue phrase can begin with, for skipping the other words cheaply."""
    return _triggers().firsts | _modality()[0].firsts


# ── extraction ────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _Mention:
    hit: PhraseHit
    sense: _Sense
    start: int
    end: int
    sentence: int
    coordinated: bool  # the first word carries و/ف: a new clause or a new item
    definite: bool  # the article added to the lemma (الهجوم) or a demonstrative before it (هذا الهجوم)
    demonstrative: bool
    bare: bool  # one word, not followed by a definite modifier or a relative clause
    imperfect: bool  # a verb in the imperfect: habitual or modal unless a perfect trigger joins it
    future: bool  # س + imperfect (ستعتقل)
    joined: bool  # coordinated itself or through the word before it (… وتكثيف الطلعات)


class _Doc:
    """Per-document indexes over the words, names and clause breaks the rules look at."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.words = ctx.words
        self.breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]
        self.names = sorted(ctx.analysis.entities, key=lambda m: m.start)
        self._name_starts = [m.start for m in self.names]
        self._variants: dict[int, list[tuple[str, int]]] = {}
        self._bare_keys: dict[int, frozenset[str]] = {}
        self._cues: dict[int, PhraseHit | None] = {}
        self.cue_lexicon, self.not_cues = _modality()
        self.trigger_starts: list[int] = []

    def could_start(self, i: int) -> bool:
        """Cheap test: might some trigger or cue phrase begin at word ``i`` (clitics included)?"""
        key = self.words[i].key
        found = _START_CACHE.get(key)
        if found is None:
            firsts = _first_keys()
            found = key in firsts or key[1:] in firsts or key[2:] in firsts or "ا" + key[1:] in firsts \
                or "ا" + key[2:] in firsts
            if len(_START_CACHE) > 200_000:
                _START_CACHE.clear()
            _START_CACHE[key] = found
        return found

    def start_indices(self) -> list[int]:
        """The words at which :meth:`could_start` holds, ascending (one pass, mostly dict lookups)."""
        get, could_start = _START_CACHE.get, self.could_start
        return [i for i, w in enumerate(self.words) if (found := get(w.key)) or (found is None and could_start(i))]

    def variants(self, i: int) -> list[tuple[str, int]]:
        found = self._variants.get(i)
        if found is None:
            found = self._variants[i] = key_variants(self.words[i].key)
        return found

    def cue_at(self, i: int) -> PhraseHit | None:
        if i not in self._cues:
            self._cues[i] = self.cue_lexicon.match_at(self, i) if self.could_start(i) else None
        return self._cues[i]

    def names_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._name_starts, start)
        hi = bisect.bisect_left(self._name_starts, end)
        return [m for m in self.names[lo:hi] if m.end <= end]

    def name_at(self, offset: int) -> Mention | None:
        i = bisect.bisect_right(self._name_starts, offset) - 1
        return self.names[i] if i >= 0 and self.names[i].start <= offset < self.names[i].end else None

    def trigger_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.trigger_starts, start)
        return i < len(self.trigger_starts) and self.trigger_starts[i] < end

    def clause_break_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.breaks, start)
        return i < len(self.breaks) and self.breaks[i] < end

    def clause(self, start: int, end: int, sentence_start: int, sentence_end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.breaks, start)
        lo = self.breaks[i - 1] + 1 if i > 0 and self.breaks[i - 1] >= sentence_start else sentence_start
        j = bisect.bisect_left(self.breaks, end)
        hi = self.breaks[j] if j < len(self.breaks) and self.breaks[j] < sentence_end else sentence_end
        return lo, hi

    def bare_keys(self, i: int) -> frozenset[str]:
        found = self._bare_keys.get(i)
        if found is None:
            found = self._bare_keys[i] = _bare_key_set(self.words[i].key)
        return found

    def context_holds(self, sense: _Sense, first: int, last: int, lo: int, hi: int) -> bool:
        if sense.window:
            lo, hi = max(lo, first - sense.window), min(hi, last + 1 + sense.window)
        near, prefixes = sense.near, sense.near_prefixes
        for i in (*range(lo, first), *range(last + 1, hi)):
            keys = self.bare_keys(i)
            # str.startswith with a tuple: does the key start with any of the prefixes
            if not keys.isdisjoint(near) or (prefixes and any(k.startswith(prefixes) for k in keys)):
                return True
        return False


def find_events(analysis: Analysis) -> list[Event]:
    doc = _Doc(DocContext(analysis))
    events: list[Event] = []
    seen_lemmas: set[tuple[str, str]] = set()
    seen_types: set[str] = set()
    group: list[_Mention] = []
    previous: tuple[list[_Mention], Event] | None = None

    def close() -> None:
        nonlocal previous
        if not group:
            return
        event = _event(doc, group, previous)
        previous = (list(group), event)
        if all(m.imperfect for m in group) and event.modality == "asserted":
            return  # تعتقل في سجونها، نستهدف إنهاء الملف: habitual or intended, not a reported event
        events.append(event)
        if event.modality == "asserted":  # what is feared or planned is no antecedent
            seen_lemmas.update((event.type, m.sense.root) for m in group)
            seen_types.add(event.type)

    mentions = _mentions(doc)
    doc.trigger_starts = [m.start for m in mentions]
    for m in mentions:
        if group and _same_instance(doc, group, m):
            group.append(m)
            continue
        close()
        group = []
        if _refers_back(m, seen_lemmas, seen_types):
            continue  # الهجوم، هذا الهجوم، خلال اللقاء: a later mention of an event already recorded
        group = [m]
    close()
    return events


def _refers_back(m: _Mention, lemmas_seen: set[tuple[str, str]], types_seen: set[str]) -> bool:
    """A definite mention of an event already recorded: the same lemma (الهجوم after هجوم), or any
    event of its type when the noun stands bare (خلال اللقاء after استقبل) or after a demonstrative."""
    etype = m.sense.type
    if not m.definite or etype is None:
        return False
    if (etype, m.sense.root) in lemmas_seen:
        return True
    return etype in types_seen and (m.bare or m.demonstrative)


def _mentions(doc: _Doc) -> list[_Mention]:
    ctx, ws = doc.ctx, doc.words
    lexicon = _triggers()
    found: list[_Mention] = []
    i = 0  # the next word a trigger may start at
    for j in doc.start_indices():  # no trigger begins at the other words
        if j < i:
            continue
        i = j
        hit = lexicon.match_at(doc, i)
        if hit is None:
            i += 1
            continue
        sentence_no = ctx.sentence_index(hit.start)
        sentence = ctx.sentences[sentence_no]
        lo, hi = ctx.words_between(sentence.start, sentence.end)
        sense = next((s for s in hit.value  # type: ignore[attr-defined]
                      if not s.needs_context() or doc.context_holds(s, hit.first, hit.last, lo, hi)), None)
        if sense is None:
            i += 1
            continue
        i = hit.last + 1
        if sense.type is None:
            continue  # a blocking phrase
        first_word = ws[hit.first]
        coordinated = hit.start > first_word.start and doc.text[first_word.start] in "وف"
        head_key = match_key(doc.text[hit.start:first_word.end])
        lemma_key = match_key(sense.lemma.split(" ")[0])
        demonstrative = hit.first > 0 and ws[hit.first - 1].key in _DEMONSTRATIVES
        definite = demonstrative or (head_key.startswith("ال") and not lemma_key.startswith("ال"))
        following = ws[hit.last + 1] if hit.last + 1 < hi else None
        if following is not None and doc.clause_break_between(hit.end, following.start):
            following = None
        if definite and following is not None and following.key in _RELATIVES:
            definite = demonstrative = False  # الهجوم الذي استهدف …: a relative clause introduces it
        bare = hit.first == hit.last and (following is None or not following.key.startswith("ال")
                                          and following.key not in _ARGUMENT_WORDS)
        if sense.type == "CLASH" and not sense.verb and following is not None and _starts_place(doc, following):
            continue  # معارك الموصل: a named battle of the past, not an event of the report
        future = sense.tense == "future"
        imperfect = future or sense.tense == "imperfect"
        before_key = ws[hit.first - 1].key if hit.first > lo else ""
        joined = coordinated or (
            (before_key[:1] in ("و", "ف") or before_key in _DISJUNCTIONS)  # … وتكثيف الطلعات، قتل أو تفجير
            and not doc.clause_break_between(ws[hit.first - 1].end, hit.start))
        found.append(_Mention(hit, sense, hit.start, hit.end, sentence_no, coordinated, definite,
                              demonstrative, bare, imperfect, future, joined))
    return found


def _starts_place(doc: _Doc, w: Word) -> bool:
    name = doc.name_at(w.start)
    return name is not None and name.type == "LOC"


def _same_instance(doc: _Doc, group: list[_Mention], b: _Mention) -> bool:
    """Whether trigger ``b`` describes the event of ``group`` rather than a new one."""
    a = group[-1]
    if a.sentence != b.sentence or b.coordinated:
        return False
    gap = b.hit.first - a.hit.last - 1
    if a.sense.type != b.sense.type:
        # ضربات استهدفت مواقع …: the verb describes the strikes, it is no second attack
        return group[0].sense.type == "AIRSTRIKE" and b.sense.type == "ATTACK" and b.sense.verb and gap <= 2 \
            and not doc.clause_break_between(a.end, b.start)
    if any(_future_verb(doc, i) for i in range(a.hit.last + 1, b.hit.first)):
        return False  # خطة … ستركز على نشر …: a new predicate
    if doc.clause_break_between(a.end, b.start):
        return gap <= _APPOSITION_GAP and _apposition(doc, a, b)
    return gap <= _MERGE_GAP


def _apposition(doc: _Doc, a: _Mention, b: _Mention) -> bool:
    """"…، في أحدث دفعة" / "…"، ضمن خطة استنفار": after the last break, a prepositional phrase
    (at most two words before the trigger) that elaborates the same event."""
    i = bisect.bisect_left(doc.breaks, b.start) - 1
    if i < 0 or doc.breaks[i] < a.end or doc.clause_break_between(a.end, doc.breaks[i]):
        return False  # more than one break between them
    lo, hi = doc.ctx.words_between(doc.breaks[i], b.start)
    opening = doc.words[lo:hi] if hi > lo else [doc.words[b.hit.first]]
    return len(opening) <= 2 and any(v in _APPOSITION_OPENERS for v, _ in key_variants(opening[0].key))


# ── arguments ─────────────────────────────────────────────────────────────────────────────


def _event(doc: _Doc, group: list[_Mention], previous: tuple[list[_Mention], Event] | None) -> Event:
    ctx = doc.ctx
    head = group[0]
    start, end = head.start, _span_end(group)
    etype = head.sense.type
    assert etype is not None
    sentence = ctx.sentences[head.sentence]
    clause_lo, clause_hi = doc.clause(start, end, sentence.start, sentence.end)
    actors, targets, used = _participants(doc, group, sentence.start, sentence.end, clause_lo)
    if etype in _SYMMETRIC:
        actors, targets = _unique(actors + targets)[:_MAX_ARGS + 1], []
    place = _place(doc, start, end, sentence.start, sentence.end, clause_lo, clause_hi, used)
    quote = ctx.quote_at(start)
    return Event(
        start=start, end=end, trigger=doc.text[start:end], type=etype,
        actors=actors, targets=[t for t in targets if t not in actors],
        where=ctx.display_name(place) if place else None,
        when=_when(doc, start, end, sentence.start, sentence.end),
        source=quote.speaker if quote else None,
        modality=_modality_of(doc, group, sentence.start, sentence.end, previous, clause_lo, clause_hi),
        plover=head.sense.plover,
        confidence=_confidence(head, actors, targets),
    )


def _span_end(group: list[_Mention]) -> int:
    """The trigger span runs over the merged triggers that follow closely (هجوم مسلح استهدف،
    اتفق مع واشنطن على تشكيل لجنة); one further away is part of the event but not of its trigger."""
    end = group[0].end
    for a, b in zip(group, group[1:], strict=False):
        if b.hit.first - a.hit.last - 1 > _SPAN_GAP:
            break
        end = b.end
    return end


def _participants(
    doc: _Doc, group: list[_Mention], sentence_start: int, sentence_end: int, clause_lo: int
) -> tuple[list[str], list[str], set[int]]:
    ctx = doc.ctx
    start, end = group[0].start, group[0].end  # the head trigger: its subject may follow it
    lo, hi = sentence_start, sentence_end
    quote = ctx.quote_at(start)
    if quote is not None:  # inside a quote the speaker introduced before it is no participant
        lo, hi = max(lo, quote.start), min(hi, quote.end)
    names = [m for m in doc.names_in(lo, hi) if _can_act(doc, m)]
    before = [m for m in names if m.end <= start]
    after = [m for m in names if m.start >= end]
    actors: list[Mention] = []
    agent = _agent_phrase(doc, end, after)
    if agent is not None:
        actors.append(agent)  # … من قبل قوات سوريا الديمقراطية / على يد مسلحين
    elif group[0].sense.verb and not _subject_suffix(doc, group[0]) and after and _adjacent_subject(doc, end, after[0]):
        # verb–subject order: اعتقلت قوات الأمن …، اتفق العراق وكل من روسيا …
        actors.append(after[0])
        for m in after[1:]:
            if not _coordinated_with(doc, actors[-1].end, m.start):
                break
            actors.append(m)
    elif before:
        # subject–verb order, or the subject of a governing verb; a name before another event's
        # trigger belongs to that event unless this one is coordinated with it (قسد أفرجت … واعتقلت)
        for m in reversed(before):
            if group[0].coordinated or not doc.trigger_between(m.end, start):
                actors.append(m)
                break
    actor_names = _names(ctx, actors)
    if not actors and quote is not None and quote.speaker and _resumptive(doc, quote.start, start):
        actor_names = [quote.speaker]  # أعلن العراق أنه اتفق …: the speaker is the subject
    targets = [m for m in after if m not in actors and m.type in ("PER", "ORG")][:_MAX_ARGS]
    if group[0].sense.type in _SYMMETRIC:  # … مع نظيره الأردني، بين العراق والأردن
        topic = _topic_start(doc, end, hi)  # … سبل ملاحقة عناصر داعش: what they spoke about
        targets = [m for m in after if m not in actors and m.start < topic][:_MAX_ARGS]
    used = {id(m) for m in actors + targets}
    return actor_names, _names(ctx, targets), used


def _subject_suffix(doc: _Doc, m: _Mention) -> bool:
    """A verb that carries its subject (دخلوا، اتفقا، ضبطنا): a name after it is its object."""
    key = match_key(doc.text[m.start:doc.words[m.hit.first].end])
    lemma = match_key(m.sense.lemma.split(" ")[0])
    return m.sense.tense in ("perfect", "") and key != lemma and key.endswith(_SUBJECT_SUFFIXES) \
        and not lemma.endswith(_SUBJECT_SUFFIXES)


def _resumptive(doc: _Doc, quote_start: int, trigger_start: int) -> bool:
    """The statement opens with أنه/أنها/إنهم … and the trigger is its first verb or noun."""
    lo, hi = doc.ctx.words_between(max(0, quote_start - 8), trigger_start)
    opening = [w for w in doc.words[lo:hi] if w.end > quote_start - 8]
    return bool(opening) and len(opening) <= 2 and any(
        v in _RESUMPTIVE for v, _ in key_variants(opening[0].key))


def _topic_start(doc: _Doc, start: int, end: int) -> int:
    lo, hi = doc.ctx.words_between(start, end)
    for i in range(lo, hi):
        if doc.words[i].key in _TOPIC_WORDS:
            return doc.words[i].start
    return end


def _can_act(doc: _Doc, m: Mention) -> bool:
    """People and organisations act; so does a state named as such (اتفق العراق، نفت الولايات
    المتحدة), but not a place after a preposition (في العراق، إلى سوريا)."""
    if m.type in ("PER", "ORG"):
        return True
    if m.type != "LOC" or m.geo_kind not in ("country", None):
        return False
    i = doc.ctx.word_index_at(m.start)
    if doc.words[i].start < m.start and doc.text[doc.words[i].start] not in "وف":
        return False  # a preposition on the name: بالعراق، لسوريا
    return i == 0 or doc.words[i - 1].key not in _PLACE_PREPOSITIONS


def _agent_phrase(doc: _Doc, trigger_end: int, after: list[Mention]) -> Mention | None:
    """The name after "من قبل" or "على يد" in the trigger's clause."""
    for m in after:
        if doc.clause_break_between(trigger_end, m.start):
            return None
        lo, hi = doc.ctx.words_between(trigger_end, m.start)
        keys = [w.key for w in doc.words[max(lo, hi - 2):hi]]
        if keys in (_BY_AGENT, _AT_HANDS):
            return m
    return None


def _adjacent_subject(doc: _Doc, trigger_end: int, mention: Mention) -> bool:
    """The name follows the verb with at most one word between, and that word is no preposition."""
    lo, hi = doc.ctx.words_between(trigger_end, mention.start)
    between = doc.words[lo:hi]
    if len(between) > 1 or doc.clause_break_between(trigger_end, mention.start):
        return False
    return not any(k in _PREPOSITIONS for w in between for k, _ in key_variants(w.key))


def _coordinated_with(doc: _Doc, prev_end: int, start: int) -> bool:
    """"X وY", "X وكل من Y", "X ونظيره Y": a name joined to the previous one."""
    gap = doc.text[prev_end:start].strip()
    if doc.clause_break_between(prev_end, start) and gap not in ("،", ","):
        return False
    return gap.startswith("و") and len(gap.split()) <= 3 or gap in ("،", ",")


def _names(ctx: DocContext, mentions: list[Mention]) -> list[str]:
    return _unique([ctx.display_name(m) for m in mentions])


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def _place(doc: _Doc, start: int, end: int, s_start: int, s_end: int, c_lo: int, c_hi: int,
           used: set[int]) -> Mention | None:
    places = [m for m in doc.names_in(s_start, s_end) if m.type == "LOC" and id(m) not in used]
    if not places:
        return None
    after_in_clause = [m for m in places if end <= m.start < c_hi]
    if after_in_clause:
        return after_in_clause[0]
    before_in_clause = [m for m in places if c_lo <= m.start and m.end <= start]
    if before_in_clause:
        return before_in_clause[-1]
    return min(places, key=lambda m: min(abs(m.start - end), abs(start - m.end)))


def _when(doc: _Doc, start: int, end: int, s_start: int, s_end: int) -> str | None:
    dates = [d for d in doc.ctx.analysis.dates if s_start <= d.start < s_end and d.normalized]
    if dates:
        return min(dates, key=lambda d: (abs(d.start - end) if d.start >= end else abs(start - d.end))).normalized
    published = doc.ctx.analysis.doc.published
    if published and _says_today(doc, s_start, s_end):
        return published.isoformat()
    return None


def _says_today(doc: _Doc, s_start: int, s_end: int) -> bool:
    """"اليوم" as a word of the sentence, not part of a name (الشرق اليوم) nor "حتى اليوم"."""
    if _TODAY_TEXT not in doc.text[s_start:s_end]:
        return False
    lo, hi = doc.ctx.words_between(s_start, s_end)
    for i in range(lo, hi):
        w = doc.words[i]
        if not w.key.endswith(_TODAY) or _TODAY not in {v for v, _ in doc.variants(i)}:
            continue
        if i > 0 and doc.words[i - 1].key in _NOT_TODAY_BEFORE:
            continue
        if doc.name_at(w.start) is not None or _quoted_name(doc.text, w):
            continue
        return True
    return False


def _quoted_name(text: str, w: Word) -> bool:
    """Outlet names such as لـ"الشرق اليوم" end with a closing quotation mark right after the word."""
    return w.end < len(text) and text[w.end] in "\"”»"


def _confidence(head: _Mention, actors: list[str], targets: list[str]) -> float:
    score = 0.5 + (0.15 if actors or targets else 0.0) + (0.1 if head.sense.needs_context() else 0.0)
    return round(min(score, 0.9), 2)


# ── modality ──────────────────────────────────────────────────────────────────────────────


def _modality_of(doc: _Doc, group: list[_Mention], s_start: int, s_end: int,
                 previous: tuple[list[_Mention], Event] | None, c_lo: int, c_hi: int) -> str:
    own = _own_modality(doc, group, s_start, s_end)
    if own is None and _dated_later(doc, group[0].start, group[-1].end, c_lo, c_hi):
        return "expected"  # ويلتقي الوزير نظيره غداً
    if own is None and previous is not None and group[0].joined:
        # ودعا إلى نشر منظومات … وتكثيف الطلعات: a coordinated event shares its neighbour's modality
        prev_group, prev_event = previous
        if prev_group[0].sentence == group[0].sentence and not doc.clause_break_between(prev_event.end, group[0].start):
            return prev_event.modality
    return own or "asserted"


def _dated_later(doc: _Doc, start: int, end: int, c_lo: int, c_hi: int) -> bool:
    """A date in the trigger's clause later than the publication date (الأسبوع المقبل، غداً)."""
    published = doc.ctx.analysis.doc.published
    if published is None:
        return False
    iso = published.isoformat()
    return any(d.normalized and c_lo <= d.start < c_hi and d.normalized > iso[:len(d.normalized)]
               for d in doc.ctx.analysis.dates)


def _own_modality(doc: _Doc, group: list[_Mention], s_start: int, s_end: int) -> str | None:
    if group[0].future:
        return "expected"  # ستعتقل
    ws = doc.words
    first, last = group[0].hit.first, group[-1].hit.last
    lo, hi = doc.ctx.words_between(s_start, s_end)
    trigger_start, trigger_end = group[0].start, group[-1].end
    before: str | None = None
    for i in range(first - 1, max(lo, first - 13) - 1, -1):
        if doc.clause_break_between(ws[i].end, trigger_start):
            break
        distance = first - i
        hit = doc.cue_at(i)
        if hit is not None and hit.last < first:
            cue = next((c for c in hit.value if c.before and distance <= c.reach  # type: ignore[attr-defined]
                        and (not c.imperfect or _imperfect_at(doc, hit.last + 1))), None)
            if cue is not None:
                before = cue.modality
                break
        if distance <= 3 and _future_verb(doc, i):
            before = "expected"
            break
    after: str | None = None
    for i in range(last + 1, min(hi, last + 4)):
        if doc.clause_break_between(trigger_end, ws[i].start):
            break
        if i - last <= 2 and not group[0].sense.verb and _future_verb(doc, i):
            after = after or "expected"  # لجنة مشتركة ستشكل
            continue
        hit = doc.cue_at(i)
        if hit is None:
            continue
        cue = next((c for c in hit.value if not c.before and i - last <= c.reach  # type: ignore[attr-defined]
                    and (not c.imperfect or _imperfect_at(doc, hit.last + 1))), None)
        if cue is not None:
            after = cue.modality
            break
    if after == "asserted":
        return "asserted"
    return before or after


def _imperfect_at(doc: _Doc, i: int) -> bool:
    if i >= len(doc.words):
        return False
    key = doc.words[i].key
    return key.startswith(_IMPERFECT_PREFIXES) and len(key) >= 3


def _future_verb(doc: _Doc, i: int) -> bool:
    """س + imperfect verb (ستقوم، سيصل، سنعمل), minus nouns listed as not cues (سيارة)."""
    key = doc.words[i].key
    if "س" not in key[:3]:
        return False
    return any(len(v) >= 5 and v[0] == "س" and v[1] in "يتن" and v not in doc.not_cues for v, _ in doc.variants(i))
