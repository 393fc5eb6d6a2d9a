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
    info = runner.run("dataset_info", {}).row(0, named=True)
    chosen = filters.default_filters(info["data_date"], info["data_until"])
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


def _export(args: argparse.Namespace, build) -> int:
    """Build a file of the filters given (build(runner, filters) -> bytes) and write it whole."""
    runner, chosen = _report_inputs(args)
    started = time.perf_counter()
    data = build(runner, chosen)
    _write(args.out, data)
    print(f"Wrote {args.out} ({len(data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from oversight.export import excel

    return _export(args, lambda runner, chosen: excel.build_report(runner, chosen, args.lang,
                                                                   sheets=args.sheet or None))


def cmd_deck(args: argparse.Namespace) -> int:
    from oversight.export import deck

    runner, chosen = _report_inputs(args)
    started = time.perf_counter()
    data = deck.build_deck(runner, chosen, args.lang, sheets=args.sheet or None, progress=_progress,
                           notice=lambda text: print(f"  ! {text}", file=sys.stderr, flush=True),
                           appendix=args.appendix)
    _write(args.out, data)
    print(f"Wrote {args.out} ({len(data) / 1024:,.0f} KB) in {time.perf_counter() - started:.1f} s")


def cmd_briefing(args: argparse.Namespace) -> int:
    from oversight.export import briefing

    return _export(args, lambda runner, chosen: briefing.build_briefing(runner, chosen, args.lang,
                                                                        sheets=args.sheet or None))


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
    try:
        files = [*args.files, *(Path(f) for f, _, _ in _mapping(args.mapping, lang))] if args.mapping else args.files
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    missing = [p for p in files if not p.is_file()]
    if missing:
        print(t("loader.cli.missing_file", lang, path=", ".join(map(str, missing))), file=sys.stderr)
        return 2
    try:
        submissions = _submissions(args, lang)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    data_date = dt.date.fromisoformat(args.data_date) if args.data_date else None
    progress = None if args.quiet else (lambda label, fraction: _progress(t(f"loader.stage.{label}", lang), fraction))
    try:
        result = loader.import_files(
            submissions, path, by=args.by or loader.user_name(), data_date=data_date, progress=progress,
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


def _mapping(path: Path | None, lang: str) -> list[tuple[str, str, str | None]]:
    """A mapping CSV's rows (file, hospital_id, assessed_on), files relative to the CSV's folder."""
    import csv

    from oversight.i18n import t

    if path is None:
        return []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"file", "hospital_id"} <= {k.strip() for k in rows[0]}:
        raise ValueError(t("loader.cli.mapping", lang, path=path, problem="file, hospital_id[, assessed_on]"))
    return [(str(path.parent / r["file"].strip()), r["hospital_id"].strip(), (r.get("assessed_on") or "").strip() or None)
            for r in rows]


def _submissions(args: argparse.Namespace, lang: str):
    """The batch's files; DQD results files (known by content) take the hospitals and dates given:
    the k-th --hospital belongs to the k-th DQD file named on the line, --assessed-on likewise
    (or once, for every DQD file without a timestamp); a mapping CSV names them per file."""
    from oversight.i18n import t
    from oversight.loader import Submission, dqd

    plain = [Submission.from_path(p) for p in args.files]
    results = [s for s in plain if dqd.is_results(s.data)]
    hospitals, dates = args.hospital or [], [_day(d, lang) for d in args.assessed_on or []]
    if results and len(hospitals) != len(results):
        raise ValueError(t("loader.cli.dqd_pairs", lang, files=len(results), hospitals=len(hospitals)))
    if dates and len(dates) not in (1, len(results)):
        raise ValueError(t("loader.cli.dqd_dates", lang, files=len(results), dates=len(dates)))
    dated = iter(dates * len(results) if len(dates) == 1 else dates)
    paired = iter(hospitals)
    batch = [Submission(s.name, s.data, next(paired), next(dated, None)) if dqd.is_results(s.data) else s for s in plain]
    for file, hospital, day in _mapping(args.mapping, lang):
        batch.append(Submission.from_path(file, hospital, _day(day, lang) if day else None))
    return batch


def _day(text: str, lang: str):
    import datetime as dt

    from oversight.i18n import t

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(t("loader.cli.bad_date", lang, value=text)) from None


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
        return sub

    export("report", cmd_report, "write the Excel report (cover sheet and one sheet per page)", ".xlsx")
    slides = export("deck", cmd_deck, "write the meeting deck (16:9: the key findings, each over its chart)", ".pptx")
    slides.add_argument("--appendix", action="store_true",
                        help="add every page's slides (KPIs, what changed, every chart) after the meeting slides")
    export("briefing", cmd_briefing, "write the one-page A4 briefing (headline figures, findings, charts)", ".pdf")



    load = command("import", cmd_import, "check submitted files and load them as one batch, all or nothing")
    load.add_argument("files", nargs="*", type=Path, metavar="FILE",
                      help=".xlsx, .csv or .parquet files, or Data Quality Dashboard results (.json or its .csv export)")
    load.add_argument("--hospital", action="append", metavar="ID",
                      help="the hospital that ran a DQD results file: RESULTS.json --hospital ID, repeated per file")
    load.add_argument("--assessed-on", action="append", metavar="DATE",
                      help="a DQD file's assessment date, YYYY-MM-DD, where it has no startTimestamp")
    load.add_argument("--mapping", type=Path, metavar="CSV",
                      help="DQD results files of several hospitals: a CSV with columns file, hospital_id[, assessed_on]")
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
    main_parser = parser()
    # `import a.json --hospital H1 b.json --hospital H2`: argparse takes the first run of file
    # names only; the files after an option come back unparsed and join the list, in order.
    args, rest = main_parser.parse_known_args(argv)
    if rest and (args.command != "import" or any(r.startswith("-") for r in rest)):
        main_parser.error("unrecognized arguments: " + " ".join(rest))
    if args.command == "import":
        args.files = [*args.files, *map(Path, rest)]
        if not args.files and not args.mapping:
            main_parser.error("import: give at least one FILE or --mapping CSV")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
