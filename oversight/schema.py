"""The tables of the data contract (docs/data-contract.md, version 1), as data.

One description serves the database DDL, the demo generator, the loader's validation and the
tests, so a column added here is added everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONTRACT_VERSION = 1

INSTITUTION_KINDS = ("hospital", "company", "university", "research_institute", "public_agency")
REQUESTER_KINDS = ("company", "university", "research_institute")
HOSPITAL_TIERS = ("tertiary", "general", "hospital")
COMPANY_SECTORS = ("pharmaceutical", "medical_device", "ai_digital_health", "biotech", "other")
RESEARCH_AREAS = (
    "oncology", "cardiovascular", "neurology", "metabolic_endocrine", "infectious_disease",
    "respiratory", "mental_health", "rare_disease", "ophthalmology", "medical_imaging",
    "digital_therapeutics", "other",
)
AGREEMENT_STATUSES = ("signed", "active", "completed", "terminated")
REQUEST_STATUSES = ("requested", "under_review", "approved", "delivered", "rejected", "withdrawn")
DATA_TYPES = ("emr", "imaging", "genomic", "claims", "biosignal", "pathology", "other")
ACCESS_MODES = ("safe_centre", "remote_analysis", "deidentified_transfer")
QUALITY_CATEGORIES = ("conformance", "completeness", "plausibility")
QUALITY_CONTEXTS = ("verification", "validation")
# A check's verdict as the Data Quality Dashboard gives it; 'error' (the check did not run)
# counts as failed in scores, as in DQD's own overview, and is shown apart.
QUALITY_STATUSES = ("passed", "failed", "not_applicable", "error")
CONSULTATION_TOPICS = (
    "deidentification", "data_processing", "cdm_conversion", "ethics_irb", "security", "other",
)

# Column types: text, enum, date, month, integer, decimal, boolean.
DUCKDB_TYPES = {
    "text": "varchar", "enum": "varchar", "date": "date", "month": "date",
    "integer": "bigint", "decimal": "double", "boolean": "boolean",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum

    @property
    def sql_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    extra: tuple[Column, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type_: str, required: bool = False, values: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, required, values)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "institutions",
            (
                _c("institution_id", "text", True),
                _c("name_en", "text", True),
                _c("name_ko", "text"),
                _c("kind", "enum", True, INSTITUTION_KINDS),
                _c("hospital_tier", "enum", False, HOSPITAL_TIERS),
                _c("company_sector", "enum", False, COMPANY_SECTORS),
                _c("region_code", "text"),
                _c("latitude", "decimal"),
                _c("longitude", "decimal"),
                _c("joined_on", "date", True),
                _c("infrastructure_since", "integer"),
                _c("safe_centre_since", "date"),
            ),
            key=("institution_id",),
        ),
        Table(
            "agreements",
            (
                _c("agreement_id", "text", True),
                _c("signed_on", "date", True),
                _c("requester_id", "text", True),
                _c("research_area", "enum", True, RESEARCH_AREAS),
                _c("title", "text"),
                _c("status", "enum", True, AGREEMENT_STATUSES),
                _c("ends_on", "date"),
            ),
            key=("agreement_id",),
        ),
        Table(
            "agreement_hospitals",
            (_c("agreement_id", "text", True), _c("hospital_id", "text", True)),
            key=("agreement_id", "hospital_id"),
        ),
        Table(
            "data_requests",
            (
                _c("request_id", "text", True),
                _c("agreement_id", "text", True),
                _c("hospital_id", "text", True),
                _c("requested_on", "date", True),
                _c("approved_on", "date"),
                _c("delivered_on", "date"),
                _c("status", "enum", True, REQUEST_STATUSES),
                _c("data_type", "enum", True, DATA_TYPES),
                _c("access_mode", "enum", True, ACCESS_MODES),
                _c("centre_id", "text"),
                _c("patients", "integer"),
                _c("records", "integer"),
            ),
            key=("request_id",),
        ),
        Table(
            "centre_usage",
            (
                _c("centre_id", "text", True),
                _c("month", "month", True),
                _c("sessions", "integer", True),
                _c("researcher_hours", "decimal", True),
                _c("researchers", "integer", True),
            ),
            key=("centre_id", "month"),
        ),
        Table(
            "quality_checks",
            (
                _c("institution_id", "text", True),
                _c("assessed_on", "date", True),
                _c("check_id", "text", True),
                _c("category", "enum", True, QUALITY_CATEGORIES),
                _c("context", "enum", True, QUALITY_CONTEXTS),
                _c("cdm_table", "text", True),
                _c("cdm_field", "text"),
                # Required where status is empty (the loader checks it): the verdict is then
                # computed from them.
                _c("violated_rows", "integer"),
                _c("denominator_rows", "integer"),
                _c("threshold_pct", "decimal"),
                _c("not_applicable", "boolean"),
                _c("status", "enum", False, QUALITY_STATUSES),
                _c("message", "text"),  # DQD's error or its reason for not-applicable
            ),
            key=("institution_id", "assessed_on", "check_id"),
        ),
        Table(
            "consultations",
            (
                _c("consultation_id", "text", True),
                _c("institution_id", "text", True),
                _c("held_on", "date", True),
                _c("topic", "enum", True, CONSULTATION_TOPICS),
                _c("hours", "decimal", True),
                _c("satisfaction", "integer"),
            ),
            key=("consultation_id",),
        ),
    )
}

# Load order: a table only refers to tables before it.
LOAD_ORDER = (
    "institutions", "agreements", "agreement_hospitals", "data_requests",
    "centre_usage", "quality_checks", "consultations",
)

BATCHES_DDL = """
create table if not exists batches (
    batch_id      varchar primary key,
    loaded_at     timestamp not null,
    loaded_by     varchar not null,
    source        varchar not null,   -- 'demo' or 'import'
    files         json not null,      -- [{"name": ..., "sha256": ...}]
    rows_per_table json not null,     -- {"institutions": 12, ...}
    outcome       varchar not null,   -- 'loaded', 'unchanged', 'refused'
    message       varchar
)
"""

DATASET_INFO_DDL = """
create table if not exists dataset_info (
    kind          varchar not null,   -- 'demo' or 'submitted'
    seed          bigint,
    scale         varchar,
    built_at      timestamp not null,
    data_date     date not null,
    contract_version integer not null
)
"""


def table_ddl(table: Table) -> str:
    columns = [f"    {c.name} {c.sql_type}{' not null' if c.required else ''}" for c in table.columns]
    columns.append("    batch_id varchar not null")
    return f"create table if not exists {table.name} (\n" + ",\n".join(columns) + "\n)"


def upgrade_ddl() -> list[str]:
    """Statements that bring a database written by an earlier build of contract version 1 up
    to this one: optional columns added later, and columns that became optional."""
    statements = []
    for name in LOAD_ORDER:
        table = TABLES[name]
        for column in table.columns:
            statements.append(f"alter table {name} add column if not exists {column.name} {column.sql_type}")
            if not column.required:
                statements.append(f"alter table {name} alter column {column.name} drop not null")
    return statements


def schema_ddl() -> list[str]:
    """Every statement that creates an empty database of this contract."""
    return [table_ddl(TABLES[name]) for name in LOAD_ORDER] + [BATCHES_DDL, DATASET_INFO_DDL]
