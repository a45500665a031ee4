"""Finding dates in Arabic text and normalising them to YYYY-MM-DD, YYYY-MM or YYYY.

Covered: the three Gregorian month-name systems (يناير / كانون الثاني / جانفي) and dual notations
("26 ديسمبر/كانون الأول 2024", "10 أغسطس (آب)"), weekdays with or before a date ("الخميس 12
مارس", "الأحد (27 أيلول 2015)"), numeric dates (27/9/2015, 2015-09-27), years in a date context
("عام 2014", "في 2019"), Hijri dates ("21 شوال 1436 هـ", converted with ``hijridate``), and
relative expressions resolved against the publication date (اليوم، أمس، الأربعاء الماضي، الشهر
الماضي، مطلع العام الحالي، الحادي والعشرين من الشهر الجاري، يناير الماضي …). Parts of the day
(مساء الخميس) are kept in ``note``.

Resolution is as precise as the text allows and never guesses beyond it: a relative expression
without a reference date is ``None``; a day and month without a year take their year from the
reference date, or — without one — from a weekday that fixes it among the years the document
itself mentions ("الأربعاء 10 أغسطس" in a report about 2022 is 2022-08-10). When no publication
date is given, a dateline (a full date alone on one of the first lines) serves as the reference.

The search runs on the normalised text; spans are mapped back to the original. A leading
preposition (في، منذ) or proclitic (و، ب) is left out of the span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import re
from collections.abc import Iterable, Iterator

import regex
from hijridate import Gregorian, Hijri

from marsad.arabic._data import tsv_rows, yaml_data
from marsad.arabic._patterns import NOT_LETTER_AFTER, compiled
from marsad.arabic.normalise import match_key, normalise
from marsad.arabic.numbers import ordinal_day_phrases, words_alternation
from marsad.records import DateMatch


@dataclass(frozen=True, slots=True)
class MonthName:
    month: int
    system: str  # gregorian | levantine | maghrebi | hijri
    ambiguous: bool


def _key(phrase: str) -> str:
    return " ".join(match_key(phrase).split())


@cache
def month_names() -> dict[str, MonthName]:
    return {
        _key(row[0]): MonthName(int(row[1]), row[2], len(row) > 3 and row[3] == "yes")
        for row in tsv_rows("months.tsv")
    }


@cache
def weekday_names() -> dict[str, int]:
    return {_key(name): int(number) for name, number in tsv_rows("weekdays.tsv")}


@cache
def relative_lexicon() -> dict[str, object]:
    """The relative-date lexicon with every phrase folded to its match key."""
    raw = yaml_data("relative_dates.yaml")

    def keyed(mapping: dict[str, object]) -> dict[str, object]:
        return {_key(k): v for k, v in mapping.items()}

    return {
        "days": keyed(raw["days"]),
        "periods": keyed(raw["periods"]),
        "offsets": keyed(raw["offsets"]),
        "this": [_key(w) for w in raw["this"]],
        "modifiers": [_key(w) for w in raw["modifiers"]],
        "parts_of_day": keyed(raw["parts_of_day"]),
        "day_word": _key(raw["day_word"]),
        "not_today_after": frozenset(_key(w) for w in raw["not_today_after"]),
        "not_today_before": frozenset(_key(w) for w in raw["not_today_before"]),
    }


# ---------------------------------------------------------------------------------------------
# the pattern

# A date starts after a non-letter; a single proclitic (والجمعة، بيناير) is matched but left out
# of the span. Preposition before a bare year (في 2019، منذ 2014) likewise.
_START = r"(?<!\w)(?P<clitic>[وفبل](?=\w))?"
_END = NOT_LETTER_AFTER
_YEAR_CUES = r"(?:عام|العام|سنه|السنه)"
_PREPOSITIONS = r"(?:في|منذ|حتي|خلال|بحلول|قبل|بعد|مع|الي|من|ل|ب)"


@cache
def _pattern() -> re.Pattern[str]:
    rel = relative_lexicon()
    month = words_alternation(month_names())
    weekday = words_alternation(weekday_names())
    offset = words_alternation(rel["offsets"])  # type: ignore[arg-type]
    pod = words_alternation(rel["parts_of_day"])  # type: ignore[arg-type]
    modifier = words_alternation(rel["modifiers"])  # type: ignore[arg-type]
    this = words_alternation(rel["this"])  # type: ignore[arg-type]
    period = words_alternation(rel["periods"])  # type: ignore[arg-type]
    days = words_alternation(rel["days"])  # type: ignore[arg-type]
    day_word = re.escape(rel["day_word"])  # type: ignore[arg-type]
    ordinal_day = words_alternation(ordinal_day_phrases())
    day = rf"(?:\d{{1,2}}(?!\d)|(?:{ordinal_day}){_END})"
    pod_part = rf"(?:(?P<{{0}}pod>{pod})\s+)?(?:(?P<{{0}}yawm>{day_word})\s+)?"
    textual = (
        rf"(?P<A>{pod_part.format('a_')}"
        rf"(?:(?:(?P<a_wd>{weekday}){_END}(?:\s+(?P<a_wdoff>{offset}){_END})?\s*[,،]?\s*"
        rf"(?P<a_paren>\()?\s*)?(?P<a_day>{day})\s*(?:من\s+)?)?"
        rf"(?:(?P<a_mod>{modifier})\s+)?(?P<a_shahr>شهر\s+)?"
        rf"(?P<a_month>{month}){_END}"
        rf"(?:\s*[/\\]\s*(?P<a_month2>{month}){_END}|\s*\(\s*(?P<a_month3>{month})\s*\))?"
        rf"(?:\s*[,،]?\s*(?:من\s+)?(?:{_YEAR_CUES}\s+)?(?P<a_year>\d{{4}})(?!\d|[-/.]\d)"
        rf"(?:\s*(?P<a_era>ه|م){_END})?)?"
        rf"(?:\s+(?P<a_off>{offset}){_END})?"
        rf"(?:\s*(?P<a_close>\)))?)"
    )
    weekday_rel = (
        rf"(?P<B>{pod_part.format('b_')}(?P<b_wd>{weekday}){_END}"
        rf"(?:\s+(?P<b_off>{offset}){_END})?)"
    )
    fixed_day = rf"(?P<C>{pod_part.format('c_')}(?P<c_day>{days}){_END})"
    period_rel = (
        rf"(?P<D>(?:(?P<d_mod>{modifier})\s+)?(?:(?P<d_this>{this})\s+(?P<d_period_this>{period})"
        rf"|(?P<d_period>{period})\s+(?P<d_off>{offset})){_END}"
        rf"|(?P<d_mod2>{modifier})\s+(?P<d_period2>{period}){_END}(?!\s*(?:\d|{offset}{_END})))"
    )
    day_of_month = (
        rf"(?P<E>(?P<e_day>{day})\s+من\s+(?:(?P<e_this>{this})\s+)?الشهر"
        rf"(?:\s+(?P<e_off>{offset}))?{_END})"
    )
    numeric = (
        r"(?P<F>(?<![\d/.\-])(?:(?P<f_y>\d{4})[-/.](?P<f_m>\d{1,2})[-/.](?P<f_d>\d{1,2})"
        r"|(?P<f_d2>\d{1,2})(?P<f_sep>[-/.])(?P<f_m2>\d{1,2})(?P=f_sep)(?P<f_y2>\d{4}|\d{2}))"
        r"(?!\d|[/.\-]\d))"
    )
    year = (
        rf"(?P<G>(?:(?P<g_cue>(?:(?:{modifier})\s+)?{_YEAR_CUES})\s+|{_PREPOSITIONS}\s*)"
        rf"(?P<g_year>\d{{4}})(?!\d|[-/.]\d)(?:\s*(?P<g_era>ه|م){_END})?)"
    )
    return re.compile(
        f"{_START}(?:{textual}|{weekday_rel}|{fixed_day}|{period_rel}|{day_of_month}"
        f"|{numeric}|{year})"
    )


@cache
def _anchor_pattern() -> re.Pattern[str]:
    """Words that every date expression contains (a month, a weekday, أمس/اليوم, a period word)
    or digits. Scanning for these first and trying the full pattern only at the few word starts
    just before each is three to four times faster than running it over the whole text."""
    rel = relative_lexicon()
    others = [*weekday_names(), *rel["days"]]  # type: ignore[misc]
    return re.compile(
        rf"(?P<digits>\d+)|(?<!\w)[وفبل]?(?:(?P<month>{words_alternation(month_names())})"
        rf"|(?P<period>{words_alternation(rel['periods'])})"  # type: ignore[arg-type]
        rf"|(?P<other>{words_alternation(others)})){_END}"
    )


# How far before its anchor a date can start (characters of normalised text): a part of the day,
# يوم, a weekday with الماضي and "(" before a day; an ordinal day and "من شهر" before a month;
# an ordinal day and "من هذا" before الشهر.
_LOOK_BEHIND = {"digits": 40, "month": 64, "period": 36, "other": 20}
_WORD_START = re.compile(r"(?<!\w)\w")


def _scan(norm: str) -> list[re.Match[str]]:
    """The matches of the full pattern, leftmost first as ``finditer`` would give them, tried
    only at the word starts shortly before each anchor."""
    pattern = _pattern()
    found: list[re.Match[str]] = []
    pos = 0
    for anchor in _anchor_pattern().finditer(norm):
        if anchor.end() <= pos:
            continue
        window = max(pos, anchor.start() - _LOOK_BEHIND[anchor.lastgroup or "month"])
        for start in _WORD_START.finditer(norm, window, anchor.start() + 1):
            m = pattern.match(norm, start.start())
            if m is not None and m.end() > anchor.start():
                found.append(m)
                pos = m.end()
                break
    return found


def _span_start(m: re.Match[str], kind: str) -> int:
    """Where the date itself starts: after a proclitic or a preposition."""
    if kind == "G":
        return m.start("g_cue") if m.group("g_cue") else m.start("g_year")
    return m.end("clitic") if m.group("clitic") else m.start()


# ---------------------------------------------------------------------------------------------
# resolution helpers


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_value(token: str | None) -> int | None:
    if token is None:
        return None
    token = " ".join(token.split())
    if token.isdigit():
        value = int(token)
        return value if 1 <= value <= 31 else None
    return ordinal_day_phrases().get(token)


def _year_for_month(month: int, offset: int | None, ref: dt.date) -> int:
    """The year of a month named without one: الماضي = the latest such month before the
    reference month, المقبل = the next one after it, الجاري = this year; with no word, the
    nearest one, leaning to the past (news reports mostly tell what happened)."""
    if offset == -1:
        return ref.year if month < ref.month else ref.year - 1
    if offset == 1:
        return ref.year if month > ref.month else ref.year + 1
    if offset == 0:
        return ref.year
    ref_index = ref.year * 12 + ref.month

    def cost(year: int) -> int:
        distance = ref_index - (year * 12 + month)
        return distance if distance >= 0 else -3 * distance

    return min((ref.year, ref.year - 1, ref.year + 1), key=cost)


def _year_for_day(month: int, day: int, weekday: int | None, offset: int | None,
                  ref: dt.date | None, context_years: Iterable[int]) -> int | None:
    if ref is not None:
        if weekday is not None:
            for year in (ref.year, ref.year - 1, ref.year + 1):
                found = _valid(year, month, day)
                if found and found.weekday() == weekday:
                    return year
        if offset is not None:
            return _year_for_month(month, offset, ref)

        def cost(year: int) -> int:
            found = _valid(year, month, day)
            if found is None:
                return 10**6
            distance = (ref - found).days
            return distance if distance >= 0 else -3 * distance

        return min((ref.year, ref.year - 1, ref.year + 1), key=cost)
    if weekday is None:
        return None
    # no reference date: a weekday fixes the year among those the document talks about
    for base in context_years:
        for year in (base, base - 1, base + 1):
            found = _valid(year, month, day)
            if found and found.weekday() == weekday:
                return year
    return None


def _hijri_to_text(year: int, month: int, day: int | None) -> str | None:
    try:
        if day is not None:
            return Hijri(year, month, day).to_gregorian().isoformat()
        first = Hijri(year, month, 1).to_gregorian()
        last = Hijri(year, month, Hijri(year, month, 1).month_length()).to_gregorian()
    except (ValueError, OverflowError):
        return None
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}" if first.year == last.year else None


def _hijri_year_to_text(year: int) -> str | None:
    try:
        first = Hijri(year, 1, 1).to_gregorian()
        last = Hijri(year, 12, Hijri(year, 12, 1).month_length()).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return f"{first.year:04d}" if first.year == last.year else None


def _hijri_without_year(month: int, day: int | None, offset: int | None,
                        ref: dt.date | None) -> str | None:
    """"رمضان الماضي": the Hijri year comes from the reference date, as for Gregorian months."""
    if ref is None:
        return None
    try:
        today = Gregorian(ref.year, ref.month, ref.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    if offset == -1:
        year = today.year if month < today.month else today.year - 1
    elif offset == 1:
        year = today.year if month > today.month else today.year + 1
    else:
        year = today.year if month <= today.month or offset == 0 else today.year - 1
    return _hijri_to_text(year, month, day)


def _weekday_date(weekday: int, offset: int | None, ref: dt.date) -> dt.date:
    """A weekday named alone: the latest such day on or before the reference date; with
    الماضي strictly before it, with المقبل/القادم strictly after it."""
    if offset == 1:
        return ref + dt.timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
    if offset == -1:
        return ref - dt.timedelta(days=(ref.weekday() - weekday - 1) % 7 + 1)
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    start: int  # in the normalised text
    end: int
    normalized: str | None
    calendar: str = "gregorian"
    relative: bool = False
    note: tuple[int, int] | None = None  # span of the part of day, in the normalised text
    year: int | None = None  # an explicitly written Gregorian year
    weekday_only: bool = False  # a bare weekday reference (الجمعة، يوم الاثنين الماضي)


def _note(m: re.Match[str], group: str) -> tuple[int, int] | None:
    return m.span(group) if m.group(group) else None


def _offset(word: str | None) -> int | None:
    if word is None:
        return None
    return int(relative_lexicon()["offsets"][" ".join(word.split())])  # type: ignore[index]


_WEEKDAY_DATE_GAP = regex.compile(r"[\s,،]*")


def _merge_weekday_dates(found: list[_Found], norm: str) -> list[_Found]:
    """"يوم الجمعة 14/3/2025": a weekday followed at once by a full date is one date, the
    explicit one (the weekday only names its day)."""
    out: list[_Found] = []
    for item in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.relative and prev.weekday_only and not item.relative
                and item.normalized is not None and len(item.normalized) == 10
                and _WEEKDAY_DATE_GAP.fullmatch(norm, prev.end, item.start)):
            item.start = prev.start
            item.note = item.note or prev.note
            out[-1] = item
            continue
        out.append(item)
    return out


def find_dates(text: str, published: dt.date | None = None) -> list[DateMatch]:
    """Every date expression in ``text`` (spans into the original text)."""
    normalised = normalise(text)
    norm = normalised.text
    raw = _scan(norm)
    # explicitly written years with their positions: a weekday can pick among them
    year_positions = [
        (m.start(), int(y)) for m in raw
        for y in (m.group("a_year"), m.group("f_y"), m.group("f_y2"), m.group("g_year"))
        if y and len(y) == 4 and 1900 <= int(y) <= 2100
    ]
    ref = published or _dateline(raw, norm)
    found: list[_Found] = []
    for m in raw:
        item = _resolve(m, norm, ref, _YearsNear(year_positions, m.start()))
        if item is not None:
            found.append(item)
    found = _merge_weekday_dates(found, norm)
    matches: list[DateMatch] = []
    for item in found:
        start, end = normalised.span_to_original(item.start, item.end)
        note = None
        if item.note is not None:
            note_start, note_end = normalised.span_to_original(*item.note)
            note = text[note_start:note_end]
        matches.append(DateMatch(start, end, text[start:end], item.normalized, item.calendar,
                                 item.relative, note))
    return matches


class _YearsNear:
    """The years a document mentions, nearest to a position first (sorted only when asked)."""

    def __init__(self, positioned: list[tuple[int, int]], at: int) -> None:
        self._positioned, self._at = positioned, at

    def __iter__(self) -> Iterator[int]:
        return iter([year for _, year in sorted((abs(p - self._at), y) for p, y in self._positioned)])


def _dateline(raw: list[re.Match[str]], norm: str) -> dt.date | None:
    """A full date standing alone on one of the first three lines is the report's date."""
    head_end = 0
    for _ in range(3):
        next_break = norm.find("\n", head_end)
        head_end = len(norm) if next_break < 0 else next_break + 1
    for m in raw:
        if m.start() >= head_end:
            break
        line_start = norm.rfind("\n", 0, m.start()) + 1
        line_end = norm.find("\n", m.end())
        line_end = len(norm) if line_end < 0 else line_end
        if norm[line_start:m.start()].strip() or norm[m.end():line_end].strip():
            continue
        item = _resolve(m, norm, None, _YearsNear([], 0))
        if item and item.normalized and len(item.normalized) == 10 and not item.relative:
            return dt.date.fromisoformat(item.normalized)
    return None


