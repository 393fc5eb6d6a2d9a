"""What pages keep in the URL: every declared type parses what it writes, and turns anything else
(a URL is user input) into its default; the cross-filter every view takes."""

import datetime as dt

from oversight.page_state import Choice, Codes, CrossFilter, Day, Ident, Number, Region, Text


def test_codes_keep_known_values_in_order_once_and_cut_long_lists():
    types = Codes("access_type", "data_types", ("emr", "imaging", "genomic"))
    assert types.parse("genomic,emr,genomic, imaging ,bogus") == ("genomic", "emr", "imaging")
    assert types.parse(None) == () and types.parse("") == ()
    assert types.text(["imaging", "nonsense"]) == "imaging" and types.text([]) is None
    ids = Codes("access_hospital", "hospital_ids")  # ids of the contract's form
    assert ids.parse("H1,H-2,<script>,a b,") == ("H1", "H-2")
    assert ids.parse("H1') or 1=1 --") == () and ids.parse("X" * 33) == ()  # at most 32 characters
    assert len(ids.parse(",".join(f"H{i}" for i in range(80)))) == 50


def test_a_choice_is_one_of_its_options_and_its_default_is_left_out():
    top = Choice("access_n", (5, 10, 20), default=10)
    assert top.parse("20") == 20 and top.parse("7") == 10 and top.parse(None) == 10
    assert top.text(20) == "20" and top.text(10) is None and top.text(7) is None
    order = Choice("access_rank", ("slowest", "fastest"))
    assert order.default == "slowest" and order.parse("FASTEST") == "slowest"


def test_numbers_outside_their_range_or_not_numbers_give_the_default():
    threshold = Number("threshold", 90.0, 0.0, 100.0)
    assert threshold.parse("87.5") == 87.5 and threshold.parse(None) == 90.0
    for bad in ("x", "150", "-1", "nan", "inf", ""):
        assert threshold.parse(bad) == 90.0, bad
    assert threshold.text(87.5) == "87.5" and threshold.text(90.0) is None


def test_days_ids_texts_and_regions():
    assert Day("assessment").parse("2025-12-31") == dt.date(2025, 12, 31)
    assert Day("assessment").parse("2025-13-01") is None and Day("assessment").text(None) is None
    assert Ident("agreement").parse("  AGR-1 ") == "AGR-1" and Ident("agreement").parse("") is None
    assert len(Ident("agreement").parse("x" * 500)) == 64
    assert Text("agreements_q").parse("y" * 500) == "y" * 200 and Text("agreements_q").text("") is None
    region = Region("region")
    assert region.parse("45") == "52" and region.parse("42") == "51"  # legacy codes: the current region
    assert region.parse("99") is None and region.parse(None) is None


def test_a_cross_filter_is_frozen_ordered_and_leaves_out_empty_picks():
    picks = CrossFilter.of(topics=("a", "b"), area=None, party="H1", status=())
    assert picks == CrossFilter.of(party=["H1"], topics=("a", "b"))  # the same pick, the same key
    assert hash(picks) == hash(CrossFilter.of(party="H1", topics=("a", "b")))
    assert picks.get("topics") == ("a", "b") and picks.get("area") == () and picks.one("party") == "H1"
    assert picks.params("topics", "area") == {"topics": ["a", "b"], "area": []}
    assert picks.params("topics", "area", without="topics") == {"topics": [], "area": []}
    assert picks and not CrossFilter()
