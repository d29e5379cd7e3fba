"""The headless CLI: ``communedesk [--profile DIR] COMMAND``.

A contract other tools and tests rely on (docs/cli.md). Exit codes follow ARCHITECTURE.md:
0 success, 1 a user or data error (naming the record or line), 2 usage. ``--json`` output is
machine-readable and stable; other output is for people, in Vietnamese unless
``COMMUNEDESK_LANG=en``. The passphrase comes from ``COMMUNEDESK_PASSPHRASE`` or a prompt,
never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__, doctor, messages, records_io
from app.catalogue import Catalogue, UnknownProcedure
from app.dossier import VN_TZ, local_text, parse_time
from app.errors import DomainError, PassphraseRequired
from app.identity import CheckWarning
from app.profile import (
    ProfilePaths,
    create_profile,
    default_profile_dir,
    open_profile,
    passphrase_from_env,
)
from app.search import search
from app.store import DOSSIER, Store
from app.workcalendar import CalendarRangeError, DueTimeCalculator, WorkCalendar

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def _warn(warnings: Sequence[CheckWarning], prefix: str = "") -> None:
    for w in warnings:
        print(f"{messages.text('warning')} [{w.code}]: {prefix}{w.field}: "
              f"{messages.text(w.code, **w.params)}", file=sys.stderr)


def _passphrase(confirm: bool = False) -> str | None:
    passphrase = passphrase_from_env()
    if passphrase or not sys.stdin.isatty():
        return passphrase
    entered = getpass.getpass("Mật khẩu dữ liệu / passphrase: ")
    if confirm and getpass.getpass("Nhập lại / again: ") != entered:
        raise PassphraseRequired("the two passphrases differ")
    return entered or None


def _open(args: argparse.Namespace) -> Store:
    return open_profile(args.profile, _passphrase())


# ------------------------------------------------------------------ commands

def cmd_init(args: argparse.Namespace) -> int:
    store = create_profile(args.profile, _passphrase(confirm=True), args.commune,
                           unit_id=args.unit_id, user_name=args.user)
    print(messages.text("created_profile", name=store.setting("commune.name"),
                        province=store.setting("commune.province"), profile=args.profile))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    store = _open(args)
    errors: list[tuple[int, str, str]] = []
    try:
        # utf-8-sig: files saved by Notepad or Excel start with a byte-order mark.
        handle = open(args.file, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        raise CliError("file_unreadable", detail=f"{args.file}: {error.strerror}") from None
    with handle:
        result = store.import_records(records_io.parse_jsonl(handle, errors))
    errors = sorted(errors + result.errors)
    for line, code, detail in errors:
        print(f"{messages.text('error')} {messages.text('line')} {line}: "
              f"{messages.text(code, detail=detail)}", file=sys.stderr)
    for line, warning in result.warnings:
        _warn([warning], prefix=f"{messages.text('line')} {line}: ")
    print(messages.text("imported", created=len(result.created),
                        present=len(result.already_present), errors=len(errors)))
    return EXIT_ERROR if errors else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    store = _open(args)
    writer = records_io.write_csv if args.format == "csv" else records_io.write_jsonl
    writer(store.export_records(), sys.stdout)
    store.log_access("export", None)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = search(store.db, args.text, limit=args.limit)
    store.log_access("search", None)
    if args.json:
        _print_json(rows)
    elif not rows:
        print(messages.text("no_results"))
    for row in rows if not args.json else []:
        print(f"{row['code']}  {row['applicant_full_name']}  {row['procedure_code']}  "
              f"{messages.status_name(row['status'])}  {row['due_at']}")
    return EXIT_OK


def cmd_dossier_show(args: argparse.Namespace) -> int:
    store = _open(args)
    record = store.record(args.dossier)
    store.log_access("view", record["id"])
    if args.json:
        state, reason = store.sync_state(DOSSIER, record["id"])
        _print_json({**record, "sync_state": state, "sync_reason": reason,
                     "events": store.events(record["id"]),
                     "attachments": store.attachments(record["id"])})
        return EXIT_OK
    applicant = record["applicant"]
    procedure = store.catalogue.get(record["procedure_code"], record["procedure_version"])
    lines = [
        f"{record['code']}  ({record['id']})",
        f"  {procedure.code} {procedure.name}",
        f"  {messages.status_name(record['status'])}",
        f"  {applicant['full_name']}  {applicant['id_number'] or ''}  {applicant['phone'] or ''}",
        f"  {record['received_at']} → {record['due_at']}",
    ]
    lines += [f"  - {p['name']} ({p['form']}) x{p['count']}" for p in record["papers"]]
    if record["notes"]:
        lines.append(f"  {record['notes']}")
    for event in store.events(record["id"]):
        lines.append(f"  {local_text(event['at'])}  {event['actor']}  "
                     f"{event['from_status'] or ''}→{event['to_status'] or ''}  {event['note']}")
    print("\n".join(lines))
    return EXIT_OK


def cmd_dossier_set(args: argparse.Namespace) -> int:
    store = _open(args)
    _warn(store.set_field(args.dossier, args.field, args.value))
    print(messages.text("saved"))
    return EXIT_OK


def cmd_dossier_transition(args: argparse.Namespace) -> int:
    store = _open(args)
    record = store.transition(args.dossier, args.status, args.note or "")
    print(f"{record['code']}: {messages.status_name(record['status'])}  {record['due_at']}")
    return EXIT_OK


def cmd_dossier_list(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = store.list_dossiers(limit=args.limit, offset=args.offset)
    store.log_access("list", None)
    for row in rows:
        row["received_at"], row["due_at"] = local_text(row["received_at"]), local_text(row["due_at"])
    if args.json:
        _print_json(rows)
        return EXIT_OK
    for row in rows:
        print(f"{row['code']}  {row['applicant_full_name']}  {row['procedure_code']}  "
              f"{messages.status_name(row['status'])}  {row['due_at']}")
    return EXIT_OK


def _catalogue_and_calculator(args: argparse.Namespace) -> tuple[Catalogue, DueTimeCalculator]:
    """The profile's reference data if there is a profile, else the shipped resources."""
    if ProfilePaths(args.profile).exists():
        store = _open(args)
        return store.catalogue, store.due_calculator
    return Catalogue.load(), DueTimeCalculator(WorkCalendar.load())


