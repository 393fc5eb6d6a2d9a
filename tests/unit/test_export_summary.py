"""What changed, in sentences: known KPI values and the sentences a person would write."""

import pytest

from oversight.export.summary import change_sentence, direction_particle, topic_particle
from oversight.views.model import Kpi


def kpi(value, previous, unit="count", key="agreements_signed", label="체결 협약"):
    return Kpi(key=key, label=label, value=value, previous=previous, unit=unit, definition="d")


@pytest.mark.parametrize("figure, ko, en", [
    (kpi(196, 70), "체결 협약은 196건으로 직전 기간보다 126건 늘었습니다.",
     "Agreements signed rose to 196, 126 more than in the previous period."),
    (kpi(1468, 1514), "체결 협약은 1,468건으로 직전 기간보다 46건 줄었습니다.",
     "Agreements signed fell to 1,468, 46 fewer than in the previous period."),
    (kpi(500, 320, key="institutions", label="참여 기관"), "참여 기관은 500곳으로 직전 기간보다 180곳 늘었습니다.",
     "Institutions in the programme rose to 500, 180 more than in the previous period."),
    (kpi(41.0, 43.0, "days", "median_lead_days", "제공 소요일(중앙값)"),
     "제공 소요일(중앙값)은 41일로 직전 기간보다 2일 짧아졌습니다.",
     "Median lead time fell to 41 days, 2 days shorter than in the previous period."),
    (kpi(45.0, 44.0, "days", "median_lead_days", "제공 소요일(중앙값)"),
     "제공 소요일(중앙값)은 45일로 직전 기간보다 1일 길어졌습니다.",
     "Median lead time rose to 45 days, 1 day longer than in the previous period."),
    # 0.926 - 0.9297 = -0.0037, written as 0.4 percentage points
    (kpi(0.926, 0.9297, "percent", "quality_score", "네트워크 데이터 품질"),
     "네트워크 데이터 품질은 92.6%로 직전 기간보다 0.4%p 낮아졌습니다.",
     "Network quality score fell to 92.6%, down 0.4 percentage points on the previous period."),
    (kpi(0.95, 0.9, "percent", "quality_score", "네트워크 데이터 품질"),
     "네트워크 데이터 품질은 95.0%로 직전 기간보다 5.0%p 높아졌습니다.",
     "Network quality score rose to 95.0%, up 5.0 percentage points on the previous period."),
    (kpi(196, 196), "체결 협약은 196건으로 직전 기간과 같습니다.", "Agreements signed: unchanged at 196."),
    # a change too small to show at one decimal is no change
    (kpi(0.9261, 0.9262, "percent", "quality_score", "네트워크 데이터 품질"),
     "네트워크 데이터 품질은 92.6%로 직전 기간과 같습니다.", "Network quality score: unchanged at 92.6%."),
    (kpi(196, None), "체결 협약은 196건입니다(직전 기간 자료 없음).",
     "Agreements signed: 196; no figure for the previous period."),
    (kpi(None, 70), "체결 협약: 선택한 기간의 자료가 없습니다.", "Agreements signed: no data for the chosen period."),
    # small counts are never written out, nor a difference that would give one back
    (kpi(3, 70), "체결 협약은 5건 미만입니다.", "Agreements signed: under 5."),
    (kpi(12, 2), "체결 협약은 12건으로 직전 기간(5건 미만)보다 늘었습니다.",
     "Agreements signed rose to 12, from under 5 in the previous period."),
    (kpi(0, 0), "체결 협약은 0건으로 직전 기간과 같습니다.", "Agreements signed: unchanged at 0."),
])
def test_sentences_for_known_figures(figure, ko, en):
    assert change_sentence(figure, "ko", threshold=5) == ko
    english = {
        "agreements_signed": "Agreements signed", "institutions": "Institutions in the programme",
        "median_lead_days": "Median lead time", "quality_score": "Network quality score",
    }[figure.key]
    assert change_sentence(Kpi(**{**figure.__dict__, "label": english}), "en", threshold=5) == en


@pytest.mark.parametrize("word, topic", [
    ("체결 협약", "은"), ("참여 기관", "은"), ("데이터 품질", "은"), ("제공 소요일(중앙값)", "은"),
    ("안심활용센터", "는"), ("컨설팅 만족도", "는"), ("AI", "는"), ("CDM", "은"), ("병원 수 2", "는"),
])
def test_topic_particle_follows_the_last_sound(word, topic):
    assert topic_particle(word) == topic


@pytest.mark.parametrize("word, particle", [
    ("196건", "으로"), ("500곳", "으로"), ("41일", "로"), ("92.6%", "로"), ("3회", "로"), ("10", "으로"), ("2", "로"),
])
def test_direction_particle_follows_the_last_sound_and_rieul_takes_ro(word, particle):
    assert direction_particle(word) == particle


def test_a_word_without_a_readable_end_gets_both_forms():
    assert topic_particle("—") == "은(는)"
    assert direction_particle("") == "(으)로"