def _resolve(m: re.Match[str], norm: str, ref: dt.date | None,
             context_years: Iterable[int]) -> _Found | None:
    kind = next(name for name in "ABCDEFG" if m.group(name) is not None)
    day_text = m.group("a_day") if kind == "A" else m.group("e_day") if kind == "E" else None
    if day_text and not day_text.strip().isdigit() and _ordinal_is_adjective(m, norm):
        if kind != "A":
            return None
        # "في الربع الثالث من شهر آب": drop the ordinal, keep the month
        rest = _pattern().match(norm, m.start("a_shahr") if m.group("a_shahr") else m.start("a_month"))
        if rest is None or rest.group("A") is None or rest.group("a_day"):
            return None
        return _resolve(rest, norm, ref, context_years)
    item = _resolve_kind(kind, m, norm, ref, context_years)
    if item is not None:
        item.start = _span_start(m, kind)
    return item


_DEFINITE_BEFORE = regex.compile(r"(?<!\p{L})(ال\p{L}+)\s+$")


def _ordinal_is_adjective(m: re.Match[str], norm: str) -> bool:
    """"النصف الثاني من رمضان"، "الأيام العشرة الأولى من رمضان": an ordinal right after a
    definite noun agrees with that noun; it does not name a day of the month."""
    if m.group("clitic") or any(m.group(g) for g in ("a_pod", "a_yawm", "a_wd", "e_this")
                                if g in m.re.groupindex):
        return False
    before = _DEFINITE_BEFORE.search(norm, max(0, m.start() - 20), m.start())
    if before is None:
        return False
    word = before.group(1)
    rel = relative_lexicon()
    return not (word in weekday_names() or word in rel["days"] or word == "ال" + str(rel["day_word"])
                or word in rel["parts_of_day"])  # type: ignore[operator]