def cmd_procedure_list(args: argparse.Namespace) -> int:
    catalogue, _ = _catalogue_and_calculator(args)
    today = datetime.now(VN_TZ).date()
    rows = [{"code": p.code, "version": p.version, "name": p.name, "field": p.field,
             "time_limit_days": p.time_limit_days,
             "verification_extension_days": p.verification_extension_days}
            for p in catalogue.current(today)]
    if args.json:
        _print_json(rows)
        return EXIT_OK
    for row in rows:
        limit = "trong ngày" if row["time_limit_days"] == 0 else f"{row['time_limit_days']} ngày"
        print(f"{row['code']}  {row['name']}  [{row['field']}]  {limit}")
    return EXIT_OK


def cmd_procedure_due(args: argparse.Namespace) -> int:
    catalogue, calculator = _catalogue_and_calculator(args)
    received_at = parse_time(args.received_at, "received-at")
    procedure = catalogue.version_at(args.code, received_at.astimezone(VN_TZ).date())
    due = calculator.due_at(received_at, procedure.time_limit_days)
    print(due.astimezone(VN_TZ).isoformat(timespec="seconds"))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    store = _open(args)
    status = store.status()
    if args.json:
        _print_json(status)
        return EXIT_OK
    for key, value in status.items():
        print(f"{messages.label(key)}: {'—' if value is None else value}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    store = _open(args)
    findings = doctor.examine(store)
    if not findings:
        print(messages.text("healthy"))
        return EXIT_OK
    print(messages.text("unhealthy", count=len(findings)))
    for finding in findings:
        print(f"  {finding.code}: {finding.detail}")
    return EXIT_ERROR


# ------------------------------------------------------------------ parser

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communedesk", description="CommuneDesk: hồ sơ một cửa cấp xã (headless CLI)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="profile folder (default: the per-user data folder)")
    parser.add_argument("--version", action="version", version=f"communedesk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(parent: Any, name: str, handler: Callable[[argparse.Namespace], int],
            help_text: str) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    init = add(commands, "init", cmd_init, "create a profile for a commune")
    init.add_argument("--commune", required=True, help="5-digit ward code, e.g. 09661")
    init.add_argument("--unit-id", help="receiving unit identifier used in dossier codes")
    init.add_argument("--user", help="the official's name, recorded on events")

    import_ = commands.add_parser("import", help="import records")
    import_kinds = import_.add_subparsers(dest="kind", required=True, metavar="KIND")
    add(import_kinds, "dossiers", cmd_import, "dossiers from a JSON Lines file").add_argument(
        "file", type=Path)

    export = commands.add_parser("export", help="export records to stdout")
    export_kinds = export.add_subparsers(dest="kind", required=True, metavar="KIND")
    add(export_kinds, "dossiers", cmd_export, "all dossiers").add_argument(
        "--format", choices=["jsonl", "csv"], default="jsonl")

    search_ = add(commands, "search", cmd_search, "search dossiers (accents optional)")
    search_.add_argument("text")
    search_.add_argument("--json", action="store_true")
    search_.add_argument("--limit", type=int, default=20)

    dossier = commands.add_parser("dossier", help="one dossier")
    actions = dossier.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = add(actions, "show", cmd_dossier_show, "show a dossier")
    show.add_argument("dossier", metavar="ID_OR_CODE")
    show.add_argument("--json", action="store_true")
    set_ = add(actions, "set", cmd_dossier_set, "change notes, applicant.phone or .address")
    set_.add_argument("dossier", metavar="ID_OR_CODE")
    set_.add_argument("field", choices=["notes", "applicant.phone", "applicant.address"])
    set_.add_argument("value")
    move = add(actions, "transition", cmd_dossier_transition, "move to a status (1-10)")
    move.add_argument("dossier", metavar="ID_OR_CODE")
    move.add_argument("status", type=int, choices=range(1, 11), metavar="STATUS")
    move.add_argument("--note")
    listing = add(actions, "list", cmd_dossier_list, "dossiers in alphabetical order")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true")

    procedure = commands.add_parser("procedure", help="the procedure catalogue")
    proc_actions = procedure.add_subparsers(dest="action", required=True, metavar="ACTION")
    add(proc_actions, "list", cmd_procedure_list, "procedures in force").add_argument(
        "--json", action="store_true")
    due = add(proc_actions, "due", cmd_procedure_due, "appointment time for a receipt")
    due.add_argument("code")
    due.add_argument("--received-at", required=True, help="ISO 8601 with offset")

    add(commands, "status", cmd_status, "counts and sync state").add_argument(
        "--json", action="store_true")
    add(commands, "doctor", cmd_doctor, "check the profile's integrity")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.profile = args.profile or default_profile_dir()
    try:
        return args.handler(args)
    except DomainError as error:
        params = {"detail": error.detail, **error.params}
        print(f"{messages.text('error')} [{error.code}]: {messages.text(error.code, **params)}",
              file=sys.stderr)
    except (UnknownProcedure, CalendarRangeError) as error:
        print(f"{messages.text('error')} [{error.code}]: "
              f"{messages.text(error.code, detail=str(error))}", file=sys.stderr)
    except CliError as error:
        print(f"{messages.text('error')} [{error.code}]: "
              f"{messages.text(error.code, **error.params)}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
