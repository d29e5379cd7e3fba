"""``communedesk login``, ``sync`` and ``conflicts`` as real processes against a real city server:
output and the exit codes of ARCHITECTURE.md (0, 1, 3, 4, 5, 6)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.profile import open_profile
from sync.lock import sync_lock
from tests.conftest import PASSPHRASE, dossier_input, free_port
from tests.test_cli import as_json, fails, ok, write_jsonl

HOA_PASSWORD = {"COMMUNEDESK_PASSWORD": "mật-khẩu-hoa"}


@pytest.fixture
def signed_in(cli, city_server, tmp_path: Path):
    """Make a profile of Xã Minh Châu with one dossier and sign it in; returns its folder."""

    def make(name: str, *records: dict) -> Path:
        profile = tmp_path / name
        ok(cli("init", "--commune", "09661", "--user", "Nguyễn Thị Hoa", profile_dir=profile))
        if records:
            ok(cli("import", "dossiers", str(write_jsonl(tmp_path / f"{name}.jsonl", records)),
                   profile_dir=profile))
        ok(cli("login", "--server", city_server.url, "--username", "hoa", "--device-name", name,
               profile_dir=profile, extra_env=HOA_PASSWORD))
        return profile

    return make


def test_login_sync_and_status(cli, city_server, signed_in) -> None:
    profile = signed_in("a", dossier_input())
    status = as_json(cli("status", "--json", profile_dir=profile))
    assert status["pending"] == 2
    done = ok(cli("sync", profile_dir=profile))
    assert "push: 2/2" in done.stdout and "Đồng bộ xong" in done.stdout
    assert as_json(cli("status", "--json", profile_dir=profile))["pending"] == 0
    english = ok(cli("sync", "--quiet", profile_dir=profile,
                     extra_env={"COMMUNEDESK_LANG": "en"}))
    assert english.stdout.startswith("Sync done: sent 0")


def test_a_wrong_password_or_no_password_is_refused(cli, city_server, tmp_path: Path) -> None:
    profile = tmp_path / "p"
    ok(cli("init", "--commune", "09661", profile_dir=profile))
    wrong = fails(cli("login", "--server", city_server.url, "--username", "hoa",
                      profile_dir=profile, extra_env={"COMMUNEDESK_PASSWORD": "sai"}), 4)
    assert "đăng nhập lại" in wrong.stderr
    fails(cli("login", "--server", city_server.url, "--username", "hoa", profile_dir=profile))
    # The account of another commune is refused for this profile.
    other = fails(cli("login", "--server", city_server.url, "--username", "lan",
                      profile_dir=profile,
                      extra_env={"COMMUNEDESK_PASSWORD": "mật-khẩu-lan"}))
    assert "00226" in other.stderr and "09661" in other.stderr
    # Never signed in: sync says how to sign in.
    never = fails(cli("sync", profile_dir=profile))
    assert "communedesk login" in never.stderr


def test_no_server_exits_3_and_keeps_everything(cli, signed_in, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    never = tmp_path / "never"
    ok(cli("init", "--commune", "09661", profile_dir=never))
    fails(cli("login", "--server", dead, "--username", "hoa", profile_dir=never,
              extra_env=HOA_PASSWORD), 3)
    profile = signed_in("a", dossier_input())
    store = open_profile(profile, PASSPHRASE)
    try:
        store.set_setting("server.url", dead)
    finally:
        store.db.close()
    down = fails(cli("sync", profile_dir=profile), 3)
    assert "Không kết nối được máy chủ" in down.stderr
    assert as_json(cli("status", "--json", profile_dir=profile))["pending"] == 2


def test_a_second_sync_on_the_profile_exits_5(cli, signed_in) -> None:
    profile = signed_in("a")
    with sync_lock(profile):
        busy = fails(cli("sync", profile_dir=profile), 5)
    assert "đang chạy" in busy.stderr


def test_conflicts_exit_6_until_resolved(cli, signed_in) -> None:
    first = signed_in("a", dossier_input())
    ok(cli("sync", profile_dir=first))
    second = signed_in("b")
    ok(cli("sync", profile_dir=second))
    [row] = as_json(cli("dossier", "list", "--json", profile_dir=second))
    ok(cli("dossier", "set", row["code"], "notes", "ghi chú máy A", profile_dir=first))
    ok(cli("dossier", "set", row["code"], "notes", "ghi chú máy B", profile_dir=second))
    ok(cli("sync", profile_dir=first))
    waiting = fails(cli("sync", profile_dir=second), 6)
    assert "conflicts list" in waiting.stdout
    [conflict] = as_json(cli("conflicts", "list", "--json", profile_dir=second))
    assert conflict["local"] == "ghi chú máy B" and conflict["server"] == "ghi chú máy A"
    listed = ok(cli("conflicts", "list", profile_dir=second)).stdout
    assert conflict["id"] in listed and "ghi chú máy A" in listed
    fails(cli("conflicts", "resolve", conflict["id"], "--take", "status=3",
              profile_dir=second))
    ok(cli("conflicts", "resolve", conflict["id"], "--take", "notes=ghi chú đã thống nhất",
           profile_dir=second))
    ok(cli("sync", profile_dir=second))
    ok(cli("sync", profile_dir=first))
    shown = as_json(cli("dossier", "show", row["code"], "--json", profile_dir=first))
    assert shown["notes"] == "ghi chú đã thống nhất"


def test_a_revoked_device_exits_4(cli, city_server, signed_in) -> None:
    profile = signed_in("a", dossier_input())
    store = open_profile(profile, PASSPHRASE)
    try:
        device = store.setting("device.id")
    finally:
        store.db.close()
    city_server.admin("device", "revoke", device)
    revoked = fails(cli("sync", profile_dir=profile), 4)
    assert "communedesk login" in revoked.stderr
    assert as_json(cli("status", "--json", profile_dir=profile))["pending"] == 2


def test_sync_watch_stops_on_interrupt(cli, signed_in) -> None:
    profile = signed_in("a", dossier_input())
    command = [sys.executable, "-m", "app.cli", "--profile", str(profile), "sync", "--watch",
               "--interval", "600", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", env=cli.env,
                               cwd=Path(__file__).parents[1])
    watchdog = threading.Timer(120, process.kill)  # a hang fails the test, never the run
    watchdog.start()
    try:
        line = process.stdout.readline()  # the first sync's summary
        assert "Đồng bộ xong: gửi 2" in line
    finally:
        process.send_signal(2)  # SIGINT, as Ctrl+C
        process.wait(timeout=30)
        watchdog.cancel()
    assert process.returncode == 0