def _resolve_kind(kind: str, m: re.Match[str], norm: str, ref: dt.date | None,
                  context_years: Iterable[int]) -> _Found | None:
    if kind == "A":
        return _resolve_textual(m, ref, context_years)
    if kind == "B":
        weekday = weekday_names()[m.group("b_wd")]
        offset = _offset(m.group("b_off"))
        value = _weekday_date(weekday, offset, ref).isoformat() if ref else None
        return _Found(m.start(), m.end(), value, relative=True, note=_note(m, "b_pod"),
                      weekday_only=True)
    if kind == "C":
        return _resolve_fixed_day(m, norm, ref)
    if kind == "D":
        return _resolve_period(m, ref)
    if kind == "E":
        day = _day_value(m.group("e_day"))
        offset = _offset(m.group("e_off"))
        if offset is None and not m.group("e_this") and not m.group("e_off"):
            offset = 0
        value = None
        if ref and day:
            year, month = _shift_month(ref.year, ref.month, offset or 0)
            date = _valid(year, month, day)
            value = date.isoformat() if date else None
        return _Found(m.start(), m.end(), value, relative=True)
    if kind == "F":
        return _resolve_numeric(m)
    if kind == "G":
        year = int(m.group("g_year"))
        if m.group("g_era") == "ه":
            if not 1300 <= year <= 1500:
                return None
            return _Found(m.start(), m.end(), _hijri_year_to_text(year), calendar="hijri")
        if not 1800 <= year <= 2100:
            return None
        return _Found(m.start(), m.end(), f"{year:04d}", year=year)
    return None


