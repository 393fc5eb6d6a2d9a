import datetime as dt

from oversight import filters as flt

DATA_DATE = dt.date(2026, 11, 27)


def test_default_is_the_last_twelve_months_to_the_data_date():
    f = flt.default_filters(DATA_DATE)
    assert (f.date_from, f.date_to) == (dt.date(2025, 12, 1), DATA_DATE)


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    f = flt.Filters(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    p = f.previous()
    assert (p.date_from, p.date_to, p.days) == (dt.date(2026, 1, 29), dt.date(2026, 2, 28), 31)


def test_url_round_trip():
    f = flt.Filters(dt.date(2025, 1, 1), dt.date(2025, 6, 30), regions=("11", "52"), areas=("oncology",))
    assert flt.from_query(f.to_query(), DATA_DATE) == f


def test_malformed_and_hostile_url_values_fall_back_or_are_dropped():
    f = flt.from_query({"from": "yesterday", "to": "2025-13-01", "regions": "11,99,<script>", "kinds": "hospital';--"}, DATA_DATE)
    assert (f.date_from, f.date_to) == (flt.default_filters(DATA_DATE).date_from, DATA_DATE)
    assert f.regions == ("11",) and f.kinds == ()


def test_reversed_period_falls_back_to_default():
    f = flt.from_query({"from": "2026-05-01", "to": "2026-01-01"}, DATA_DATE)
    assert f == flt.default_filters(DATA_DATE)
