"""``carecall import`` (data from the clinic's MIS) and ``carecall export calls``."""

from __future__ import annotations

import json
import sys
from datetime import date

from app.cli import CliError, load_settings_from


def register(sub, common) -> None:
    from app.mis.mapping import KINDS

    p = sub.add_parser("import", parents=[common], help="import patients, visits, plans, appointments or bonuses "
                       "from a MIS export (CSV or XLSX)")
    p.add_argument("file", metavar="FILE", help="the export: .csv (any encoding, ; , or tab) or .xlsx")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--mapping", metavar="NAME", help="a saved column mapping (e.g. the MIS name) or a preset: "
                   "generic-ru, generic-en; default: guessed from the column names")
    p.add_argument("--save-mapping", metavar="NAME", help="save the mapping used under this name")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="map a column by hand (repeatable); FIELD empty to ignore the column")
    p.add_argument("--dry-run", action="store_true", help="report what would be created, updated or rejected; "
                   "save nothing")
    p.add_argument("--sheet", metavar="NAME", help="XLSX sheet (default: the first)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("--show-mapping", action="store_true", help="print the columns and fields, import nothing")
    p.set_defaults(func=run_import)

    e = sub.add_parser("export", parents=[common], help="export calls, dispositions and tags to CSV")
    e.add_argument("what", choices=["calls"])
    e.add_argument("--out", required=True, metavar="FILE.csv")
    e.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    e.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    e.add_argument("--delimiter", default=";", choices=[";", ",", "tab"])
    e.add_argument("--encoding", default="utf-8-sig", choices=["utf-8-sig", "utf-8", "cp1251"])
    e.set_defaults(func=run_export)


def _open(args):
    from app.context import open_context
    from db.session import DatabaseError

    settings = load_settings_from(args)
    try:
        return settings, open_context(settings, args.database)
    except DatabaseError as e:
        raise CliError(str(e), 1) from None


def run_import(args) -> int:
    from app.mis import mapping as M
    from app.mis.importer import Importer, resolve_columns
    from app.mis.readers import ReadError, read_table

    try:
        table = read_table(args.file, args.sheet)
    except ReadError as e:
        raise CliError(str(e), 1) from None
    settings, ctx = _open(args)
    try:
        with ctx.sessions() as s:
            try:
                cols, name = resolve_columns(s, args.kind, table.headers, args.mapping)
            except M.MappingError as e:
                raise CliError(str(e)) from None
        for item in args.map:
            col, sep, field = item.partition("=")
            if not sep or col not in table.headers:
                raise CliError(f"--map {item!r}: expected COLUMN=FIELD with a column of the file "
                               f"({', '.join(table.headers)})")
            cols[col] = field
        cols = {h: f for h, f in cols.items() if h in table.headers and f}
        if args.show_mapping:
            for h in table.headers:
                print(f"{h!r:40} -> {cols.get(h, '(ignored)')}")
            problems = M.validate(args.kind, cols, table.headers)
            for pr in problems:
                print(f"problem: {pr}")
            return 1 if problems else 0
        problems = M.validate(args.kind, cols, table.headers)
        if problems:
            raise CliError("the column mapping is not usable: " + "; ".join(problems)
                           + " (see --show-mapping, fix with --map COLUMN=FIELD; fields: "
                           + ", ".join(M.field_names(args.kind)) + ")")
        importer = Importer(ctx.sessions, settings.phone.default_region, settings.bonus.expiry_days)
        report = importer.run(table, args.kind, cols, dry_run=args.dry_run, mapping_name=name)
        if args.save_mapping and not args.dry_run:
            with ctx.sessions() as s, s.begin():
                M.save(s, args.save_mapping, args.kind, cols)
    finally:
        ctx.close()
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(report.text())
    return 0


def run_export(args) -> int:
    from app.mis.export import export_calls

    def d(v, flag):
        if not v:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise CliError(f"{flag} {v!r} is not a date (YYYY-MM-DD)") from None

    date_from, date_to = d(args.date_from, "--from"), d(args.date_to, "--to")
    if date_from and date_to and date_to < date_from:
        raise CliError("--to is before --from")
    _settings, ctx = _open(args)
    try:
        try:
            res = export_calls(ctx.sessions, args.out, date_from, date_to,
                               "\t" if args.delimiter == "tab" else args.delimiter, args.encoding)
        except OSError as e:
            raise CliError(f"cannot write {args.out}: {e.strerror or e}", 1) from None
    finally:
        ctx.close()
    print(f"{res.rows} calls written to {res.path}")
    return 0
