"""The demo's generators: a polars frame per table of the data contract, drawn from numpy
Generators seeded per table (the quality checks themselves are drawn in DuckDB, write.py)."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import polars as pl

from oversight import schema
from oversight.config import REFERENCE_DIR
from oversight.demo.tuning import (
    DATA_DATE, PROGRAMME_START, LAUNCH, SEED_SIGNED_ON, Scale, NON_HOSPITAL_KINDS, HOSPITAL_TIER_SHARES,
    COMPANY_SECTOR_SHARES, INFRASTRUCTURE_CHANCE, INFRASTRUCTURE_NEXT_YEAR, ONBOARDING_GROWTH,
    ONBOARDING_LAUNCH_BOOST, HOSPITAL_JOIN_YEARS, REGION_WEIGHTS, CITY_CENTRES, SEED_REQUESTERS, SEED_HOSPITALS,
    SEED_AGREEMENTS, SAFE_CENTRES, AGREEMENTS_FROM, AGREEMENT_GROWTH, AGREEMENT_LAUNCH_BOOST,
    HOSPITALS_PER_AGREEMENT, HOSPITAL_PICK_WEIGHT, CAPITAL_PICK_BOOST, REQUESTER_PICK_WEIGHT,
    RESEARCH_AREA_SHARES, AGREEMENT_DAYS, STARTUP_DAYS, TERMINATED_SHARE, UNTITLED_SHARE,
    FIRST_REQUEST_AFTER_DAYS, DAYS_TO_APPROVAL, DAYS_TO_DELIVERY, TERTIARY_SPEED, REQUEST_OUTCOMES,
    STALLED_DAYS, MAX_STAGE_DAYS, WITHDRAWN_AFTER_APPROVAL, DATA_TYPE_SHARES, AREA_DATA_TYPE, SAFE_CENTRE_SHARE,
    CENTRE_SESSIONS, CONSULTATION_TOPICS, CONSULTATION_PILOT_SHARE, PILOTS_FROM, CONSULTING_WEIGHT,
    SATISFACTION_SHARES, SATISFACTION_MISSING, MONTHS_ORIGIN, LAST_MONTH, ASSESSMENT_MONTHS, MAX_ASSESSMENTS,
    UNFUNDED_ASSESSED, BASE_PASS_RATE, INFRASTRUCTURE_GAIN, GAIN_YEARS, REGRESSION_SHARE, CDM_ROWS_PER_PERSON,
    CDM_TABLE_MISSING, CDM_FIELDS, EVENT_TABLES, CHECK_TYPES, MIN_CONCEPT_CHECKS, CATEGORY_DIFFICULTY,
    MEASUREMENT_CONCEPTS,
)
from oversight.demo_names import COMPANY_FORMS, HOSPITAL_FORMS, OTHER_FORMS, STEMS, TITLE_DESIGNS, TITLE_SUBJECTS
from oversight.regions import CAPITAL_AREA, REGION_CODES


# --- small helpers ------------------------------------------------------------------------------


def _allocate(n: int, shares: dict) -> np.ndarray:
    """n labels in the given shares (largest remainder), each present once n allows it."""
    labels = list(shares)
    weights = np.array([shares[k] for k in labels], dtype=float)
    exact = n * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    if n >= len(labels):
        counts = np.maximum(counts, 1)
    while counts.sum() > n:
        counts[np.argmax(counts)] -= 1
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return np.repeat(np.array(labels, dtype=object), counts)


def _choice(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    labels = np.array(list(shares), dtype=object)
    p = np.array(list(shares.values()), dtype=float)
    return labels[rng.choice(len(labels), size=n, p=p / p.sum())]


def _curve(days, growth, launch_boost) -> np.ndarray:
    """Daily rate growing exponentially from the programme's start, jumping at the launch."""
    years = (days - PROGRAMME_START).astype(int) / 365.25
    return np.exp(growth * years) * np.where(days >= LAUNCH, launch_boost, 1.0)


