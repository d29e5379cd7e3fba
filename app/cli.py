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
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from app import __version__, conflicts, doctor, messages, records_io, syncing
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
from sync.engine import Progress
from sync.lock import SyncBusy
from sync.scheduler import Scheduler
from sync.transport import LinkDown, Refused, SignInRequired

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_LINK, EXIT_SIGN_IN, EXIT_BUSY, EXIT_CONFLICTS = 3, 4, 5, 6


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


def _password() -> str:
    password = os.environ.get("COMMUNEDESK_PASSWORD")
    if not password and sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu tài khoản / password: ")
    if not password:
        raise CliError("password_required")
    return password


def cmd_login(args: argparse.Namespace) -> int:
    store = _open(args)
    answer = syncing.sign_in(store, args.profile, args.server, args.username, _password(),
                             args.device_name)
    print(messages.text("signed_in", user=args.username, role=answer["user"]["role"],
                        commune=answer["commune"]["name"], first=answer["slot"]["first"],
                        last=answer["slot"]["last"]))
    return EXIT_OK


def _print_progress(progress: Progress) -> None:
    total = f"/{progress.total}" if progress.total is not None else ""
    print(f"  {progress.stage}: {progress.done}{total}", flush=True)


def _sync_once(args: argparse.Namespace, store: Store,
               on_progress: Callable[[Progress], None] | None = None) -> int:
    report = syncing.run_sync(store, args.profile, blobs=True if args.blobs else None,
                              full=args.full, on_progress=on_progress)
    status = store.status()
    print(messages.text("sync_done", pushed=report.pushed, pulled=report.pulled,
                        up=report.blobs_up, down=report.blobs_down, pending=report.pending))
    if report.resynced:
        print(messages.text("resynced"))
    if report.blobs_left:
        print(messages.text("blobs_left", count=report.blobs_left))
    if report.clock_warning:
        print(f"{messages.text('warning')}: " + messages.text(
            "clock_off", minutes=round(abs(report.clock_offset or 0) / 60)), file=sys.stderr)
    sys.stdout.flush()  # --watch: each sync's lines reach a pipe as they are written
    if status["errors"]:
        print(messages.text("sync_errors", count=status["errors"]), file=sys.stderr)
        return EXIT_ERROR
    if status["conflicts"]:
        print(messages.text("sync_conflicts", count=status["conflicts"]))
        return EXIT_CONFLICTS
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    store = _open(args)
    printer = None if args.quiet else _print_progress
    if not args.watch:
        return _sync_once(args, store, printer)

    def on_error(error: Exception, wait: float) -> None:
        print(f"{messages.text('error')}: {error} ({wait:.0f} s)", file=sys.stderr, flush=True)

    def on_progress(progress: Progress) -> None:
        scheduler.made_progress()  # the link works: a later failure backs off from the start
        if printer is not None:
            printer(progress)

    scheduler = Scheduler(lambda: _sync_once(args, store, on_progress),
                          interval=args.interval, on_error=on_error)
    try:
        scheduler.run()
    except KeyboardInterrupt:
        scheduler.stop()
    return EXIT_OK


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = conflicts.open_conflicts(store)
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print(messages.text("no_conflicts"))
    for row in rows:
        print(f"{row['id']}  {row['code'] or row['record_id']}  {row['field']}: "
              f"{messages.text('local_value')} = {json.dumps(row['local'], ensure_ascii=False)}"
              f" | {messages.text('server_value')} = "
              f"{json.dumps(row['server'], ensure_ascii=False)}"
              + (f"  [{row['reason']}]" if row["reason"] else ""))
    return EXIT_OK


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    store = _open(args)
    take, value = args.take, None
    if take not in ("local", "server"):
        field, sep, text = take.partition("=")
        if not sep:
            raise CliError("conflict_choice", detail="--take local, server or FIELD=VALUE")
        conflict = next((c for c in conflicts.open_conflicts(store) if c["id"] == args.id), None)
        if conflict is not None and field != conflict["field"]:
            raise CliError("conflict_choice",
                           detail=f"this conflict is about {conflict['field']}, not {field}")
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        take = "value"
    done = conflicts.resolve(store, args.id, take, value)
    print(messages.text("conflict_resolved", dossier=done["code"], field=done["field"],
                        value=json.dumps(done["value"], ensure_ascii=False)))
    if done["field"] == "code":
        print(messages.text("code_renumbered", dossier=done["code"]))
    return EXIT_OK


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

    login = add(commands, "login", cmd_login, "sign this machine in to the city server")
    login.add_argument("--server", required=True, help="the city server's address (https://…)")
    login.add_argument("--username", required=True)
    login.add_argument("--device-name", help="this machine's name on the server")

    sync_ = add(commands, "sync", cmd_sync, "send local changes and receive the server's")
    sync_.add_argument("--watch", action="store_true",
                       help="keep syncing: after changes, every --interval, backing off offline")
    sync_.add_argument("--interval", type=float, default=300.0, help="seconds (with --watch)")
    sync_.add_argument("--blobs", action="store_true",
                       help="also move attachments now, even with bandwidth saver on")
    sync_.add_argument("--quiet", action="store_true", help="no progress lines")
    sync_.add_argument("--full", action="store_true",
                       help="receive everything again (after restoring a backup); keeps "
                            "unsent changes")

    conflict = commands.add_parser("conflicts", help="conflicts waiting for a person")
    conflict_actions = conflict.add_subparsers(dest="action", required=True, metavar="ACTION")
    add(conflict_actions, "list", cmd_conflicts_list, "open conflicts").add_argument(
        "--json", action="store_true")
    resolve_ = add(conflict_actions, "resolve", cmd_conflicts_resolve, "choose a value")
    resolve_.add_argument("id")
    resolve_.add_argument("--take", required=True, metavar="local|server|FIELD=VALUE")
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
    except SyncBusy:
        print(f"{messages.text('error')} [sync_busy]: {messages.text('sync_busy')}",
              file=sys.stderr)
        return EXIT_BUSY
    except SignInRequired as error:
        print(f"{messages.text('error')} [sign_in_required]: "
              f"{messages.text('sign_in_required', detail=error.message)}", file=sys.stderr)
        return EXIT_SIGN_IN
    except LinkDown as error:
        print(f"{messages.text('error')} [link_down]: "
              f"{messages.text('link_down', detail=error.message)}", file=sys.stderr)
        return EXIT_LINK
    except Refused as error:
        code = {426: "upgrade_required"}.get(error.status, "server_refused")
        print(f"{messages.text('error')} [{error.code}]: "
              f"{messages.text(code, detail=error.message)}", file=sys.stderr)
        return EXIT_LINK if error.status >= 500 or error.status == 429 else EXIT_ERROR
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