def _resolve_textual(m: re.Match[str], ref: dt.date | None, context_years: Iterable[int]) -> _Found | None:
    name = month_names()[" ".join(m.group("a_month").split())]
    day_text, year_text = m.group("a_day"), m.group("a_year")
    day = _day_value(day_text)
    if day_text and day is None:
        return None
    offset = _offset(m.group("a_off"))
    has_context = any(m.group(g) for g in ("a_day", "a_year", "a_month2", "a_month3", "a_off", "a_shahr"))
    if name.ambiguous and not has_context:
        return None
    start, end = m.start(), m.end()
    if m.group("a_close") and not m.group("a_paren") and not m.group("a_month3"):
        end = m.start("a_close")  # a closing parenthesis that does not belong to the date
        while end > start and m.string[end - 1].isspace():
            end -= 1
    note = _note(m, "a_pod")
    era = m.group("a_era")
    if name.system == "hijri" or era == "ه":
        if not year_text:
            value = _hijri_without_year(name.month, day, offset, ref)
            return _Found(start, end, value, calendar="hijri", relative=True, note=note)
        value = _hijri_to_text(int(year_text), name.month, day)
        return _Found(start, end, value, calendar="hijri", note=note)
    if year_text:
        year = int(year_text)
        if day is None:
            return _Found(start, end, f"{year:04d}-{name.month:02d}", note=note, year=year)
        date = _valid(year, name.month, day)
        return _Found(start, end, date.isoformat() if date else None, note=note, year=year)
    weekday = weekday_names()[m.group("a_wd")] if m.group("a_wd") else None
    if day is None:
        if ref is None:
            return _Found(start, end, None, relative=True, note=note)
        year = _year_for_month(name.month, offset, ref)
        return _Found(start, end, f"{year:04d}-{name.month:02d}", relative=True, note=note)
    inferred = _year_for_day(name.month, day, weekday, offset, ref, context_years)
    date = _valid(inferred, name.month, day) if inferred else None
    return _Found(start, end, date.isoformat() if date else None, relative=True, note=note)