def _dates_on_curve(rng, n, start, end, growth, launch_boost) -> np.ndarray:
    """n dates between start and end, as many on each day as the curve says."""
    days = np.arange(start, end + 1, dtype="datetime64[D]")
    cdf = np.cumsum(_curve(days, growth, launch_boost))
    return days[np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")]


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


def _onboarding_year_shares() -> dict[int, float]:
    days = np.arange(PROGRAMME_START, DATA_DATE + 1, dtype="datetime64[D]")
    weight = _curve(days, ONBOARDING_GROWTH, ONBOARDING_LAUNCH_BOOST)
    return {int(y): float(weight[_year(days) == y].sum()) for y in np.unique(_year(days))}


def _onboarding_dates(rng, years: np.ndarray) -> np.ndarray:
    """A joining date in each given year, on the onboarding curve within the year."""
    dates = np.empty(len(years), dtype="datetime64[D]")
    for year in np.unique(years):
        where = np.flatnonzero(years == year)
        start = np.datetime64(f"{year}-01-01", "D")
        end = min(np.datetime64(f"{year}-12-31", "D"), DATA_DATE)
        dates[where] = _dates_on_curve(rng, len(where), start, end, ONBOARDING_GROWTH,
                                       ONBOARDING_LAUNCH_BOOST)
    return dates


def _weekday(days: np.ndarray) -> np.ndarray:
    """Meetings and signings fall on weekdays: weekends move back to the Friday."""
    return np.busday_offset(days, 0, roll="backward")


def _lognormal_days(rng, n, median, sigma) -> np.ndarray:
    return np.minimum(rng.lognormal(np.log(median), sigma, n), MAX_STAGE_DAYS)


def _pick_joined_by(rng, when, joined, weight) -> np.ndarray:
    """For each date in `when`, the index of an institution that joined by then, by weight.
    Where none had, the earliest to join."""
    order = np.argsort(joined, kind="stable")
    cum = np.cumsum(weight[order])
    k = np.maximum(np.searchsorted(joined[order], when, side="right"), 1)
    pick = np.searchsorted(cum, rng.random(len(when)) * cum[k - 1], side="right")
    return order[np.minimum(pick, k - 1)]


def _names(rng, groups: np.ndarray, forms: dict) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (Korean, English) names: each group draws stem x suffix pairs without repeats."""
    ko = np.empty(len(groups), dtype=object)
    en = np.empty(len(groups), dtype=object)
    for group, suffixes in forms.items():
        members = np.flatnonzero(groups == group)
        pairs = [(s_ko + f_ko, f"{s_en} {f_en}") for s_ko, s_en in STEMS for f_ko, f_en in suffixes]
        if len(members) > len(pairs):
            raise ValueError(f"not enough invented names for {len(members)} {group}")
        chosen = rng.permutation(len(pairs))[: len(members)]
        ko[members] = [pairs[i][0] for i in chosen]
        en[members] = [pairs[i][1] for i in chosen]
    return ko, en


def _coordinates(rng, regions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat = np.empty(len(regions))
    lon = np.empty(len(regions))
    for code, cities in CITY_CENTRES.items():
        where = np.flatnonzero(regions == code)
        city = np.array(cities)[rng.integers(0, len(cities), len(where))]
        lat[where] = city[:, 0] + city[:, 2] * rng.uniform(-1, 1, len(where))
        lon[where] = city[:, 1] + city[:, 2] * rng.uniform(-1, 1, len(where))
    return lat.round(5), lon.round(5)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """prefix + 1..n, zero-padded to width digits."""
    numbers = pl.int_range(1, n + 1, eager=True).cast(pl.String).str.zfill(width)
    return (prefix + numbers).to_numpy().astype(object)


def _lookup(values: np.ndarray, mapping: dict, default=None) -> np.ndarray:
    """Each value mapped through a dict, vectorised (no Python loop over rows)."""
    return pl.Series(values.tolist() if values.dtype == object else values).replace_strict(
        mapping, default=default).to_numpy()


def _frame(columns: dict) -> pl.DataFrame:
    """A frame from numpy columns: object arrays (text with None) become lists, NaT becomes null."""
    return pl.DataFrame({
        name: values.tolist() if isinstance(values, np.ndarray) and values.dtype == object
        else values
        for name, values in columns.items()
    })


# --- institutions -------------------------------------------------------------------------------


def _seed_rows() -> tuple[dict, list[tuple[str, str]]]:
    """The press release's institutions as columns, and its (requester id, hospital id) pairs."""
    with open(REFERENCE_DIR / "seed_agreements.csv", encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    cols: dict[str, list] = {c: [] for c in schema.TABLES["institutions"].column_names}

    def add(**values):
        for column in cols:
            cols[column].append(values.get(column))

    for name_en, (inst_id, joined, lat, lon) in SEED_REQUESTERS.items():
        row = next(p for p in pairs if p["requester_en"] == name_en)
        # Head offices are not in the file: placed in Seoul, approximately.
        add(institution_id=inst_id, name_en=name_en, name_ko=row["requester_ko"], kind="company",
            company_sector=row["requester_sector"], region_code="11", latitude=lat, longitude=lon,
            joined_on=dt.date.fromisoformat(joined))
    for name_en, (inst_id, tier, infra) in SEED_HOSPITALS.items():
        row = next(p for p in pairs if p["hospital_en"] == name_en)
        add(institution_id=inst_id, name_en=name_en, name_ko=row["hospital_ko"], kind="hospital",
            hospital_tier=tier, region_code=row["hospital_region_code"],
            latitude=float(row["hospital_lat"]), longitude=float(row["hospital_lon"]),
            joined_on=dt.date(infra, 3, 2), infrastructure_since=infra)
    ids = {**{k: v[0] for k, v in SEED_REQUESTERS.items()},
           **{k: v[0] for k, v in SEED_HOSPITALS.items()}}
    return cols, [(ids[p["requester_en"]], ids[p["hospital_en"]]) for p in pairs]


def institutions(rng, shape: Scale) -> pl.DataFrame:
    seed_cols, _ = _seed_rows()
    n_seed_hospitals = len(SEED_HOSPITALS)
    n_hospitals = shape.hospitals - n_seed_hospitals
    if n_hospitals < len(REGION_CODES):
        raise ValueError("a scale needs a synthetic hospital in every region")

    # Hospitals: one in every region, the rest where the weights say.
    h_region = np.concatenate([
        rng.permutation(np.array(REGION_CODES, dtype=object)),
        _choice(rng, REGION_WEIGHTS["hospital"], n_hospitals - len(REGION_CODES)),
    ])
    h_tier = rng.permutation(_allocate(n_hospitals, HOSPITAL_TIER_SHARES))
    if not np.any((h_tier == "tertiary") & (h_region == "11")):
        # The Seoul safe centre is a tertiary hospital: make sure Seoul has one.
        seoul = np.flatnonzero(h_region == "11")[0]
        tertiary = np.flatnonzero(h_tier == "tertiary")[0]
        h_tier[[seoul, tertiary]] = h_tier[[tertiary, seoul]]
    h_ko, h_en = _names(rng, h_tier, HOSPITAL_FORMS)

    # Other kinds, the seed requesters counted among the companies.
    others = rng.permutation(_allocate(shape.institutions - shape.hospitals, NON_HOSPITAL_KINDS))
    others = np.delete(others, np.flatnonzero(others == "company")[: len(SEED_REQUESTERS)])
    n_others = len(others)
    sector = np.full(n_others, None, dtype=object)
    is_company = others == "company"
    sector[is_company] = rng.permutation(_allocate(int(is_company.sum()), COMPANY_SECTOR_SHARES))
    o_region = np.where(
        is_company,
        _choice(rng, REGION_WEIGHTS["company"], n_others),
        _choice(rng, REGION_WEIGHTS["other"], n_others),
    )
    name_group = np.where(is_company, sector, others)
    o_ko, o_en = _names(rng, name_group, {**COMPANY_FORMS, **OTHER_FORMS})

    kind = np.concatenate([np.full(n_hospitals, "hospital", dtype=object), others])
    region = np.concatenate([h_region, o_region])
    tier = np.concatenate([h_tier, np.full(n_others, None, dtype=object)])
    lat, lon = _coordinates(rng, region)

    # Joining: a set number each year, so that more join every year with a jump at the launch;
    # hospitals spread evenly, their infrastructure funded in the year they joined or the next.
    n = len(kind)
    joined = np.concatenate([
        _onboarding_dates(rng, rng.permutation(_allocate(n_hospitals, HOSPITAL_JOIN_YEARS))),
        _onboarding_dates(rng, rng.permutation(_allocate(n_others, _onboarding_year_shares()))),
    ])
    has_infra = rng.random(n_hospitals) < _lookup(h_tier, INFRASTRUCTURE_CHANCE)
    next_year = rng.random(n_hospitals) < INFRASTRUCTURE_NEXT_YEAR
    infra_year = np.where(has_infra, np.minimum(_year(joined[:n_hospitals]) + next_year, 2026), 0)

    prefix = {"hospital": "HOSP-", "company": "COMP-", "university": "UNIV-",
              "research_institute": "INST-", "public_agency": "AGCY-"}
    ids = np.empty(n, dtype=object)
    for k, p in prefix.items():
        where = np.flatnonzero(kind == k)
        ids[where] = _ids(p, len(where), 4)

    synthetic = _frame({
        "institution_id": ids,
        "name_en": np.concatenate([h_en, o_en]),
        "name_ko": np.concatenate([h_ko, o_ko]),
        "kind": kind,
        "hospital_tier": tier,
        "company_sector": np.concatenate([np.full(n_hospitals, None, dtype=object), sector]),
        "region_code": region,
        "latitude": lat,
        "longitude": lon,
        "joined_on": joined,
        "infrastructure_since": np.concatenate([np.where(has_infra, infra_year, -1),
                                                np.full(n_others, -1)]),
    }).with_columns(
        pl.col("infrastructure_since").replace(-1, None),
        pl.lit(None, dtype=pl.Date).alias("safe_centre_since"),
    )
    seed = pl.DataFrame(seed_cols, schema=synthetic.schema, strict=False)
    # Hospitals first, the press release's leading each group.
    frame = pl.concat([seed.filter(pl.col("kind") == "hospital"),
                       synthetic.filter(pl.col("kind") == "hospital"),
                       seed.filter(pl.col("kind") != "hospital"),
                       synthetic.filter(pl.col("kind") != "hospital")])
    return _designate_centres(rng, frame)


def _designate_centres(rng, inst: pl.DataFrame) -> pl.DataFrame:
    """Five synthetic institutions become safe utilisation centres, one per region of
    SAFE_CENTRES: the best-tier institution of the kind in that region (another region's
    moves there when the region has none)."""
    kind = inst["kind"].to_numpy()
    region = inst["region_code"].to_numpy().copy()
    rank = inst["hospital_tier"].replace_strict(
        {"tertiary": 0, "general": 1, "hospital": 2}, default=3).to_numpy()
    synthetic = ~inst["institution_id"].str.starts_with("SEED-").to_numpy()
    lat = inst["latitude"].to_numpy().copy()
    lon = inst["longitude"].to_numpy().copy()
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    since = np.full(inst.height, np.datetime64("NaT"), dtype="datetime64[D]")
    for code, centre_kind, designated in SAFE_CENTRES:
        free = np.flatnonzero((kind == centre_kind) & synthetic & np.isnat(since))
        if len(free) == 0:
            raise ValueError(f"no {centre_kind} to designate as a safe centre")
        best = free[np.lexsort((free, rank[free], region[free] != code))[0]]
        if region[best] != code:
            region[best] = code
            (lat[best],), (lon[best],) = _coordinates(rng, np.array([code], dtype=object))
        since[best] = np.datetime64(designated)
        # A centre was in the programme well before its designation.
        joined[best] = min(joined[best], since[best] - 90)
    return inst.with_columns(
        pl.Series("region_code", region), pl.Series("latitude", lat),
        pl.Series("longitude", lon), pl.Series("joined_on", joined),
        pl.Series("safe_centre_since", since),
    )


# --- quality assessments ------------------------------------------------------------------------


def assessments(rng, inst: pl.DataFrame) -> pl.DataFrame:
    """Each hospital's assessment dates and, per assessment, the intended share of failing checks.

    Hospitals with infrastructure are assessed quarterly from around their infrastructure year
    (those funded the year after joining from soon after joining); the others rarely or never,
    and none before it joined. Quality climbs from BASE_PASS_RATE once the infrastructure runs;
    a few hospitals slip in their latest assessment.
    """
    hosp = inst.filter(pl.col("kind") == "hospital")
    n = hosp.height
    tier = hosp["hospital_tier"].to_numpy()
    is_seed = hosp["institution_id"].str.starts_with("SEED-").to_numpy()
    infra = hosp["infrastructure_since"].fill_null(0).to_numpy()
    has_infra = infra > 0
    infra_month = (np.maximum(infra, 2020) - 2020) * 12
    joined = hosp["joined_on"].to_numpy().astype("datetime64[M]")
    joined_month = (joined - MONTHS_ORIGIN).astype(int)

    interval = np.where(has_infra, ASSESSMENT_MONTHS, rng.integers(6, 10, n))
    baseline = has_infra & (infra > _year(joined))
    start = np.where(baseline, joined_month + rng.integers(1, 4, n),
                     infra_month + rng.integers(0, 6, n))
    start = np.where(has_infra, start, rng.integers(LAST_MONTH - 20, LAST_MONTH + 1, n))
    start = np.maximum(start, joined_month + 1)
    assessed = has_infra | (rng.random(n) < UNFUNDED_ASSESSED)
    count = np.where(assessed, np.maximum((LAST_MONTH - start) // interval + 1, 0), 0)
    kept = np.minimum(count, MAX_ASSESSMENTS)
    first = start + (count - kept) * interval  # the latest MAX_ASSESSMENTS are kept

    h = np.repeat(np.arange(n), kept)
    k = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)
    month = first[h] + k * interval[h]
    day = rng.integers(0, 26, n)[h]  # up to the 26th: the last one stays before the data date
    assessed_on = (MONTHS_ORIGIN + month).astype("datetime64[D]") + day

    tier_level = np.select([tier == "tertiary", tier == "hospital"], [0.01, -0.015], 0.0)
    level = rng.normal(0, 0.02, n) + tier_level
    level = np.where(is_seed, np.abs(level), level)
    years_on = np.where(has_infra[h], (month - infra_month[h]) / 12, -1.0)
    gain = np.where(years_on >= 0, INFRASTRUCTURE_GAIN * (1 - np.exp(-years_on / GAIN_YEARS)), 0)
    pass_rate = BASE_PASS_RATE + level[h] + gain + rng.normal(0, 0.012, len(h))
    pass_rate -= np.where(rng.random(len(h)) < 0.05, rng.uniform(0.03, 0.06, len(h)), 0)
    # A few hospitals slip in their latest assessment (never the press release's ones), so the
    # quality alert has something to show.
    slips = (rng.random(n) < REGRESSION_SHARE) & (kept >= 2) & ~is_seed
    if not slips.any():
        slips[np.argmax(np.where(is_seed, -1, kept))] = True
    latest = k == kept[h] - 1
    pass_rate -= np.where(latest & slips[h], rng.uniform(0.07, 0.12, len(h)), 0)

    size = np.select([tier == "tertiary", tier == "general"], [1.2e6, 3e5], 6e4)
    persons = size * rng.lognormal(0, 0.35, n)
    tables = list(CDM_ROWS_PER_PERSON)
    missing = np.zeros(n, dtype=np.int64)
    for table, chance in CDM_TABLE_MISSING.items():
        lacks = rng.random(n) < chance * np.where(tier == "tertiary", 0.5, 1.0)
        missing |= np.where(lacks, 1 << tables.index(table), 0)

    frame = _frame({
        "institution_id": hosp["institution_id"].to_numpy()[h],
        "assessed_on": assessed_on,
        "persons": persons[h] * (1 + 0.06 * month / 12),  # databases grow
        "fail_rate": 1 - np.clip(pass_rate, 0.55, 0.995),
        "missing_tables": missing[h],
    }).sort("institution_id", "assessed_on")
    return frame.with_row_index("assessment_no").with_columns(
        pl.col("assessment_no").cast(pl.Int64),
        (pl.col("institution_id").rank("dense") - 1).cast(pl.Int64).alias("hospital_rank"),
    )


# --- agreements ---------------------------------------------------------------------------------


def agreements(rng, inst: pl.DataFrame, shape: Scale) -> tuple[pl.DataFrame, pl.DataFrame]:
    kind = inst["kind"].to_numpy()
    ids = inst["institution_id"].to_numpy()
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    is_seed = inst["institution_id"].str.starts_with("SEED-").to_numpy()
    n = shape.agreements - len(SEED_AGREEMENTS)

    signed = _weekday(_dates_on_curve(rng, n, AGREEMENTS_FROM, DATA_DATE, AGREEMENT_GROWTH,
                                      AGREEMENT_LAUNCH_BOOST))
    # Requesters: the release's four have only their own agreement.
    req = np.flatnonzero(np.isin(kind, schema.REQUESTER_KINDS) & ~is_seed)
    kind_or_sector = np.where(kind == "company", inst["company_sector"].to_numpy(), kind)[req]
    weight = _lookup(kind_or_sector, REQUESTER_PICK_WEIGHT) * rng.lognormal(0, 0.8, len(req))
    # (the lognormal factor: a few requesters are very active)
    requester = req[_pick_joined_by(rng, signed, joined[req], weight)]

    # Hospitals: 1-4 distinct ones that had joined, tertiary and capital-area ones favoured
    # (Gumbel top-k: a weighted draw without replacement for every agreement at once).
    hosp = np.flatnonzero(kind == "hospital")
    tier = inst["hospital_tier"].to_numpy()[hosp]
    h_weight = (_lookup(tier, HOSPITAL_PICK_WEIGHT)
                * np.where(np.isin(inst["region_code"].to_numpy()[hosp], CAPITAL_AREA),
                           CAPITAL_PICK_BOOST, 1.0)
                * np.where(inst["infrastructure_since"].is_not_null().to_numpy()[hosp], 1.5, 1.0)
                * rng.lognormal(0, 0.5, len(hosp)))
    eligible = joined[hosp][None, :] <= signed[:, None]
    eligible[~eligible.any(axis=1)] = True
    keys = np.where(eligible, np.log(h_weight) + rng.gumbel(size=eligible.shape), -np.inf)
    ranked = np.argsort(-keys, axis=1)[:, :max(HOSPITALS_PER_AGREEMENT)]
    wanted = _choice(rng, HOSPITALS_PER_AGREEMENT, n).astype(int)
    row = np.repeat(np.arange(n), wanted)
    pick = ranked[row, np.arange(len(row)) - np.repeat(np.cumsum(wanted) - wanted, wanted)]
    usable = np.isfinite(keys[row, pick])
    row, party = row[usable], hosp[pick[usable]]

    # Signed once every party had joined.
    latest_join = joined[requester].copy()
    np.maximum.at(latest_join, row, joined[party])
    signed = np.maximum(signed, latest_join)

    age = (DATA_DATE - signed).astype(int)
    planned_end = signed + rng.integers(*AGREEMENT_DAYS, n)
    started = age >= STARTUP_DAYS
    terminated = started & (rng.random(n) < TERMINATED_SHARE)
    completed = started & ~terminated & (planned_end <= DATA_DATE)
    status = np.select(
        [~started & (rng.random(n) < 0.8), terminated, completed],
        ["signed", "terminated", "completed"],
        "active",
    )
    ends_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    ends_on[completed] = planned_end[completed]
    stopped = signed + STARTUP_DAYS + (rng.random(n) * (age - STARTUP_DAYS)).astype(int)
    ends_on[terminated] = stopped[terminated]

    area = _choice(rng, RESEARCH_AREA_SHARES, n)
    title = np.full(n, None, dtype=object)
    for a, subjects in TITLE_SUBJECTS.items():
        where = np.flatnonzero(area == a)
        subject = rng.choice(np.array(subjects, dtype=object), len(where))
        design = rng.choice(np.array(TITLE_DESIGNS, dtype=object), len(where))
        title[where] = design + subject
    title[rng.random(n) < UNTITLED_SHARE] = None

    order = np.lexsort((np.arange(n), signed))
    agreement_id = np.empty(n, dtype=object)
    agreement_id[order] = _ids("AGR-", n, 5)
    synthetic = _frame({
        "agreement_id": agreement_id, "signed_on": signed, "requester_id": ids[requester],
        "research_area": area, "title": title, "status": status, "ends_on": ends_on,
    })
    parties = _frame({"agreement_id": agreement_id[row], "hospital_id": ids[party]})

    _, seed_pairs = _seed_rows()
    seed_ids = {requester_id: f"AGR-SEED-{i}"
                for i, requester_id in enumerate(dict.fromkeys(r for r, _ in seed_pairs), 1)}
    seed = pl.DataFrame({
        "agreement_id": list(seed_ids.values()),
        "signed_on": [SEED_SIGNED_ON.item()] * len(seed_ids),
        "requester_id": list(seed_ids),
        "research_area": [SEED_AGREEMENTS[name][0] for name in SEED_REQUESTERS],
        "title": [SEED_AGREEMENTS[name][1] for name in SEED_REQUESTERS],
        "status": ["active"] * len(seed_ids),
        "ends_on": [None] * len(seed_ids),
    }, schema=synthetic.schema)
    seed_parties = pl.DataFrame({
        "agreement_id": [seed_ids[r] for r, _ in seed_pairs],
        "hospital_id": [h for _, h in seed_pairs],
    })
    agreements = pl.concat([synthetic.sort("agreement_id"), seed])
    parties = pl.concat([parties, seed_parties]).sort("agreement_id", "hospital_id")
    return agreements, parties


# --- data requests ------------------------------------------------------------------------------


def requests(rng, inst, agreements, parties, shape: Scale) -> pl.DataFrame:
    n = shape.requests
    signed = agreements["signed_on"].to_numpy().astype("datetime64[D]")
    status = agreements["status"].to_numpy()
    ends_on = agreements["ends_on"].to_numpy().astype("datetime64[D]")
    area = agreements["research_area"].to_numpy()

    # Requests come while an agreement runs, from a week after signing.
    start = signed + FIRST_REQUEST_AFTER_DAYS
    end = np.where(np.isnat(ends_on), DATA_DATE, ends_on - 30)
    window = (end - start).astype(int)
    index = dict(zip(agreements["agreement_id"].to_list(), range(agreements.height)))
    party_row = _lookup(parties["agreement_id"].to_numpy(), index).astype(int)
    party_count = np.bincount(party_row, minlength=agreements.height)
    party_offset = np.cumsum(party_count) - party_count  # parties are sorted by agreement
    weight = np.where((status == "signed") | (window <= 0), 0.0, np.maximum(window, 0))
    weight = weight * np.sqrt(party_count) * rng.lognormal(0, 0.7, len(weight))
    a = rng.choice(len(weight), size=n, p=weight / weight.sum())
    requested = start[a] + (rng.random(n) * (window[a] + 1)).astype(int)
    party = party_offset[a] + (rng.random(n) * party_count[a]).astype(int)
    hospital = parties["hospital_id"].to_numpy()[party]

    hospitals = inst.filter(pl.col("kind") == "hospital")
    tier = _lookup(hospital, dict(zip(hospitals["institution_id"], hospitals["hospital_tier"])))
    region = _lookup(hospital, dict(zip(hospitals["institution_id"], hospitals["region_code"])))

    # Access: a safe centre once one had been designated, otherwise remote analysis or transfer.
    centres = inst.filter(pl.col("safe_centre_since").is_not_null())
    since = centres["safe_centre_since"].to_numpy().astype("datetime64[D]")
    open_centre = since[None, :] <= requested[:, None]
    near = np.where(centres["region_code"].to_numpy()[None, :] == region[:, None], 3.0, 1.0)
    keys = np.where(open_centre, np.log(near) + rng.gumbel(size=open_centre.shape), -np.inf)
    use_centre = open_centre.any(axis=1) & (rng.random(n) < SAFE_CENTRE_SHARE)
    nearest_open = centres["institution_id"].to_numpy()[np.argmax(keys, axis=1)]
    centre = np.where(use_centre, nearest_open, None)
    mode = np.where(use_centre, "safe_centre",
                    np.where(rng.random(n) < 0.45, "remote_analysis", "deidentified_transfer"))

    data_type = _choice(rng, DATA_TYPE_SHARES, n)
    leaning = _lookup(area[a], AREA_DATA_TYPE, default="")
    data_type = np.where((leaning != "") & (rng.random(n) < 0.6), leaning, data_type)

    # Lead times: long-tailed, tertiary hospitals a little faster, safe centres deliver sooner.
    speed = np.where(tier == "tertiary", TERTIARY_SPEED, 1.0)
    to_approval = np.maximum(1, np.round(_lognormal_days(rng, n, *DAYS_TO_APPROVAL) * speed))
    to_delivery = np.maximum(1, np.round(_lognormal_days(rng, n, *DAYS_TO_DELIVERY) * speed
                                         * np.where(use_centre, 0.7, 1.0)))
    outcome = _choice(rng, REQUEST_OUTCOMES, n)
    to_approval = np.where(outcome == "stalled", rng.integers(*STALLED_DAYS, n), to_approval)
    approved_at = requested + to_approval.astype(int)
    delivered_at = approved_at + to_delivery.astype(int)
    after_approval = (outcome == "withdrawn") & (rng.random(n) < WITHDRAWN_AFTER_APPROVAL)
    decided_at = np.select(
        [outcome == "rejected", after_approval, outcome == "withdrawn"],
        [approved_at, approved_at + _lognormal_days(rng, n, 10, 0.8).astype(int),
         requested + _lognormal_days(rng, n, 25, 0.8).astype(int)],
        delivered_at,
    )
    is_approved = approved_at <= DATA_DATE
    is_delivered = np.isin(outcome, ["delivered", "stalled"]) & (delivered_at <= DATA_DATE)
    is_closed = np.isin(outcome, ["rejected", "withdrawn"]) & (decided_at <= DATA_DATE)
    waited = (DATA_DATE - requested).astype(int)
    still_new = (waited < 14) | (rng.random(n) < 0.25)
    goes_ahead = np.isin(outcome, ["delivered", "stalled"]) | after_approval
    state = np.select(
        [is_delivered, is_closed, is_approved & goes_ahead],
        [np.array("delivered", dtype=object), outcome, np.array("approved", dtype=object)],
        np.where(still_new, "requested", "under_review"),
    )
    shows_approval = (np.isin(state, ["delivered", "approved"])
                      | ((state == "withdrawn") & after_approval))
    approved_on = np.where(shows_approval, approved_at, np.datetime64("NaT"))
    delivered_on = np.where(state == "delivered", delivered_at, np.datetime64("NaT"))

    # Cohort sizes: known once delivered, sometimes estimated at approval.
    patients = np.round(rng.lognormal(np.log(2500), 1.2, n)
                        * np.where(tier == "tertiary", 1.5, 1.0)
                        * np.where(data_type == "genomic", 0.1, 1.0)).astype(np.int64)
    per_patient = rng.lognormal(np.log(30), 1.0, n)
    records = np.maximum(patients, np.round(patients * per_patient)).astype(np.int64)
    sized = (state == "delivered") | ((state == "approved") & (rng.random(n) < 0.3))

    order = np.lexsort((rng.random(n), requested))
    request_id = np.empty(n, dtype=object)
    request_id[order] = _ids("REQ-", n, 7)
    frame = _frame({
        "request_id": request_id,
        "agreement_id": agreements["agreement_id"].to_numpy()[a],
        "hospital_id": hospital,
        "requested_on": requested,
        "approved_on": approved_on.astype("datetime64[D]"),
        "delivered_on": delivered_on.astype("datetime64[D]"),
        "status": state,
        "data_type": data_type,
        "access_mode": mode,
        "centre_id": centre,
        "patients": patients,
        "records": records,
        "sized": sized,
    })
    return frame.with_columns(
        pl.when("sized").then("patients").alias("patients"),
        pl.when("sized").then("records").alias("records"),
    ).drop("sized").sort("request_id")


# --- safe centres and consultations -------------------------------------------------------------


def centre_usage(rng, inst: pl.DataFrame, requests: pl.DataFrame) -> pl.DataFrame:
    """Each centre, each month from its designation: use ramps up and follows its requests."""
    centres = inst.filter(pl.col("safe_centre_since").is_not_null()).sort("institution_id")
    since = centres["safe_centre_since"].to_numpy().astype("datetime64[D]")
    first = (since.astype("datetime64[M]") - MONTHS_ORIGIN).astype(int)
    months = LAST_MONTH - first + 1
    c = np.repeat(np.arange(centres.height), months)
    k = np.arange(months.sum()) - np.repeat(np.cumsum(months) - months, months)
    month = (MONTHS_ORIGIN + first[c] + k).astype("datetime64[D]")
    next_month = (MONTHS_ORIGIN + first[c] + k + 1).astype("datetime64[D]")
    # Part months: the designation month from its day, the data month up to the data date.
    open_from = np.maximum(month, since[c])
    open_to = np.minimum(next_month, DATA_DATE + 1)
    coverage = (open_to - open_from).astype(int) / (next_month - month).astype(int)

    frame = _frame({"centre_id": centres["institution_id"].to_numpy()[c], "month": month})
    routed = (
        requests.filter(pl.col("access_mode") == "safe_centre")
        .group_by("centre_id", pl.col("requested_on").dt.truncate("1mo").alias("month"))
        .len()
    )
    demand = frame.join(routed, on=["centre_id", "month"], how="left", maintain_order="left")[
        "len"].fill_null(0).to_numpy()

    # Seats are few: use follows each centre's share of demand, not the scale's request volume.
    base = rng.uniform(*CENTRE_SESSIONS, centres.height)[c]
    ramp = 1 - np.exp(-(k + 1) / 3)
    demand_index = demand / max(demand.mean(), 1)
    sessions = rng.poisson(base * ramp * (0.6 + 0.4 * demand_index) * coverage)
    researchers = np.round(sessions * rng.uniform(0.3, 0.45, len(c))).astype(np.int64)
    researchers = np.where(sessions > 0, np.maximum(researchers, 1), 0)
    hours = np.round(sessions * rng.lognormal(np.log(4.5), 0.2, len(c)) * 2) / 2
    return frame.with_columns(
        pl.Series("sessions", sessions.astype(np.int64)),
        pl.Series("researcher_hours", hours),
        pl.Series("researchers", researchers.astype(np.int64)),
    )


def consultations(rng, inst: pl.DataFrame, shape: Scale) -> pl.DataFrame:
    n = shape.consultations
    pilot = rng.random(n) < CONSULTATION_PILOT_SHARE
    held = np.where(
        pilot,
        PILOTS_FROM + rng.integers(0, (LAUNCH - PILOTS_FROM).astype(int), n),
        _dates_on_curve(rng, n, LAUNCH, DATA_DATE, 0.5, 1.0),
    )
    held = _weekday(held)
    weight = _lookup(inst["kind"].to_numpy(), CONSULTING_WEIGHT)
    # Advice often comes just before an institution formally joins.
    joined = inst["joined_on"].to_numpy().astype("datetime64[D]")
    who = _pick_joined_by(rng, held + 60, joined, weight)
    hours = np.clip(np.round(rng.lognormal(np.log(2), 0.6, n) * 2) / 2, 0.5, 8.0)
    satisfaction = _choice(rng, SATISFACTION_SHARES, n).astype(float)
    satisfaction[rng.random(n) < SATISFACTION_MISSING] = np.nan

    order = np.lexsort((rng.random(n), held))
    consultation_id = np.empty(n, dtype=object)
    consultation_id[order] = _ids("CON-", n, 6)
    frame = _frame({
        "consultation_id": consultation_id,
        "institution_id": inst["institution_id"].to_numpy()[who],
        "held_on": held,
        "topic": rng.permutation(_allocate(n, CONSULTATION_TOPICS)),
        "hours": hours,
        "satisfaction": satisfaction,
    })
    return frame.with_columns(
        pl.col("satisfaction").fill_nan(None).cast(pl.Int64)
    ).sort("consultation_id")


# --- quality checks -----------------------------------------------------------------------------


def check_catalogue(rng, shape: Scale) -> pl.DataFrame:
    """The checks every assessment runs: field-level ones from CDM_FIELDS, then concept-level
    plausibility checks up to the scale's catalogue size."""
    rows = []  # check_id, type, table, rows per person, concept level
    for table, spec in CDM_FIELDS.items():
        per_person = CDM_ROWS_PER_PERSON[table]
        rows.append((f"cdmTable.{table}", "cdmTable", table, per_person, False))
        if table != "person":
            rows.append((f"measurePersonCompleteness.{table}", "measurePersonCompleteness",
                         table, 1.0, False))
        for item in spec.split(", "):
            field, _, flags = item.partition(" ")
            types = ["cdmField", "measureValueCompleteness"]
            types += ["isPrimaryKey", "isRequired"] if "K" in flags else []
            types += ["isRequired"] if "R" in flags else []
            types += ["isForeignKey", "fkDomain", "isStandardValidConcept",
                      "standardConceptRecordCompleteness", "cdmDatatype"] if "C" in flags else []
            types += ["isForeignKey", "sourceConceptRecordCompleteness"] if "S" in flags else []
            types += ["sourceValueCompleteness"] if "V" in flags else []
            types += ["isForeignKey", "cdmDatatype"] if "F" in flags else []
            if "N" in flags:
                types += ["cdmDatatype", "plausibleValueLow", "plausibleValueHigh"]
            if "D" in flags:
                types += ["plausibleValueLow", "plausibleValueHigh"]
                if table not in ("person", "death"):
                    types += ["plausibleAfterBirth", "plausibleBeforeDeath"]
                types += ["withinVisitDates"] if table in EVENT_TABLES else []
            types += ["plausibleStartBeforeEnd"] if "E" in flags else []
            share = 1.0 if "R" in flags or "K" in flags else rng.uniform(0.3, 1.0)
            rows += [(f"{t}.{table}.{field}", t, table, per_person * share, False)
                     for t in dict.fromkeys(types)]
    fields = pl.DataFrame(
        rows, schema=["check_id", "type", "cdm_table", "row_factor", "concept_level"], orient="row"
    )
    n_concepts = max(shape.checks - fields.height, round(MIN_CONCEPT_CHECKS * shape.checks))
    if fields.height > shape.checks - n_concepts:  # a small catalogue: a sample of the fields
        fields = fields.sample(shape.checks - n_concepts, seed=int(rng.integers(2**31)),
                               shuffle=False)
    catalogue = pl.concat([fields, _concept_checks(rng, n_concepts)])

    types = pl.DataFrame(
        [(name, category, context, list(thresholds))
         for name, (category, context, thresholds) in CHECK_TYPES.items()],
        schema=["type", "category", "context", "thresholds"], orient="row",
    )
    catalogue = catalogue.join(types, on="type", how="left", maintain_order="left")
    difficulty = (_lookup(catalogue["category"].to_numpy(), CATEGORY_DIFFICULTY)
                  * rng.lognormal(0, 0.6, catalogue.height))
    table_bits = {table: 1 << i for i, table in enumerate(CDM_ROWS_PER_PERSON)}
    return catalogue.with_row_index("check_no").with_columns(
        pl.col("check_no").cast(pl.Int64),
        pl.col("thresholds").list.get(
            pl.Series(rng.integers(0, 60, catalogue.height)) % pl.col("thresholds").list.len()
        ).cast(pl.Int64).alias("threshold"),
        pl.Series("difficulty", difficulty / difficulty.mean()),
        pl.Series("table_bit", _lookup(catalogue["cdm_table"].to_numpy(), table_bits)),
    ).drop("thresholds")


def _concept_checks(rng, n: int) -> pl.DataFrame:
    """Per-concept checks: value range and units of measurements (three checks per concept),
    gender plausibility of conditions and procedures (one each)."""
    n_measurements = int(n * 0.6) // 3
    n_gender = n - 3 * n_measurements
    others = np.setdiff1d(np.arange(3_000_000, 3_060_000), MEASUREMENT_CONCEPTS)
    measured = np.concatenate([
        MEASUREMENT_CONCEPTS, rng.choice(others, n_measurements, replace=False)
    ])[:n_measurements].astype(str).astype(object)
    gendered = rng.choice(np.arange(4_000_000, 4_400_000), n_gender, replace=False)
    gendered = gendered.astype(str).astype(object)
    is_condition = rng.random(n_gender) < 0.6
    gender_table = np.where(is_condition, "condition_occurrence", "procedure_occurrence")
    gender_field = np.where(is_condition, "condition_concept_id", "procedure_concept_id")
    check_id = np.concatenate([
        "plausibleValueLow.measurement.value_as_number." + measured,
        "plausibleValueHigh.measurement.value_as_number." + measured,
        "plausibleUnitConceptIds.measurement.unit_concept_id." + measured,
        "plausibleGender." + gender_table.astype(object) + "." + gender_field.astype(object)
        + "." + gendered,
    ])
    kinds = np.concatenate([
        np.repeat(["plausibleValueLow", "plausibleValueHigh", "plausibleUnitConceptIds"],
                  n_measurements),
        np.full(n_gender, "plausibleGender"),
    ])
    table = np.concatenate([np.full(3 * n_measurements, "measurement"), gender_table])
    concept_share = np.clip(rng.lognormal(np.log(0.003), 1.0, n_measurements), 1e-5, 0.2)
    share = np.concatenate([np.tile(concept_share, 3),
                            np.clip(rng.lognormal(np.log(0.002), 1.0, n_gender), 1e-5, 0.1)])
    per_person = _lookup(table.astype(object), CDM_ROWS_PER_PERSON)
    return pl.DataFrame({
        "check_id": check_id.tolist(), "type": kinds.tolist(), "cdm_table": table.tolist(),
        "row_factor": per_person * share, "concept_level": np.ones(n, dtype=bool),
    })


