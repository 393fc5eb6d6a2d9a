"""The demo generator: every rule of the data contract holds on what it builds, the sizes are as
specified, the press release's agreements are there, and one seed gives one database."""

from __future__ import annotations

import csv
import datetime as dt

import duckdb
import numpy as np
import pytest

from oversight import demo, schema
from oversight.config import REFERENCE_DIR

DATA_DATE = dt.date(2026, 11, 27)
SEED = 20260201


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "small.duckdb"
    result = demo.build_demo(path, "small", SEED)
    return path, result


@pytest.fixture(scope="module")
def con(demo_db):
    connection = duckdb.connect(str(demo_db[0]), read_only=True)
    yield connection
    connection.close()


def scalar(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def enum_list(values) -> str:
    return ", ".join("'" + v + "'" for v in values)


# Each query counts the rows that break one rule of docs/data-contract.md (or of the brief
# for the demo data); every count must be 0. Dates are checked against the fixed data date.
RULES = {
    # institutions
    "institution_id unique and well formed": """
        select count(*) - count(distinct institution_id)
            + count(*) filter (where not regexp_full_match(institution_id, '[A-Za-z0-9_-]{1,32}'))
        from institutions""",
    "institution names 1-200 characters": """
        select count(*) from institutions
        where length(name_en) not between 1 and 200
            or (name_ko is not null and length(name_ko) not between 1 and 200)""",
    "institution names unique (invented ones never repeat)": """
        select count(*) - count(distinct name_en) + count(name_ko) - count(distinct name_ko)
        from institutions""",
    "institution kind valid": """
        select count(*) from institutions
        where kind not in (""" + enum_list(schema.INSTITUTION_KINDS) + ")",
    "hospital tier only and always for hospitals": """
        select count(*) from institutions
        where (kind = 'hospital') <> (hospital_tier is not null)
            or hospital_tier not in (""" + enum_list(schema.HOSPITAL_TIERS) + ")",
    "company sector only and always for companies": """
        select count(*) from institutions
        where (kind = 'company') <> (company_sector is not null)
            or company_sector not in (""" + enum_list(schema.COMPANY_SECTORS) + ")",
    "region code is a current code": """
        select count(*) from institutions
        where region_code is null or region_code not in (
            '11', '26', '27', '28', '29', '30', '31', '36', '41', '43', '44', '46', '47', '48',
            '50', '51', '52')""",
    "coordinates present and in South Korea": """
        select count(*) from institutions
        where latitude is null or longitude is null
            or latitude not between 33.1 and 38.65 or longitude not between 124.6 and 131.0""",
    "joined between 2020 and the data date": """
        select count(*) from institutions
        where joined_on not between date '2020-01-01' and date '2026-11-27'""",
    "infrastructure year only for hospitals, 2020 to 2026": """
        select count(*) from institutions
        where infrastructure_since is not null
            and (kind <> 'hospital' or infrastructure_since not between 2020 and 2026)""",
    "safe centres designated after the launch, after joining": """
        select count(*) from institutions
        where safe_centre_since not between date '2026-02-01' and date '2026-11-27'
            or safe_centre_since < joined_on""",
    # agreements
    "agreement_id unique": "select count(*) - count(distinct agreement_id) from agreements",
    "agreement requester is a company, university or research institute": """
        select count(*) from agreements as a
        left join institutions as r on r.institution_id = a.requester_id
        where r.kind is null or r.kind not in (""" + enum_list(schema.REQUESTER_KINDS) + ")",
    "agreement enums valid": """
        select count(*) from agreements
        where research_area not in (""" + enum_list(schema.RESEARCH_AREAS) + """)
            or status not in (""" + enum_list(schema.AGREEMENT_STATUSES) + ")",
    "agreement dates ordered and not after the data date": """
        select count(*) from agreements
        where signed_on > date '2026-11-27'
            or ends_on < signed_on
            or ends_on > date '2026-11-27'""",
    "agreement signed after its parties joined": """
        select count(*) from agreements as a
        join agreement_hospitals as ah using (agreement_id)
        join institutions as h on h.institution_id = ah.hospital_id
        join institutions as r on r.institution_id = a.requester_id
        where a.signed_on < h.joined_on or a.signed_on < r.joined_on""",
    "ended agreements have an end date, running ones none": """
        select count(*) from agreements
        where (status in ('completed', 'terminated')) <> (ends_on is not null)""",
    "every agreement has 1 to 4 hospitals": """
        select count(*) from agreements as a
        left join (select agreement_id, count(*) as n from agreement_hospitals group by 1) as p
            using (agreement_id)
        where coalesce(p.n, 0) not between 1 and 4""",
    # agreement_hospitals
    "agreement hospital pairs unique": """
        select count(*) - count(distinct (agreement_id, hospital_id)) from agreement_hospitals""",
    "agreement hospital refers to an agreement and a hospital": """
        select count(*) from agreement_hospitals as ah
        left join agreements as a using (agreement_id)
        left join institutions as h on h.institution_id = ah.hospital_id
        where a.agreement_id is null or h.kind is distinct from 'hospital'""",
    # data_requests
    "request_id unique": "select count(*) - count(distinct request_id) from data_requests",
    "request hospital is party to its agreement": """
        select count(*) from data_requests as d
        left join agreement_hospitals as ah using (agreement_id, hospital_id)
        where ah.agreement_id is null""",
    "request enums valid": """
        select count(*) from data_requests
        where status not in (""" + enum_list(schema.REQUEST_STATUSES) + """)
            or data_type not in (""" + enum_list(schema.DATA_TYPES) + """)
            or access_mode not in (""" + enum_list(schema.ACCESS_MODES) + ")",
    "request dates ordered, after signing, not after the data date": """
        select count(*) from data_requests as d
        join agreements as a using (agreement_id)
        where d.requested_on < a.signed_on
            or d.approved_on < d.requested_on
            or d.delivered_on < d.approved_on
            or (d.delivered_on is not null and d.approved_on is null)
            or greatest(d.requested_on, d.approved_on, d.delivered_on) > date '2026-11-27'""",
    "request status agrees with its dates": """
        select count(*) from data_requests
        where (status = 'delivered' and (delivered_on is null or approved_on is null))
            or (status = 'approved' and (approved_on is null or delivered_on is not null))
            or (status in ('requested', 'under_review')
                and (approved_on is not null or delivered_on is not null))
            or (status in ('rejected', 'withdrawn') and delivered_on is not null)""",
    "safe-centre requests name a centre designated by then, others none": """
        select count(*) from data_requests as d
        left join institutions as c on c.institution_id = d.centre_id
        where (d.access_mode = 'safe_centre') <> (d.centre_id is not null)
            or (d.centre_id is not null
                and (c.safe_centre_since is null or c.safe_centre_since > d.requested_on))""",
    "cohort sizes not negative, known for deliveries": """
        select count(*) from data_requests
        where patients < 0 or records < 0
            or (status = 'delivered' and (patients is null or records is null))""",
    # centre_usage
    "centre usage: a centre, once a month, from its designation": """
        select count(*) - count(distinct (u.centre_id, u.month))
            + count(*) filter (where c.safe_centre_since is null
                or u.month <> date_trunc('month', u.month)
                or u.month < date_trunc('month', c.safe_centre_since)
                or u.month > date '2026-11-27')
        from centre_usage as u
        left join institutions as c on c.institution_id = u.centre_id""",
    "centre usage figures not negative": """
        select count(*) from centre_usage
        where sessions < 0 or researcher_hours < 0 or researchers < 0""",
    # quality_checks
    "quality check key unique": """
        select count(*) - count(distinct (institution_id, assessed_on, check_id))
        from quality_checks""",
    "quality checks are of hospitals, up to the data date": """
        select count(*) from quality_checks as q
        left join institutions as h using (institution_id)
        where h.kind is distinct from 'hospital' or q.assessed_on > date '2026-11-27'""",
    "quality check enums and check_id form": """
        select count(*) from quality_checks
        where category not in (""" + enum_list(schema.QUALITY_CATEGORIES) + """)
            or context not in (""" + enum_list(schema.QUALITY_CONTEXTS) + """)
            or cdm_table is null
            or not regexp_full_match(check_id, '[a-zA-Z]+\\.[a-z_]+(\\.[a-z_]+(\\.[0-9]+)?)?')
            or split_part(check_id, '.', 2) <> cdm_table""",
    "violated rows between 0 and the denominator, threshold 0-100": """
        select count(*) from quality_checks
        where violated_rows < 0 or violated_rows > denominator_rows or denominator_rows < 0
            or threshold_pct not between 0 and 100
            or (denominator_rows = 0 and violated_rows <> 0)""",
    "not-applicable checks violate nothing": """
        select count(*) from quality_checks where not_applicable and violated_rows <> 0""",
    "a check has one category, context and table everywhere": """
        select count(*) from (
            select check_id from quality_checks
            group by check_id
            having count(distinct (category, context, cdm_table, threshold_pct)) > 1
        )""",
    # consultations
    "consultation_id unique": """
        select count(*) - count(distinct consultation_id) from consultations""",
    "consultation refers to an institution": """
        select count(*) from consultations as c
        left join institutions as i using (institution_id)
        where i.institution_id is null""",
    "consultation topic, hours, satisfaction, date valid": """
        select count(*) from consultations
        where topic not in (""" + enum_list(schema.CONSULTATION_TOPICS) + """)
            or hours <= 0 or hours > 8
            or satisfaction not between 1 and 5
            or held_on > date '2026-11-27'""",
    # every table
    "required columns filled": " union all ".join(
        "select count(*) from " + t.name + " where "
        + " or ".join(c.name + " is null" for c in t.columns if c.required)
        for t in schema.TABLES.values()
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_contract_rule_holds(con, rule):
    counts = con.execute(RULES[rule]).fetchall()
    assert sum(row[0] for row in counts) == 0, rule


def test_sizes_of_the_small_scale(con, demo_db):
    rows = demo_db[1]["rows"]
    assert scalar(con, "select count(*) from institutions") == rows["institutions"] == 150
    assert scalar(con, "select count(*) from institutions where kind = 'hospital'") == 60
    assert rows["agreements"] == 400
    assert rows["data_requests"] == 5_000
    assert 500_000 <= rows["quality_checks"] <= 1_000_000
    assert 500 <= rows["consultations"] <= 700
    for name in schema.LOAD_ORDER:
        assert scalar(con, "select count(*) from " + name) == rows[name], name


def test_regions_all_present_capital_concentrated(con):
    assert scalar(con, """
        select count(distinct region_code) from institutions where kind = 'hospital'""") == 17
    capital = scalar(con, "select avg((region_code in ('11', '28', '41'))::int) from institutions")
    assert 0.45 <= capital <= 0.6


def test_more_institutions_join_every_year_with_a_jump_at_the_launch(con):
    joins = [n for _, n in con.execute(
        "select year(joined_on), count(*) from institutions group by 1 order by 1").fetchall()]
    assert len(joins) == 7 and joins == sorted(joins)
    assert joins[-1] > 1.5 * joins[-2]  # 2026, the launch year, against 2025
    months = dict(con.execute("""
        select month(joined_on), count(*) from institutions
        where year(joined_on) = 2026 group by 1""").fetchall())
    assert months.get(1, 0) < months.get(2, 0) + months.get(3, 0)


def test_every_kind_sector_tier_and_topic_present(con):
    def distinct(sql):
        return {r[0] for r in con.execute(sql).fetchall()}

    assert distinct("select kind from institutions") == set(schema.INSTITUTION_KINDS)
    assert distinct("select company_sector from institutions where kind = 'company'") == set(
        schema.COMPANY_SECTORS)
    assert distinct("select hospital_tier from institutions where kind = 'hospital'") == set(
        schema.HOSPITAL_TIERS)
    assert distinct("select topic from consultations") == set(schema.CONSULTATION_TOPICS)
    assert distinct("select access_mode from data_requests") == set(schema.ACCESS_MODES)
    assert distinct("select category from quality_checks") == set(schema.QUALITY_CATEGORIES)


def test_five_safe_centres_including_a_tertiary_hospital(con):
    centres = con.execute("""
        select kind, hospital_tier, region_code from institutions
        where safe_centre_since is not null""").fetchall()
    assert len(centres) == 5
    assert ("hospital", "tertiary") in {(k, t) for k, t, _ in centres}
    assert len({region for _, _, region in centres}) == 5


def test_press_release_agreements(con):
    with open(REFERENCE_DIR / "seed_agreements.csv", encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    stored = con.execute("""
        select a.agreement_id, r.name_en, r.name_ko, r.company_sector, h.name_en, h.name_ko,
            h.region_code, a.status, a.signed_on
        from agreements as a
        join agreement_hospitals as ah using (agreement_id)
        join institutions as r on r.institution_id = a.requester_id
        join institutions as h on h.institution_id = ah.hospital_id
        where a.agreement_id like 'AGR-SEED-%'
    """).fetchall()
    assert {(s[1], s[2], s[3], s[4], s[5], s[6]) for s in stored} == {
        (p["requester_en"], p["requester_ko"], p["requester_sector"], p["hospital_en"],
         p["hospital_ko"], p["hospital_region_code"]) for p in pairs
    }
    assert {s[0] for s in stored} == {"AGR-SEED-1", "AGR-SEED-2", "AGR-SEED-3", "AGR-SEED-4"}
    assert all(s[7] == "active" and s[8].year == 2026 for s in stored)
    # The four requesters have only the release's agreements.
    assert scalar(con, """
        select count(*) from agreements
        where requester_id like 'SEED-%' and agreement_id not like 'AGR-SEED-%'""") == 0


def test_dataset_info_and_batch(con, demo_db):
    info = con.execute(
        "select kind, seed, scale, data_date, contract_version from dataset_info").fetchall()
    assert info == [("demo", SEED, "small", DATA_DATE, schema.CONTRACT_VERSION)]
    batch = con.execute("select batch_id, source, outcome, rows_per_table from batches").fetchall()
    assert len(batch) == 1 and batch[0][1:3] == ("demo", "loaded")
    assert batch[0][0] == demo_db[1]["batch_id"] == "demo-small-20260201"
    for name in schema.LOAD_ORDER:
        assert scalar(con, "select count(distinct batch_id) from " + name) == 1, name


def test_the_dashboard_alerts_have_something_to_show(con):
    # Requests still open after a year, for the waiting-requests alert.
    assert scalar(con, """
        select count(*) from data_requests
        where status in ('requested', 'under_review', 'approved')
            and requested_on < date '2026-11-27' - interval 365 day""") > 0
    # Some hospital's latest quality score below 90 %, and quality improving over the years.
    scores = """
        with judged as (
            select institution_id, assessed_on,
                coalesce(not_applicable, false) as na,
                denominator_rows > 0
                    and 100.0 * violated_rows / denominator_rows > threshold_pct as failed
            from quality_checks
        )
        select institution_id, assessed_on,
            count(*) filter (where not na and not failed) / count(*) filter (where not na) as score
        from judged group by all"""
    latest = con.execute("""
        with s as (""" + scores + """)
        select min(score) from s
        where (institution_id, assessed_on) in (
            select (institution_id, max(assessed_on)) from s group by institution_id)
    """).fetchone()[0]
    assert latest < 0.9
    early, late = con.execute("""
        with s as (""" + scores + """)
        select avg(score) filter (where year(assessed_on) <= 2021),
            avg(score) filter (where year(assessed_on) >= 2025) from s""").fetchone()
    assert late > early
    na_share = scalar(con, "select avg(coalesce(not_applicable, false)::int) from quality_checks")
    assert 0.005 <= na_share <= 0.08


@pytest.mark.parametrize("scale", demo.SCALES)
def test_check_catalogue_of_every_scale(scale):
    catalogue = demo.generate.check_catalogue(np.random.default_rng(1), demo.SCALES[scale])
    assert catalogue.height == catalogue["check_id"].n_unique() == demo.SCALES[scale].checks
    assert catalogue["concept_level"].sum() >= 0.15 * catalogue.height
    assert set(catalogue["category"]) == set(schema.QUALITY_CATEGORIES)
    assert set(catalogue["context"]) == set(schema.QUALITY_CONTEXTS)
    assert catalogue["threshold"].is_between(0, 100).all()


def test_lead_times_long_tailed(con):
    median, p90 = con.execute("""
        select median(d), quantile_cont(d, 0.9) from (
            select date_diff('day', requested_on, approved_on) as d
            from data_requests where approved_on is not null)""").fetchone()
    assert 10 <= median <= 35
    assert p90 >= 2 * median


def _checksums(path) -> dict:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            name: connection.execute(
                # names come from the schema, not from input
                "select count(*), sum(hash(columns(* exclude (batch_id))))::hugeint from " + name
            ).fetchone()
            for name in schema.LOAD_ORDER
        }


def test_same_seed_same_data(demo_db, tmp_path):
    again = tmp_path / "again.duckdb"
    demo.build_demo(again, "small", SEED)
    assert _checksums(again) == _checksums(demo_db[0])


def test_another_seed_other_data(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    demo.build_demo(first, "tiny", 1)
    demo.build_demo(second, "tiny", 2)
    a, b = _checksums(first), _checksums(second)
    assert a["quality_checks"] != b["quality_checks"]
    assert a["data_requests"] != b["data_requests"]


def test_reports_progress_and_prints_nothing(tmp_path, capfd):
    steps = []
    demo.build_demo(tmp_path / "tiny.duckdb", "tiny", SEED,
                    progress=lambda label, fraction: steps.append(fraction))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert steps == sorted(steps) and steps[0] == 0.0 and steps[-1] == 1.0


def test_unknown_scale_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown scale"):
        demo.build_demo(tmp_path / "x.duckdb", "huge")
    assert not (tmp_path / "x.duckdb").exists()
