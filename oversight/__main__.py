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
    from oversight.pages import SHEETS

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
    data = deck.build_deck(runner, chosen, args.lang, sheets=args.sheet or None, progress=_progress,
                           notice=lambda text: print(f"  ! {text}", file=sys.stderr, flush=True))
    _write(args.out, data)
    print(f"Wrote {args.out} ({len(data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s")


def cmd_import(args: argparse.Namespace) -> int:
    """Check a batch of files and load it, all or nothing. Exit 0 when loaded or unchanged,
    1 when refused (the problems are listed), 2 for a missing file, 3 when another load holds
    the database, 4 when the database cannot be read."""
    import datetime as dt

    from oversight import db, loader
    from oversight.i18n import t
    from oversight.loader import problems as found
    from oversight.loader.report import change_lines

    lang = args.lang
    path = config.database_path(args.db)
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        print(t("loader.cli.missing_file", lang, path=", ".join(map(str, missing))), file=sys.stderr)
        return 2
    data_date = dt.date.fromisoformat(args.data_date) if args.data_date else None
    progress = None if args.quiet else (lambda label, fraction: _progress(t(f"loader.stage.{label}", lang), fraction))
    try:
        result = loader.import_files(
            args.files, path, by=args.by or loader.user_name(), data_date=data_date, progress=progress,
            max_bytes=args.max_mb * 2**20, wait_seconds=args.wait, check_only=args.check_only,
        )
    except loader.Busy:
        print(t("loader.cli.busy", lang, path=path), file=sys.stderr)
        return 3
    except db.DatabaseUnreadable as exc:
        print(t("app.db_unreadable", lang, path=path, detail=str(exc)), file=sys.stderr)
        return 4
    checked = result if isinstance(result, loader.Checked) else result.checked
    problems = checked.problems
    if args.errors_csv and problems.height:
        args.errors_csv.write_bytes(found.to_csv(problems, lang, limit=None))
    if problems.height:
        print(t("loader.cli.refused", lang, n=f"{problems.height:,}", path=path))
        shown = found.table(problems, lang, args.max_errors)
        for row in shown.iter_rows():
            file, sheet, row_number, column, value, sentence = row
            where = " · ".join(str(p) for p in (file, sheet, row_number and t("loader.cli.row", lang, row=row_number), column) if p)
            print(f"  {where + ': ' if where else ''}{sentence}" + (f" [{value}]" if value is not None else ""))
        if problems.height > shown.height:
            print(t("loader.cli.more", lang, n=f"{problems.height - shown.height:,}"))
        return 1
    for line in change_lines(checked.changes, lang):
        print("  " + line)
    if isinstance(result, loader.Checked):
        print(t("loader.cli.checked", lang, seconds=f"{checked.seconds:.1f}"))
        return 0
    if result.outcome == "unchanged":
        print(t("loader.cli.unchanged", lang, path=path))
        return 0
    print(t("loader.cli.loaded", lang, batch=result.batch_id, path=path, seconds=f"{result.seconds:.1f}",
            check=f"{checked.seconds:.1f}", swap=f"{result.swap_seconds:.1f}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from oversight.loader import template

    args.out.write_bytes(template.template(example_rows=args.example))
    print(f"{args.out}")
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



    load = command("import", cmd_import, "check submitted files and load them as one batch, all or nothing")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".xlsx, .csv or .parquet files")
    load.add_argument("--by", help="who loads (default: user@host)")
    load.add_argument("--lang", choices=("ko", "en"), default="ko", help="language of the messages")
    load.add_argument("--check-only", action="store_true", help="check and report; load nothing")
    load.add_argument("--data-date", help="the data's as-of date, YYYY-MM-DD (default: today or the current one)")
    load.add_argument("--max-errors", type=int, default=50, help="problems listed (the rest are counted)")
    load.add_argument("--errors-csv", type=Path, help="write every problem to this CSV file")
    load.add_argument("--max-mb", type=int, default=500, help="largest file accepted, in MB")
    load.add_argument("--wait", type=float, default=60.0, help="seconds to wait for another load to finish")
    load.add_argument("--quiet", action="store_true", help="no progress on stderr")

    template = commands.add_parser("template", help="write the XLSX submission template")
    template.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    template.add_argument("--example", action="store_true", help="fill it with an example that loads cleanly")
    template.set_defaults(handler=cmd_template)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
