"""The correspondence commands of the headless CLI (docs/cli.md, docs/correspondence.md) as
real processes on real SQLCipher profiles: ``incoming``, ``outgoing``, ``lease``, ``register
export`` and number conflicts, with their messages and exit codes.

A profile made by ``init`` is stand-alone (it never met a server) and holds every register;
the tests that need another holder give the leases to another device the way a sync does
(``LocalSyncStore.set_leases``)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from app import documents
from app.actions import ROLE_SETTING
from app.profile import open_profile
from app.registers import register_year
from app.store import OUTGOING_DOCUMENT
from app.sync_local import LocalSyncStore
from sync.protocol import Change
from tests.conftest import PASSPHRASE
from tests.test_cli import as_json, fails, ok

Cli = Callable[..., subprocess.CompletedProcess]
YEAR = register_year(datetime.now(UTC))  # the CLI numbers on the wall clock: this year's register
OTHER_DEVICE = "0b7a4c55-8d5e-4f0a-9b1c-2d3e4f5a6b7c"
DECISION = ["--author", "UBND Thành phố Hà Nội", "--number-symbol", "15/QĐ-UBND",
            "--document-date", "02/01/2026", "--type", "QĐ",
            "--summary", "Về việc giao chỉ tiêu kế hoạch năm 2026"]


def init(cli: Cli) -> Path:
    ok(cli("init", "--commune", "09661", "--user", "Nguyễn Thị Thu"))
    return cli.profile  # type: ignore[attr-defined]


def drafted(cli: Cli, *args: str) -> str:
    return as_json(cli("outgoing", "draft", "--signer", "Nguyễn Văn An", "--json", *args))["id"]


def give_leases_away(profile: Path) -> None:
    store = open_profile(profile, PASSPHRASE)
    try:
        LocalSyncStore(store).set_leases([
            {"kind": kind, "series": series, "holder_device_id": OTHER_DEVICE,
             "holder_device_name": "MÁY-VĂN-THƯ", "holder_user": "thu", "epoch": 2,
             "since": "2026-01-02T01:00:00Z", "last_numbers": {}}
            for kind in ("incoming", "outgoing") for series in ("ordinary", "secret")])
    finally:
        store.db.close()


def test_incoming_add_numbers_warns_of_duplicates_and_lists(cli: Cli) -> None:
    init(cli)
    first = as_json(cli("incoming", "add", *DECISION, "--urgency", "flash", "--json"))
    assert (first["arrival_number"], first["numbered"], first["urgent"]) == (1, True, True)
    assert [e["kind"] for e in first["events"]] == ["registered"]
    again = ["--author", "ubnd thanh pho ha noi", "--number-symbol", "15/qd-ubnd", "--type",
             "QĐ", "--summary", "Về việc giao chỉ tiêu"]
    warned = fails(cli("incoming", "add", *again))
    assert "[possible_duplicate]" in warned.stderr and f"01/{YEAR}" in warned.stderr
    assert "--force" in warned.stderr
    english = fails(cli("incoming", "add", *again, extra_env={"COMMUNEDESK_LANG": "en"}))
    assert "already registered" in english.stderr
    forced = ok(cli("incoming", "add", *again, "--force"))
    assert "số đến 02" in forced.stdout and "possible_duplicate" in forced.stderr
    ok(cli("incoming", "add", "--author", "Sở Nội vụ", "--type", "TB", "--summary",
           "Thông báo tuyển dụng công chức", "--secrecy", "confidential"))
    rows = as_json(cli("incoming", "list", "--json"))
    assert [(r["series"], r["arrival_number"]) for r in rows] == [
        ("ordinary", 1), ("ordinary", 2), ("secret", 1)]
    listed = ok(cli("incoming", "list", "--series", "ordinary")).stdout.splitlines()
    assert len(listed) == 2 and "HỎA TỐC" in listed[0] and listed[0].startswith(f"01/{YEAR}")
    found = as_json(cli("incoming", "list", "--search", "tuyen dung", "--json"))
    assert [r["author"] for r in found] == ["Sở Nội vụ"]
    shown = as_json(cli("incoming", "show", "1", "--json"))
    assert shown["id"] == first["id"]
    fails(cli("incoming", "add", *DECISION, "--urgency", "soon"), 2)
    missing = fails(cli("incoming", "show", "99"))
    assert "[unknown_document]" in missing.stderr


def test_outgoing_draft_issue_void_and_list(cli: Cli) -> None:
    init(cli)
    letter = drafted(cli, "--type", "CV", "--summary", "Về việc báo cáo tình hình",
                     "--drafting-unit", "VP", "--recipient", "UBND Thành phố",
                     "--recipient", "Lưu: VT")
    notice = drafted(cli, "--type", "TB", "--summary", "Thông báo lịch tiếp công dân")
    # Lists name a draft by the last 8 digits of its id; ids made within minutes share their
    # first ones, so those are ambiguous, said so rather than "not found".
    drafts = ok(cli("outgoing", "list", "--drafts")).stdout.splitlines()
    assert len(drafts) == 2 and all("dự thảo" in line for line in drafts)
    assert all("[chờ đồng bộ]" in line for line in drafts)  # a stand-alone profile never syncs
    assert letter[-8:] in drafts[0] and letter[:8] not in drafts[0]
    shared = os.path.commonprefix([letter, notice])
    assert len(shared) >= 6
    ambiguous = fails(cli("outgoing", "issue", shared[:8]))
    assert "[ambiguous_document]" in ambiguous.stderr and "nhập thêm" in ambiguous.stderr
    issued = ok(cli("outgoing", "issue", letter[-8:]))
    assert "01/UBND-VP" in issued.stdout
    second = as_json(cli("outgoing", "issue", notice, "--json"))
    assert (second["number"], second["symbol"]) == (2, "02/TB-UBND")
    assert [e["kind"] for e in second["events"]] == ["drafted", "issued"]
    voided = as_json(cli("outgoing", "void", "01/UBND-VP", "--reason", "In sai nơi nhận",
                         "--json"))
    assert (voided["id"], voided["status"], voided["void_reason"]) == (
        letter, "void", "In sai nơi nhận")
    assert [e["kind"] for e in voided["events"]][-1] == "voided"
    refused = fails(cli("outgoing", "issue", letter))
    assert "[document_state]" in refused.stderr
    assert "trạng thái đã hủy: không thể cấp số" in refused.stderr  # words, not codes
    again = fails(cli("outgoing", "void", letter, "--reason", "x",
                      extra_env={"COMMUNEDESK_LANG": "en"}))
    assert "The document is void: it cannot void it" in again.stderr
    fails(cli("outgoing", "void", notice), 2)  # --reason is required
    fails(cli("outgoing", "draft", "--type", "XYZ", "--summary", "x", "--signer", "A"))
    third = as_json(cli("outgoing", "issue", drafted(cli, "--type", "QĐ", "--summary",
                                                     "Quyết định khen thưởng"), "--json"))
    assert third["symbol"] == "03/QĐ-UBND"  # the void number counts: no reuse, no gap
    drafted(cli, "--type", "KH", "--summary", "Kế hoạch phòng chống bão")
    register = as_json(cli("outgoing", "list", "--json"))
    assert [(r["number"], r["status"]) for r in register] == [
        (1, "void"), (2, "issued"), (3, "issued")]
    everything = as_json(cli("outgoing", "list", "--drafts", "--json"))
    assert [r["status"] for r in everything][-1] == "draft"
    human = ok(cli("outgoing", "list")).stdout
    assert "01/UBND-VP" in human and "In sai nơi nhận" in human


def test_a_machine_without_the_lease_says_who_holds_it(cli: Cli) -> None:
    profile = init(cli)
    give_leases_away(profile)
    draft = drafted(cli, "--type", "TB", "--summary", "Thông báo")  # drafting still works
    refused = fails(cli("outgoing", "issue", draft))
    assert "[not_lease_holder]" in refused.stderr and "MÁY-VĂN-THƯ (thu)" in refused.stderr
    english = fails(cli("outgoing", "issue", draft, extra_env={"COMMUNEDESK_LANG": "en"}))
    assert "machine MÁY-VĂN-THƯ (thu) holds it" in english.stderr
    recorded = cli("incoming", "add", *DECISION, "--json")
    body = as_json(recorded)
    assert body["arrival_number"] is None and body["numbered"] is False
    assert body["lease"]["holder_device_name"] == "MÁY-VĂN-THƯ"
    assert "MÁY-VĂN-THƯ" in recorded.stderr
    fails(cli("incoming", "number", body["id"]))
    status = ok(cli("lease", "status")).stdout
    assert status.count("MÁY-VĂN-THƯ (thu)") == 4 and "sổ văn bản đi mật" in status
    leases = as_json(cli("lease", "status", "--kind", "outgoing", "--json"))
    assert [(x["series"], x["mine"], x["epoch"]) for x in leases] == [
        ("ordinary", False, 2), ("secret", False, 2)]


def test_stand_alone_lease_status_and_server_calls(cli: Cli) -> None:
    init(cli)
    status = as_json(cli("lease", "status", "--json"))
    assert all(x["mine"] and x["standalone"] for x in status) and len(status) == 4
    no_server = fails(cli("lease", "acquire", "--kind", "outgoing"))
    assert "[server_not_set]" in no_server.stderr
    unforced = fails(cli("lease", "transfer", "--kind", "outgoing", "--to", OTHER_DEVICE))
    assert "[transfer_needs_force]" in unforced.stderr and "--force" in unforced.stderr
    fails(cli("lease", "acquire", "--kind", "sideways"), 2)


def test_direction_progress_and_overdue(cli: Cli) -> None:
    init(cli)
    record = as_json(cli("incoming", "add", *DECISION, "--json"))
    ok(cli("incoming", "direct", "1", "--lead", "lan", "--coordinator", "binh",
           "--coordinator", "cuong", "--deadline", "02/01/2026", "--note", "Báo cáo trước hạn"))
    ok(cli("incoming", "assign", record["id"], "--to", "binh"))
    ok(cli("incoming", "progress", record["id"], "--note", "Đã xin ý kiến"))
    late = as_json(cli("incoming", "list", "--overdue", "--json"))
    assert [r["id"] for r in late] == [record["id"]] and late[0]["overdue"]
    assert "QUÁ HẠN" in ok(cli("incoming", "list")).stdout
    reply = drafted(cli, "--type", "CV", "--summary", "Trả lời", "--drafting-unit", "VP")
    ok(cli("incoming", "reply", record["id"], "--outgoing", reply))
    ok(cli("incoming", "complete", record["id"]))
    assert as_json(cli("incoming", "list", "--overdue", "--json")) == []
    shown = as_json(cli("incoming", "show", record["id"], "--json"))
    assert [e["kind"] for e in shown["events"]] == [
        "registered", "directed", "assigned", "progress", "replied", "completed"]
    assert (shown["lead"], shown["coordinators"], shown["reply_id"]) == (
        "lan", ["binh", "cuong"], reply)
    fails(cli("incoming", "progress", record["id"], "--note", "x"))  # done: document_state


def test_a_secret_document_refuses_attachments(cli: Cli, tmp_path: Path) -> None:
    init(cli)
    scan = tmp_path / "bản quét.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    secret = as_json(cli("incoming", "add", *DECISION, "--secrecy", "secret", "--json"))
    refused = fails(cli("incoming", "attach", secret["id"], str(scan)))
    assert "[secret_metadata_only]" in refused.stderr
    plain = as_json(cli("incoming", "add", *DECISION, "--number-symbol", "16/QĐ-UBND",
                        "--json"))
    ok(cli("incoming", "attach", plain["id"], str(scan)))
    shown = as_json(cli("incoming", "show", plain["id"], "--json"))
    assert [a["file_name"] for a in shown["attachments"]] == ["bản quét.pdf"]
    assert as_json(cli("incoming", "show", secret["id"], "--json"))["attachments"] == []
    ok(cli("doctor"))


def test_detach_removes_an_attachment_named_by_id_end_or_file_name(cli: Cli,
                                                                    tmp_path: Path) -> None:
    profile = init(cli)
    files = {}
    for name in ("bản quét.pdf", "phụ lục.pdf", "dự thảo.pdf"):
        files[name] = tmp_path / name
        files[name].write_bytes(f"%PDF-1.4 {name}".encode())
    arrival = as_json(cli("incoming", "add", *DECISION, "--json"))
    for name in ("bản quét.pdf", "phụ lục.pdf"):
        ok(cli("incoming", "attach", arrival["id"], str(files[name])))
    letter = drafted(cli, "--type", "CV", "--summary", "Về việc báo cáo")
    ok(cli("outgoing", "attach", letter, str(files["dự thảo.pdf"])))
    attached = as_json(cli("incoming", "show", arrival["id"], "--json"))["attachments"]
    shown = ok(cli("incoming", "show", arrival["id"])).stdout
    for attachment in attached:  # show names each attachment so a person can name it back
        assert f"{documents.short_ref(attachment['id'])}: {attachment['file_name']}" in shown

    missing = fails(cli("incoming", "detach", arrival["id"], "khong-co.pdf"))
    assert "[unknown_attachment]" in missing.stderr and "show" in missing.stderr
    assert fails(cli("outgoing", "detach", letter, attached[0]["id"])).stderr.count(
        "[unknown_attachment]") == 1  # another document's attachment is not this one's
    done = as_json(cli("incoming", "detach", arrival["id"], "bản quét.pdf", "--json"))
    assert (done["id"], done["removed"]["id"]) == (arrival["id"], attached[0]["id"])
    assert [a["file_name"] for a in done["attachments"]] == ["phụ lục.pdf"]
    assert (done["events"][-1]["kind"], done["events"][-1]["note"]) == (
        "attachment_removed", "bản quét.pdf")
    by_ref = ok(cli("incoming", "detach", "01", documents.short_ref(attached[1]["id"])))
    assert "Đã gỡ tệp phụ lục.pdf khỏi văn bản 01" in by_ref.stdout
    english = ok(cli("outgoing", "detach", letter, "dự thảo.pdf",
                     extra_env={"COMMUNEDESK_LANG": "en"}))
    assert english.stdout.startswith("Removed dự thảo.pdf")
    assert as_json(cli("outgoing", "show", letter, "--json"))["attachments"] == []
    ok(cli("doctor"))
    store = open_profile(profile, PASSPHRASE)
    try:
        assert list(store.blobs.addresses()) == []  # every file left this machine
        sent = [op for op in store.pending_operations() if op.record_type == "attachment"]
        assert len(sent) == 6 and all(op.fields == {"deleted": True} for op in sent)
    finally:
        store.db.close()
    ok(cli("outgoing", "attach", letter, str(files["dự thảo.pdf"])))
    store = open_profile(profile, PASSPHRASE)
    try:
        store.set_setting(ROLE_SETTING, "city-admin")
    finally:
        store.db.close()
    refused = fails(cli("outgoing", "detach", letter, "dự thảo.pdf"))
    assert "[role_not_allowed]" in refused.stderr
    assert len(as_json(cli("outgoing", "show", letter, "--json"))["attachments"]) == 1


def test_register_export_pdf_and_xlsx(cli: Cli, tmp_path: Path) -> None:
    init(cli)
    first = drafted(cli, "--type", "QĐ", "--summary", "Quyết định khen thưởng")
    ok(cli("outgoing", "issue", first))
    ok(cli("outgoing", "void", first, "--reason", "In sai"))
    ok(cli("outgoing", "issue", drafted(cli, "--type", "TB", "--summary", "Thông báo")))
    pdf = tmp_path / "so-di.pdf"
    done = ok(cli("register", "export", "--kind", "outgoing", "--from", f"{YEAR}-01-01",
                  "--to", f"{YEAR}-12-31", "--format", "pdf", "--output", str(pdf)))
    assert str(pdf) in done.stdout
    described = as_json(cli("register", "export", "--kind", "outgoing", "--from",
                            f"{YEAR}-01-01", "--to", f"{YEAR}-12-31", "--format", "pdf",
                            "--output", str(pdf), "--json"))
    assert (described["output"], described["documents"], described["format"]) == (
        str(pdf), 2, "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "01/QĐ-UBND" in text and "02/TB-UBND" in text and "In sai" in text
    xlsx = tmp_path / "so-den.xlsx"
    ok(cli("incoming", "add", *DECISION))
    ok(cli("register", "export", "--kind", "incoming", "--from", f"01/01/{YEAR}", "--to",
           f"31/12/{YEAR}", "--format", "xlsx", "--output", str(xlsx)))
    cells = [c for sheet in openpyxl.load_workbook(xlsx) for row in sheet.iter_rows(
        values_only=True) for c in row if c is not None]
    assert "15/QĐ-UBND" in cells
    ok(cli("register", "export", "--kind", "followup", "--from", f"01/01/{YEAR}", "--to",
           f"31/12/{YEAR}", "--format", "pdf", "--output", str(tmp_path / "theo-doi.pdf")))
    fails(cli("register", "export", "--kind", "outgoing", "--from", f"{YEAR}-12-01", "--to",
              f"{YEAR + 1}-01-31", "--format", "pdf", "--output", str(tmp_path / "x.pdf")))


def test_a_number_conflict_is_listed_with_its_choices_and_settled(cli: Cli) -> None:
    profile = init(cli)
    mine = drafted(cli, "--type", "TB", "--summary", "Thông báo của máy này")
    ok(cli("outgoing", "issue", mine))
    store = open_profile(profile, PASSPHRASE)
    try:  # another machine's 01, pulled: this machine's 01 becomes a conflict
        LocalSyncStore(store).apply_page([Change(OUTGOING_DOCUMENT, str(uuid.uuid4()), 4, {
            "register_year": documents.get(store, mine)["register_year"], "series": "ordinary",
            "number": 1, "symbol": "01/QĐ-UBND", "status": "issued", "doc_type": "QĐ",
            "issued_at": "2026-01-05T02:00:00Z", "summary": "Quyết định của máy kia",
            "issuer": "UBND", "lease_epoch": 2, "numbered_by": OTHER_DEVICE})], "c1")
    finally:
        store.db.close()
    listed = ok(cli("conflicts", "list")).stdout
    assert "number_taken" in listed and "--take void" in listed
    [conflict] = as_json(cli("conflicts", "list", "--json"))
    assert conflict["number_conflict"] and conflict["local"] == 1
    assert as_json(cli("status", "--json"))["conflicts"] == 1
    settled = ok(cli("conflicts", "resolve", conflict["id"], "--take", "server"))
    assert mine in settled.stdout
    assert json.loads(ok(cli("outgoing", "show", mine, "--json")).stdout)["status"] == "draft"
    again = as_json(cli("outgoing", "issue", mine, "--json"))
    assert again["symbol"] == "02/TB-UBND"


def test_leases_through_a_real_server_with_json(cli: Cli, city_server, tmp_path: Path) -> None:
    """The clerk's machine takes the outgoing register; the commune admin, on a new machine,
    finds the holder's device id in ``lease status`` and forces the register over to itself
    (``--to`` defaults to this machine), then gives it back; every step also in ``--json``."""
    city_server.admin("user", "add", "--commune", "09661", "--username", "thu", "--role",
                      "clerk", "--name", "Nguyễn Thị Thu", password="mật-khẩu-thu")
    city_server.admin("user", "add", "--commune", "09661", "--username", "quan", "--role",
                      "admin", "--name", "Trần Văn Quân", password="mật-khẩu-quân")
    machines = {}
    for name, user, password in (("van-thu", "thu", "mật-khẩu-thu"),
                                 ("quan-tri", "quan", "mật-khẩu-quân")):
        profile = machines[name] = tmp_path / name
        ok(cli("init", "--commune", "09661", profile_dir=profile))
        assert as_json(cli("status", "--json", profile_dir=profile))["device_id"] is None
        ok(cli("login", "--server", city_server.url, "--username", user, "--device-name", name,
               profile_dir=profile, extra_env={"COMMUNEDESK_PASSWORD": password}))
    clerk, admin = machines["van-thu"], machines["quan-tri"]
    clerk_device = as_json(cli("status", "--json", profile_dir=clerk))["device_id"]
    assert f"Mã máy: {clerk_device}" in ok(cli("status", profile_dir=clerk)).stdout
    taken = as_json(cli("lease", "acquire", "--kind", "outgoing", "--json", profile_dir=clerk))
    assert (taken["holder_device_id"], taken["mine"]) == (clerk_device, True)
    ok(cli("outgoing", "issue", as_json(cli(
        "outgoing", "draft", "--type", "TB", "--summary", "Thông báo", "--signer", "An",
        "--json", profile_dir=clerk))["id"], profile_dir=clerk))
    ok(cli("sync", profile_dir=clerk))

    seen = ok(cli("lease", "status", "--refresh", "--kind", "outgoing", profile_dir=admin)).stdout
    assert f"van-thu (thu)  mã máy {clerk_device}, lượt {taken['epoch']}" in seen
    unforced = fails(cli("lease", "transfer", "--kind", "outgoing", profile_dir=admin))
    assert "[transfer_needs_force]" in unforced.stderr
    moved = as_json(cli("lease", "transfer", "--kind", "outgoing", "--force", "--json",
                        profile_dir=admin))
    admin_device = as_json(cli("status", "--json", profile_dir=admin))["device_id"]
    assert (moved["holder_device_id"], moved["mine"]) == (admin_device, True)
    assert moved["epoch"] > taken["epoch"]
    ok(cli("lease", "status", "--refresh", profile_dir=clerk))
    late = fails(cli("outgoing", "issue", as_json(cli(
        "outgoing", "draft", "--type", "TB", "--summary", "Thông báo", "--signer", "An",
        "--json", profile_dir=clerk))["id"], profile_dir=clerk))
    assert "[not_lease_holder]" in late.stderr and "quan-tri (quan)" in late.stderr
    given_back = as_json(cli("lease", "release", "--kind", "outgoing", "--json",
                             profile_dir=admin))
    assert (given_back["holder_device_id"], given_back["mine"]) == (None, False)
    officer = tmp_path / "mot-cua"  # the one-stop officer drafts but does not number
    ok(cli("init", "--commune", "09661", profile_dir=officer))
    ok(cli("login", "--server", city_server.url, "--username", "hoa", "--device-name", "mot-cua",
           profile_dir=officer, extra_env={"COMMUNEDESK_PASSWORD": "mật-khẩu-hoa"}))
    letter = as_json(cli("outgoing", "draft", "--type", "CV", "--summary", "Công văn", "--signer",
                         "An", "--json", profile_dir=officer))
    refused = fails(cli("outgoing", "issue", letter["id"], profile_dir=officer))
    assert "Vai trò cán bộ một cửa không được làm việc này." in refused.stderr