_QUOTE_OPEN_WORD = regex.compile(r"[\"“«„']\s*(?:\p{L}+\s+){1,2}$")
_QUOTE_CLOSE = regex.compile(r"\s*[\"”»“']")


def _resolve_fixed_day(m: re.Match[str], norm: str, ref: dt.date | None) -> _Found | None:
    rel = relative_lexicon()
    phrase = " ".join(m.group("c_day").split())
    if phrase == "اليوم" and not m.group("c_pod") and not m.group("c_yawm"):
        if _QUOTE_OPEN_WORD.search(norm, max(0, m.start() - 30), m.start()) and _QUOTE_CLOSE.match(
            norm, m.end()
        ):
            return None  # «الشرق اليوم»: the last word of a quoted name (an outlet, a programme)
        after = compiled(r"\s+(\p{L}+)").match(norm[m.end():m.end() + 20])
        before = compiled(r"(?:[وف](?=\p{L}{3}))?(\p{L}+)\s+$").search(norm[max(0, m.start() - 20):m.start()])
        if (after and after.group(1) in rel["not_today_after"]) or (  # type: ignore[operator]
            before and before.group(1) in rel["not_today_before"]  # type: ignore[operator]
        ):
            return None
    days = int(rel["days"][phrase])  # type: ignore[index]
    value = (ref + dt.timedelta(days=days)).isoformat() if ref else None
    return _Found(m.start(), m.end(), value, relative=True, note=_note(m, "c_pod"))


