"""Command line: python -m oversight COMMAND [--db PATH] ...

Every command takes --db PATH, which wins over OVERSIGHT_DB and data/oversight.duckdb.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from oversight import config


def _progress(label: str, fraction: float) -> None:
    print(f"  [{fraction:4.0%}] {label}", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from oversight import demo

    path = config.database_path(args.db)
    if path.exists() and args.if_missing:
        print(f"{path} exists; left as it is.")
        return 0
    started = time.perf_counter()
    counts = demo.build_demo(path, scale=args.scale, seed=args.seed, progress=_progress)
    rows = ", ".join(f"{table} {n:,}" for table, n in counts.get("rows", {}).items())
    print(f"Built {args.scale} demo data (seed {args.seed}) in {time.perf_counter() - started:.1f} s at {path}: {rows}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from oversight import db

    path = config.database_path(args.db)
    if not path.exists():
        print(f"{path} does not exist: build it with `python -m oversight demo` or import data.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    with db.rebuild(path):
        pass  # a rebuild recomputes every derived table before the swap
    print(f"Rebuilt the derived tables of {path} in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from oversight import db, queries

    runner = queries.DatabaseRunner(db.read_only(config.database_path(args.db)))
    for key, value in runner.run("dataset_info", {}).row(0, named=True).items():
        print(f"{key}: {value}")
    return 0


def _report_inputs(args: argparse.Namespace):
    """Runner and filters for `report` and `deck`: the dashboard's default period unless given."""
    from dataclasses import replace

    from oversight import db, filters, queries
    from oversight.regions import normalise_region
    from oversight.views.registry import SHEETS

    unknown = [s for s in args.sheet or () if s not in SHEETS]
    if unknown:
        raise SystemExit(f"unknown sheet {', '.join(unknown)}: choose from {', '.join(SHEETS)}")

    runner = queries.DatabaseRunner(db.read_only(config.database_path(args.db)))
    data_date = runner.run("dataset_info", {}).get_column("data_date")[0]
    chosen = filters.default_filters(data_date)
    if args.date_from:
        chosen = replace(chosen, date_from=max(args.date_from, filters.PROGRAMME_START))
    if args.date_to:
        chosen = replace(chosen, date_to=args.date_to)
    if chosen.date_from > chosen.date_to:
        raise SystemExit(f"--from {chosen.date_from} is after --to {chosen.date_to}")
    regions = []
    for value in args.region or ():
        code = normalise_region(value)
        if code is None:
            raise SystemExit(f"unknown region {value!r}: give a code (11) or a name (서울특별시, Seoul)")
        regions.append(code)
    chosen = replace(chosen, regions=tuple(dict.fromkeys(regions)))
    return runner, chosen


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(data)
    partial.replace(out)  # a reader never sees half a file


def cmd_report(args: argparse.Namespace) -> int:
    from oversight.export import excel

    runner, chosen = _report_inputs(args)
    started = time.perf_counter()
    data = excel.build_report(runner, chosen, args.lang, sheets=args.sheet or None)
    _write(args.out, data)
    print(f"Wrote {args.out} ({len(data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    from oversight.export import deck

    runner, chosen = _report_inputs(args)
    started = time.perf_counter()
    data = deck.build_deck(runner, chosen, args.lang, sheets=args.sheet or None, progress=_progress)
    _write(args.out, data)
    print(f"Wrote {args.out} ({len(data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m oversight", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--db", type=Path, help="database file (default: $OVERSIGHT_DB or data/oversight.duckdb)")
        sub.set_defaults(handler=handler)
        return sub

    demo = command("demo", cmd_demo, "build the synthetic demo database")
    demo.add_argument("--scale", choices=("tiny", "small", "medium", "large"), default="small")
    demo.add_argument("--seed", type=int, default=20260201)
    demo.add_argument("--if-missing", action="store_true", help="do nothing when the database exists")

    command("info", cmd_info, "what the database holds")
    command("refresh", cmd_refresh, "rebuild the derived tables (after upgrading the dashboard)")

    def export(name: str, handler, help_text: str, suffix: str) -> None:
        import datetime as dt

        from oversight.i18n import DEFAULT_LANGUAGE, LANGUAGES

        sub = command(name, handler, help_text)
        sub.add_argument("--out", type=Path, required=True, help=f"the {suffix} file to write")
        sub.add_argument("--from", dest="date_from", type=dt.date.fromisoformat, help="period start, YYYY-MM-DD (default: 12 months to the data date)")
        sub.add_argument("--to", dest="date_to", type=dt.date.fromisoformat, help="period end, YYYY-MM-DD (default: the data date)")
        sub.add_argument("--region", action="append", metavar="CODE", help="region code or name; repeat for several")
        sub.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
        sub.add_argument("--sheet", action="append", metavar="NAME", help="only this page (e.g. Overview); repeat for several")

    export("report", cmd_report, "write the Excel report (cover sheet and one sheet per page)", ".xlsx")
    export("deck", cmd_deck, "write the meeting deck (16:9 slides of the key figures and charts)", ".pptx")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
