"""What changed since the previous period, as short sentences written from the KPI figures.

"체결 협약은 196건으로 직전 기간보다 126건 늘었습니다." / "Agreements signed rose to 196, 126 more
than in the previous period." Korean particles (은/는, 으로/로) follow the last sound of the word
they attach to. Counts under the suppression threshold are never written out, and no
difference that would give one back is either.
"""

from __future__ import annotations

from oversight import config, units
from oversight.i18n import t
from oversight.views.model import Kpi

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants
# How the last digit of a number is read, as (has a final consonant, that consonant is ㄹ).
_DIGIT_ENDINGS = {
    "0": (True, False), "1": (True, True), "2": (False, False), "3": (True, False), "4": (False, False),
    "5": (False, False), "6": (True, False), "7": (True, True), "8": (True, True), "9": (False, False),
}
# Latin letters as read in Korean (엘, 엠, 엔, 알 end in a consonant).
# Counter words by KPI key; any other count takes 건.
KOREAN_COUNTERS = {"institutions": "곳", "hospitals_with_agreements": "곳", "hospitals": "곳", "centres": "곳", "regions": "곳"}
_LATIN_CONSONANT = {"l": (True, True), "m": (True, False), "n": (True, False), "r": (True, True)}


def _ending(word: str) -> tuple[bool, bool] | None:
    """(ends in a final consonant, that consonant is ㄹ) for the last readable character."""
    for char in reversed(word.strip()):
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            final = (code - _HANGUL_FIRST) % 28
            return final != 0, final == _RIEUL
        if char in _DIGIT_ENDINGS:
            return _DIGIT_ENDINGS[char]
        if char == "%":
            return False, False  # 퍼센트
        if char.isalpha():
            return _LATIN_CONSONANT.get(char.lower(), (False, False))
        if char in ")]}>\"'」』":
            continue
        break
    return None


def topic_particle(word: str) -> str:
    """은 after a final consonant, 는 after a vowel."""
    ending = _ending(word)
    if ending is None:
        return "은(는)"
    return "은" if ending[0] else "는"


def direction_particle(word: str) -> str:
    """으로 after a final consonant other than ㄹ, 로 after a vowel or ㄹ."""
    ending = _ending(word)
    if ending is None:
        return "(으)로"
    consonant, rieul = ending
    return "으로" if consonant and not rieul else "로"


def _counter(kpi: Kpi, lang: str) -> str:
    """The Korean counter word after an amount (곳 for places, else the unit's); English has none."""
    if lang != "ko":
        return ""
    counter = units.unit(kpi.unit).counter
    return KOREAN_COUNTERS.get(kpi.key, counter) if counter == "건" else counter


def _amount(value: float, kpi: Kpi, lang: str) -> str:
    """A value (or a difference, given as its absolute size) with its unit, as the screen writes it."""
    text = units.format_value(value, kpi.unit, lang)
    if kpi.unit == "days" and text == units.format_value(1, "days", lang):
        return t("reports.unit.days_one", lang, value="1")
    return text + _counter(kpi, lang)


def _difference(change: float, kpi: Kpi, lang: str) -> tuple[str, float]:
    """The size of a change as written, and its sign after rounding to what is written."""
    spec = units.unit(kpi.unit)
    size = spec.shown(abs(change))
    signed = size * (1 if change > 0 else -1)
    if kpi.unit == "percent":
        return t("reports.unit.points", lang, value=f"{size * 100:.{spec.decimals}f}"), signed
    return _amount(size, kpi, lang), signed


def _with(value_text: str, lang: str) -> str:
    return value_text + direction_particle(value_text) if lang == "ko" else value_text


def _topic(label: str, lang: str) -> str:
    return label + topic_particle(label) if lang == "ko" else label


def change_sentence(kpi: Kpi, lang: str, threshold: int | None = None) -> str:
    n = config.SUPPRESSION_THRESHOLD if threshold is None else threshold
    topic = _topic(kpi.label, lang)
    if kpi.value is None:
        return t("reports.change.no_data", lang, label=kpi.label)
    small_now = kpi.unit == "count" and 0 < kpi.value < n
    small_before = kpi.unit == "count" and kpi.previous is not None and 0 < kpi.previous < n
    under = _amount(n, kpi, lang)
    if small_now:
        return t("reports.change.small", lang, topic=topic, under=under)
    value = _amount(kpi.value, kpi, lang)
    if kpi.previous is None:
        return t("reports.change.no_previous", lang, topic=topic, value=value)
    if small_before:
        return t("reports.change.up_from_small", lang, topic=topic, value_with=_with(value, lang), under=under)
    delta, signed = _difference(kpi.value - kpi.previous, kpi, lang)
    if signed == 0:
        return t("reports.change.same", lang, topic=topic, value_with=_with(value, lang))
    direction = "up" if signed > 0 else "down"
    kind = {"percent": "percent", "days": "days"}.get(kpi.unit, "count")
    return t(f"reports.change.{kind}_{direction}", lang, topic=topic, value_with=_with(value, lang), delta=delta)
