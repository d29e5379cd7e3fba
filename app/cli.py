"""The headless CLI: ``communedesk [--profile DIR] COMMAND``.

A contract other tools and tests rely on (docs/cli.md). Exit codes follow ARCHITECTURE.md:
0 success, 1 a user or data error (naming the record or line), 2 usage. ``--json`` output is
machine-readable and stable; other output is for people, in Vietnamese unless
``COMMUNEDESK_LANG=en``. The passphrase comes from ``COMMUNEDESK_PASSPHRASE`` or a prompt,
never from the command line.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import mimetypes
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app import (
    __version__,
    actions,
    conflicts,
    doctor,
    documents,
    leases,
    messages,
    records_io,
    registers,
    syncing,
)
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


def _import_progress() -> Callable[[int], None] | None:
    """On a terminal, one line that counts the lines imported (an import of 200,000 takes a
    minute); nothing for scripts, which read the summary."""
    if not sys.stderr.isatty():
        return None

    def show(lines: int) -> None:
        print(f"\r{messages.text('importing', lines=lines)}", end="", file=sys.stderr,
              flush=True)

    return show


def cmd_import(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        # utf-8-sig: files saved by Notepad or Excel start with a byte-order mark.
        handle = open(args.file, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        raise CliError("file_unreadable", detail=f"{args.file}: {error.strerror}") from None
    with handle:
        result = store.import_records(records_io.jsonl_lines(handle), progress=_import_progress())
    errors = result.errors
    if result.lines and sys.stderr.isatty():
        print(file=sys.stderr)  # end the progress line
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
        if row["number_conflict"]:
            print(f"    {messages.text('number_conflict')}: "
                  + messages.text("number_conflict_choices"))
    return EXIT_OK


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    store = _open(args)
    take, value = args.take, None
    if take == "void":
        value = args.reason
    elif take not in ("local", "server"):
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
    conflict = next((c for c in conflicts.open_conflicts(store) if c["id"] == args.id), None)
    done = conflicts.resolve(store, args.id, take, value)
    print(messages.text("conflict_resolved", dossier=done["code"] or done["record_id"],
                        field=done["field"], value=json.dumps(done["value"], ensure_ascii=False)))
    if done["field"] == "code":
        print(messages.text("code_renumbered", dossier=done["code"]))
    if conflict is not None and conflict["number_conflict"] and take == "server":
        print(messages.text("document_unnumbered", document=done["record_id"]))
    return EXIT_OK


# ------------------------------------------------------------------ correspondence registers
# (docs/correspondence.md). Roles are checked as the desktop app checks them
# (app/documents.py DOCUMENT_ROLES); a stand-alone profile may do everything.


def _check(store: Store, action: str) -> None:
    documents.check_role(actions.current_role(store), action)


def _day_text(moment: str | None) -> str:
    return parse_time(moment).astimezone(VN_TZ).strftime("%d/%m/%Y") if moment else ""


def _date_arg(text: str) -> date:
    """A --from/--to/--deadline date: YYYY-MM-DD or dd/MM/yyyy (argparse usage error else)."""
    try:
        return date.fromisoformat(documents.parse_date(text, "date") or "")
    except (DomainError, ValueError):
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (dd/MM/yyyy)") from None


def _holder_text(lease: leases.Lease) -> str:
    if lease.standalone:
        return messages.text("standalone")
    if not lease.held:
        return messages.text("nobody")
    who = lease.holder_device_name or lease.holder_device_id or ""
    user = f" ({lease.holder_user})" if lease.holder_user else ""
    mine = f" [{messages.text('this_machine')}]" if lease.mine else ""
    return f"{who}{user}{mine}"


def _document_json(store: Store, record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "events": documents.events(store, record["id"]),
            "attachments": documents.attachments(store, record["id"])}


def _flags(record: dict[str, Any]) -> str:
    flags = []
    if record["urgent"]:
        flags.append(messages.pick(registers.URGENCY[record["urgency"]]).upper())
    if record["secrecy"] != "none":
        flags.append(messages.pick(registers.SECRECY[record["secrecy"]]).upper())
    if record["overdue"]:
        flags.append(messages.text("overdue"))
    elif record["due_soon"]:
        flags.append(messages.text("due_soon"))
    if record["sync_state"] != "synced":
        flags.append(messages.sync_state(record["sync_state"]))
    return f"  [{', '.join(flags)}]" if flags else ""


def _incoming_line(record: dict[str, Any]) -> str:
    number = (f"{registers.number_text(record['arrival_number'])}/{record['register_year']}"
              if record["arrival_number"] else messages.text("unnumbered"))
    deadline = f"  → {_day_text(record['deadline'])}" if record["deadline"] else ""
    return (f"{number}  {_day_text(record['arrived_at'])}  {record['author']}  "
            f"{record['number_symbol'] or ''}  {record['doc_type']}  {record['summary']}  "
            f"({messages.document_status(record['status'])}){deadline}  "
            f"{documents.short_ref(record['id'])}"
            + _flags(record))


def _outgoing_line(record: dict[str, Any]) -> str:
    head = record["symbol"] or messages.text("draft")
    void = f"  ({record['void_reason']})" if record["status"] == "void" else ""
    return (f"{head}  {_day_text(record['issued_at'])}  {record['doc_type']}  "
            f"{record['summary']}  {record['signer'] or ''}  "
            f"({messages.document_status(record['status'])}){void}  "
            f"{documents.short_ref(record['id'])}"
            + _flags(record))


def _filter(args: argparse.Namespace, kind: str) -> documents.RegisterFilter:
    deadline = None
    if kind == "incoming":
        deadline = "overdue" if args.overdue else ("due_soon" if args.due_soon else None)
    return documents.RegisterFilter(
        year=args.year, series=args.series, date_from=args.date_from, date_to=args.date_to,
        statuses=tuple(args.status or ()), urgent_only=args.urgent, deadline=deadline,
        text=args.search)


def cmd_incoming_add(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "register")
    fields = {"author": args.author, "number_symbol": args.number_symbol,
              "document_date": args.document_date, "doc_type": args.type,
              "summary": args.summary, "urgency": args.urgency, "secrecy": args.secrecy,
              "recipient": args.recipient, "arrived_at": args.arrived_at,
              "source": args.source, "notes": args.notes}
    done = documents.register_incoming(store, fields, number=not args.no_number,
                                       allow_duplicate=args.force)
    record = done.record
    if args.json:
        _print_json({**_document_json(store, record), "numbered": done.numbered,
                     "lease": done.lease.to_json() if done.lease else None})
    elif done.numbered:
        print(messages.text("incoming_numbered",
                            register=messages.register_name("incoming", record["series"]),
                            number=registers.number_text(record["arrival_number"]),
                            arrived=_day_text(record["arrived_at"])))
    else:
        print(messages.text("incoming_unnumbered", id=record["id"]))
    for duplicate in done.duplicates:
        print(f"{messages.text('warning')} [possible_duplicate]: {_incoming_line(duplicate)}",
              file=sys.stderr)
    if done.lease is not None:
        print(f"{messages.text('warning')} [not_lease_holder]: "
              + _lease_message(done.lease), file=sys.stderr)
    return EXIT_OK


def _lease_message(lease: leases.Lease) -> str:
    register = messages.register_name(lease.kind, lease.series)
    if not lease.held:
        return messages.text("lease_free", register=register, kind=lease.kind,
                             series=lease.series)
    return messages.text("not_lease_holder", register=register, holder=_holder_text(lease))


def cmd_incoming_number(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "number")
    record = documents.number_incoming(store, args.id)
    print(messages.text("incoming_numbered",
                        register=messages.register_name("incoming", record["series"]),
                        number=registers.number_text(record["arrival_number"]),
                        arrived=_day_text(record["arrived_at"])))
    return EXIT_OK


def _print_list(args: argparse.Namespace, rows: list[dict[str, Any]],
                line: Callable[[dict[str, Any]], str]) -> int:
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print(messages.text("no_results"))
    for row in rows:
        print(line(row))
    return EXIT_OK


def cmd_incoming_list(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = documents.list_incoming(store, _filter(args, "incoming"), limit=args.limit,
                                   offset=args.offset)
    return _print_list(args, rows, _incoming_line)


def cmd_document_show(args: argparse.Namespace) -> int:
    store = _open(args)
    record = documents.get(store, args.id, args.kind)
    if args.json:
        _print_json(_document_json(store, record))
        return EXIT_OK
    print(_incoming_line(record) if record["kind"] == "incoming" else _outgoing_line(record))
    print(f"  {record['id']}")
    names = [n for n in documents.FIELDS[record["kind"]] if record.get(n) not in (None, [], "")]
    for name in names:
        value = record[name]
        if name in documents.TIME_FIELDS:
            value = local_text(value)
        print(f"  {name}: {', '.join(value) if isinstance(value, list) else value}")
    for event in documents.events(store, record["id"]):
        note = event["note"].replace("\n", " | ")
        print(f"  {local_text(event['at'])}  {event['actor']}  {event['kind']}  {note}")
    for attachment in documents.attachments(store, record["id"]):
        print(messages.text("attachment_line", ref=documents.short_ref(attachment["id"]),
                            file_name=attachment["file_name"], size=attachment["size"]))
    return EXIT_OK


def cmd_incoming_direct(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "direct")
    documents.direct(store, args.id, args.lead, args.coordinator or [], args.deadline,
                     args.note or "")
    print(messages.text("saved"))
    return EXIT_OK


def cmd_incoming_assign(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "assign")
    documents.assign(store, args.id, args.to, args.note or "")
    print(messages.text("saved"))
    return EXIT_OK


def cmd_incoming_progress(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "progress")
    documents.add_progress(store, args.id, args.note)
    print(messages.text("saved"))
    return EXIT_OK


def cmd_incoming_reply(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "link_reply")
    documents.link_reply(store, args.id, args.outgoing)
    print(messages.text("saved"))
    return EXIT_OK


def cmd_incoming_complete(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "complete")
    documents.complete(store, args.id, args.note or "")
    print(messages.text("saved"))
    return EXIT_OK


def cmd_document_attach(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "attach")
    documents.get(store, args.id, args.kind)  # unknown_document before reading the file
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CliError("file_unreadable", detail=f"{args.file}: {error.strerror}") from None
    media_type = mimetypes.guess_type(args.file.name)[0] or "application/octet-stream"
    attachment_id = documents.add_attachment(store, args.id, data, args.file.name, media_type)
    print(attachment_id)
    return EXIT_OK


def cmd_document_detach(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "detach")
    record = documents.get(store, args.id, args.kind)
    removed = documents.remove_attachment(store, record["id"], args.attachment)
    if args.json:
        _print_json({**_document_json(store, documents.get(store, record["id"])),
                     "removed": removed})
    else:
        print(messages.text("attachment_removed", file_name=removed["file_name"],
                            document=record["label"] or documents.short_ref(record["id"])))
    return EXIT_OK


def cmd_outgoing_draft(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "draft")
    fields = {"doc_type": args.type, "summary": args.summary, "signer": args.signer,
              "recipients": args.recipient or [], "drafting_unit": args.drafting_unit,
              "issuer": args.issuer, "copies": args.copies, "urgency": args.urgency,
              "secrecy": args.secrecy, "archive_unit": args.archive_unit, "notes": args.notes,
              "answers_id": args.answers}
    record = documents.draft_outgoing(store, fields)
    if args.json:
        _print_json(_document_json(store, record))
    else:
        print(messages.text("outgoing_drafted", id=record["id"]))
    return EXIT_OK


def cmd_outgoing_issue(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "issue")
    record = documents.issue(store, args.id)
    if args.json:
        _print_json(_document_json(store, record))
    else:
        print(messages.text("outgoing_issued", symbol=record["symbol"],
                            date=_day_text(record["issued_at"])))
    return EXIT_OK


def cmd_outgoing_void(args: argparse.Namespace) -> int:
    store = _open(args)
    _check(store, "void")
    record = documents.void(store, args.id, args.reason)
    if args.json:
        _print_json(_document_json(store, record))
    else:
        print(messages.text("outgoing_voided", symbol=record["symbol"]))
    return EXIT_OK


def cmd_outgoing_list(args: argparse.Namespace) -> int:
    store = _open(args)
    flt = _filter(args, "outgoing")
    if not args.drafts and not flt.statuses:
        flt = dataclasses.replace(flt, statuses=("issued", "void"))
    rows = documents.list_outgoing(store, flt, limit=args.limit, offset=args.offset)
    return _print_list(args, rows, _outgoing_line)


def cmd_lease_status(args: argparse.Namespace) -> int:
    store = _open(args)
    found = (leases.refresh(store, args.profile) if args.refresh else leases.lease_status(store))
    if args.kind:
        found = [lease for lease in found if lease.kind == args.kind]
    if args.json:
        _print_json([lease.to_json() for lease in found])
        return EXIT_OK
    for lease in found:
        line = messages.text("lease_line",
                             register=messages.register_name(lease.kind, lease.series),
                             holder=_holder_text(lease))
        if lease.held and not lease.standalone:
            line += "  " + messages.text("lease_held_by", device=lease.holder_device_id,
                                         epoch=lease.epoch)
        print(line)
    return EXIT_OK


def cmd_lease_acquire(args: argparse.Namespace) -> int:
    store = _open(args)
    lease = leases.acquire(store, args.profile, args.kind, args.series)
    if args.json:
        _print_json(lease.to_json())
    else:
        print(messages.text("lease_acquired",
                            register=messages.register_name(args.kind, args.series),
                            epoch=lease.epoch))
    return EXIT_OK


def cmd_lease_release(args: argparse.Namespace) -> int:
    store = _open(args)
    lease = leases.release(store, args.profile, args.kind, args.series)
    if args.json:
        _print_json(lease.to_json())
    else:
        print(messages.text("lease_released",
                            register=messages.register_name(args.kind, args.series)))
    return EXIT_OK


def cmd_lease_transfer(args: argparse.Namespace) -> int:
    if not args.force:
        raise CliError("transfer_needs_force")
    store = _open(args)
    target = args.to or leases.this_device(store)
    lease = leases.transfer(store, args.profile, args.kind, args.series, target, force=True)
    if args.json:
        _print_json(lease.to_json())
    else:
        print(messages.text("lease_transferred",
                            register=messages.register_name(args.kind, args.series),
                            holder=_holder_text(lease), epoch=lease.epoch))
    return EXIT_OK


def cmd_register_export(args: argparse.Namespace) -> int:
    from app import register_export

    if args.date_from.year != args.date_to.year:
        raise CliError("register_one_year")
    store = _open(args)
    kind = args.kind
    flt = documents.RegisterFilter(year=args.date_from.year, series=args.series,
                                   date_from=args.date_from, date_to=args.date_to,
                                   numbered_only=True)
    records = (documents.list_outgoing(store, flt) if kind == "outgoing"
               else documents.list_incoming(store, flt))
    replies = {}
    if kind == "followup":
        wanted = {r["reply_id"] for r in records if r.get("reply_id")}
        replies = {r["id"]: r["symbol"] for r in documents.list_outgoing(store)
                   if r["id"] in wanted and r["symbol"]}
    commune = {"name": store.setting("commune.name"), "province": store.setting(
        "commune.province"), "code": store.setting("commune.code")}
    register_export.export_register(
        kind, records, fmt=args.format, path=args.output, commune=commune,
        year=args.date_from.year, date_from=args.date_from, date_to=args.date_to,
        volume=args.volume, replies=replies)
    store.log_access(f"register_export:{kind}", None)
    if args.json:
        _print_json({"kind": kind, "series": args.series, "format": args.format,
                     "output": str(args.output), "documents": len(records),
                     "from": args.date_from.isoformat(), "to": args.date_to.isoformat()})
    else:
        print(messages.text("register_exported",
                            register=messages.register_name(kind, args.series),
                            output=args.output))
    return EXIT_OK


def _lease_error_params(error: DomainError) -> tuple[str, dict[str, Any]]:
    """The message code and params of a ``NotLeaseHolder`` (who holds the register)."""
    params = error.params
    lease = leases.Lease(params.get("kind", ""), params.get("series", ""),
                         params.get("holder_device_id"), params.get("holder_device_name"),
                         params.get("holder_user"), 0, None)
    register = messages.register_name(lease.kind, lease.series)
    if not lease.held:
        return "lease_free", {"register": register, "kind": lease.kind, "series": lease.series}
    return "not_lease_holder", {"register": register, "holder": _holder_text(lease)}


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
    resolve_.add_argument("--take", required=True, metavar="local|server|void|FIELD=VALUE")
    resolve_.add_argument("--reason", help="with --take void: why the document is cancelled")

    # correspondence registers (docs/correspondence.md)
    urgency = list(registers.URGENCY)
    secrecy = list(registers.SECRECY)

    def list_options(sub: argparse.ArgumentParser, incoming: bool) -> None:
        sub.add_argument("--year", type=int, help="register year")
        sub.add_argument("--series", choices=registers.SERIES)
        sub.add_argument("--from", dest="date_from", type=_date_arg, metavar="DATE",
                         help="from this date (dd/MM/yyyy or YYYY-MM-DD)")
        sub.add_argument("--to", dest="date_to", type=_date_arg, metavar="DATE")
        sub.add_argument("--status", action="append", choices=(
            registers.INCOMING_STATUSES if incoming else registers.OUTGOING_STATUSES))
        sub.add_argument("--urgent", action="store_true", help="urgent documents only")
        sub.add_argument("--search", metavar="TEXT", help="accents optional")
        if incoming:
            sub.add_argument("--overdue", action="store_true")
            sub.add_argument("--due-soon", action="store_true")
        else:
            sub.add_argument("--drafts", action="store_true", help="drafts too")
        sub.add_argument("--limit", type=int)
        sub.add_argument("--offset", type=int, default=0)
        sub.add_argument("--json", action="store_true")

    def file_commands(actions: Any, kind: str) -> None:
        """A document's ``attach`` and ``detach``, the same for both registers."""
        attach = add(actions, "attach", cmd_document_attach, "attach a scan or PDF")
        attach.add_argument("id")
        attach.add_argument("file", type=Path)
        attach.set_defaults(kind=kind)
        detach = add(actions, "detach", cmd_document_detach, "remove an attachment")
        detach.add_argument("id")
        detach.add_argument("attachment", help="its id, start or end of it (show lists them), "
                                               "or its file name")
        detach.add_argument("--json", action="store_true")
        detach.set_defaults(kind=kind)

    incoming = commands.add_parser("incoming", help="the incoming register (văn bản đến)")
    in_actions = incoming.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_in = add(in_actions, "add", cmd_incoming_add, "register an incoming document")
    add_in.add_argument("--author", required=True, help="issuing body")
    add_in.add_argument("--number-symbol", help="its number and symbol, e.g. 15/QĐ-UBND")
    add_in.add_argument("--document-date", help="its date (dd/MM/yyyy or YYYY-MM-DD)")
    add_in.add_argument("--type", required=True, help="type abbreviation: QĐ, TB, CV, …")
    add_in.add_argument("--summary", required=True, help="trích yếu")
    add_in.add_argument("--urgency", choices=urgency, default="normal")
    add_in.add_argument("--secrecy", choices=secrecy, default="none")
    add_in.add_argument("--recipient", help="receiving unit or person")
    add_in.add_argument("--arrived-at", help="arrival time (default now; ISO 8601)")
    add_in.add_argument("--source", choices=["paper", "electronic"], default="paper")
    add_in.add_argument("--notes")
    add_in.add_argument("--force", action="store_true",
                        help="register even if the same document seems registered")
    add_in.add_argument("--no-number", action="store_true",
                        help="record it without an arrival number")
    add_in.add_argument("--json", action="store_true")
    add(in_actions, "number", cmd_incoming_number,
        "give an unnumbered arrival its number (lease holder)").add_argument("id")
    list_options(add(in_actions, "list", cmd_incoming_list, "the incoming register"), True)
    show_in = add(in_actions, "show", cmd_document_show, "one incoming document")
    show_in.add_argument("id")
    show_in.add_argument("--json", action="store_true")
    show_in.set_defaults(kind="incoming")
    direct_ = add(in_actions, "direct", cmd_incoming_direct, "the leader's direction")
    direct_.add_argument("id")
    direct_.add_argument("--lead", required=True, help="username of who leads")
    direct_.add_argument("--coordinator", action="append", help="username (repeatable)")
    direct_.add_argument("--deadline", type=_date_arg, metavar="DATE")
    direct_.add_argument("--note")
    assign_ = add(in_actions, "assign", cmd_incoming_assign, "hand to an official")
    assign_.add_argument("id")
    assign_.add_argument("--to", required=True, help="username")
    assign_.add_argument("--note")
    progress = add(in_actions, "progress", cmd_incoming_progress, "a progress note")
    progress.add_argument("id")
    progress.add_argument("--note", required=True)
    reply = add(in_actions, "reply", cmd_incoming_reply, "link the outgoing reply")
    reply.add_argument("id")
    reply.add_argument("--outgoing", required=True, metavar="ID_OR_SYMBOL")
    done_ = add(in_actions, "complete", cmd_incoming_complete, "mark it dealt with")
    done_.add_argument("id")
    done_.add_argument("--note")
    file_commands(in_actions, "incoming")

    outgoing = commands.add_parser("outgoing", help="the outgoing register (văn bản đi)")
    out_actions = outgoing.add_subparsers(dest="action", required=True, metavar="ACTION")
    draft = add(out_actions, "draft", cmd_outgoing_draft, "a new outgoing draft")
    draft.add_argument("--type", required=True, help="Decree 30 abbreviation, CV: công văn")
    draft.add_argument("--summary", required=True, help="trích yếu")
    draft.add_argument("--signer", required=True)
    draft.add_argument("--recipient", action="append", help="nơi nhận (repeatable)")
    draft.add_argument("--drafting-unit", help="e.g. VP (in a công văn's symbol)")
    draft.add_argument("--issuer", help="issuing body's abbreviation (default UBND)")
    draft.add_argument("--copies", type=int, default=1)
    draft.add_argument("--urgency", choices=urgency, default="normal")
    draft.add_argument("--secrecy", choices=secrecy, default="none")
    draft.add_argument("--archive-unit")
    draft.add_argument("--notes")
    draft.add_argument("--answers", metavar="INCOMING_ID", help="the incoming it replies to")
    draft.add_argument("--json", action="store_true")
    issue_ = add(out_actions, "issue", cmd_outgoing_issue, "give the number (lease holder)")
    issue_.add_argument("id")
    issue_.add_argument("--json", action="store_true")
    void_ = add(out_actions, "void", cmd_outgoing_void, "cancel an issued number")
    void_.add_argument("id")
    void_.add_argument("--reason", required=True)
    void_.add_argument("--json", action="store_true")
    list_options(add(out_actions, "list", cmd_outgoing_list, "the outgoing register"), False)
    show_out = add(out_actions, "show", cmd_document_show, "one outgoing document")
    show_out.add_argument("id")
    show_out.add_argument("--json", action="store_true")
    show_out.set_defaults(kind="outgoing")
    file_commands(out_actions, "outgoing")

    lease = commands.add_parser("lease", help="who numbers each register")
    lease_actions = lease.add_subparsers(dest="action", required=True, metavar="ACTION")
    status_ = add(lease_actions, "status", cmd_lease_status, "the registers' holders")
    status_.add_argument("--kind", choices=registers.KINDS)
    status_.add_argument("--refresh", action="store_true", help="ask the server first")
    status_.add_argument("--json", action="store_true")
    for name, handler, text in (
            ("acquire", cmd_lease_acquire, "take a free register for this machine"),
            ("release", cmd_lease_release, "sync, then give the register back"),
            ("transfer", cmd_lease_transfer, "admin: move a register to a device")):
        sub = add(lease_actions, name, handler, text)
        sub.add_argument("--kind", required=True, choices=registers.KINDS)
        sub.add_argument("--series", choices=registers.SERIES, default="ordinary")
        if name == "transfer":
            sub.add_argument("--to", metavar="DEVICE_ID",
                             help="the machine to hold it (default: this machine; a machine's "
                                  "id: communedesk status)")
            sub.add_argument("--force", action="store_true",
                             help="take it from its holder (required)")
        sub.add_argument("--json", action="store_true")

    register = commands.add_parser("register", help="print and export registers")
    register_actions = register.add_subparsers(dest="action", required=True, metavar="ACTION")
    export_ = add(register_actions, "export", cmd_register_export, "PDF or Excel")
    export_.add_argument("--kind", required=True, choices=["incoming", "outgoing", "followup"])
    export_.add_argument("--from", dest="date_from", required=True, type=_date_arg,
                         metavar="DATE")
    export_.add_argument("--to", dest="date_to", required=True, type=_date_arg, metavar="DATE")
    export_.add_argument("--format", required=True, choices=["pdf", "xlsx"])
    export_.add_argument("--output", required=True, type=Path)
    export_.add_argument("--series", choices=registers.SERIES, default="ordinary")
    export_.add_argument("--volume", type=int, default=1)
    export_.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.profile = args.profile or default_profile_dir()
    try:
        return args.handler(args)
    except DomainError as error:
        params = {"detail": error.detail, **error.params}
        code = error.code
        if code == "not_lease_holder":
            code, params = _lease_error_params(error)
        elif code == "role_not_allowed":
            params["role"] = messages.role_name(str(params.get("role")))
        elif code == "document_state":
            params.update(status=messages.document_status(str(params.get("status"))),
                          action=messages.document_action(str(params.get("action"))))
        print(f"{messages.text('error')} [{error.code}]: {messages.text(code, **params)}",
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