def _resolve_period(m: re.Match[str], ref: dt.date | None) -> _Found:
    rel = relative_lexicon()
    period_word = m.group("d_period") or m.group("d_period_this") or m.group("d_period2")
    modifier = m.group("d_mod") or m.group("d_mod2")
    unit = rel["periods"][" ".join(period_word.split())]  # type: ignore[index]
    offset = _offset(m.group("d_off")) if m.group("d_off") else 0
    value = None
    if ref is not None:
        if unit == "year":
            value = f"{ref.year + offset:04d}"
        elif unit == "month":
            year, month = _shift_month(ref.year, ref.month, offset)
            value = f"{year:04d}-{month:02d}"
        else:  # a week is told at the precision of its month
            day = ref + dt.timedelta(weeks=offset)
            value = f"{day.year:04d}-{day.month:02d}"
    return _Found(m.start(), m.end(), value, relative=True)


def _resolve_numeric(m: re.Match[str]) -> _Found | None:
    if m.group("f_y"):
        year, month, day = int(m.group("f_y")), int(m.group("f_m")), int(m.group("f_d"))
    else:
        day, month = int(m.group("f_d2")), int(m.group("f_m2"))
        year_text = m.group("f_y2")
        year = int(year_text) if len(year_text) == 4 else 2000 + int(year_text)
        if len(year_text) == 2 and year > dt.date.today().year + 1:
            year -= 100
        if month > 12 and day <= 12:  # month/day/year, as some English-language sources write
            day, month = month, day
    if not 1800 <= year <= 2100:
        return None
    date = _valid(year, month, day)
    if date is None:
        return None
    return _Found(m.start(), m.end(), date.isoformat(), year=year)
