"""The issue's proofs of the sync engine under cuts and crashes (issue 4, "Proof" 1–4; 5 and 6
are in tests/test_sync_engine.py). Real parts throughout: the city server over HTTP on loopback,
SQLCipher profiles, the client as a real process where it is killed, and bench/linkemu.py's
emulated link in between, cutting connections at seeded random points."""

from __future__ import annotations

import hashlib
import math
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.clock import FixedClock
from app.dossier import VN_TZ
from app.profile import open_profile
from bench.linkemu import LinkEmulator
from server import blob_store
from sync.transport import LinkDown
from tests.conftest import PASSPHRASE, make_city_server
from tests.sync_helpers import HOA, Machine

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def city_server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """A fresh city server for each proof (SQLite), so each starts from an empty commune."""
    server = make_city_server(tmp_path_factory.mktemp("city"), "sqlite", request)
    server.admin("user", "add", "--commune", "09661", "--username", HOA[0], "--role", "officer",
                 password=HOA[1])
    server.start()
    yield server
    server.stop()


def sync_until_done(machine: Machine, attempts: int = 400, **kwargs):  # noqa: ANN201
    """Sync again after every cut, as the scheduler would; the report of the one that ends."""
    for _ in range(attempts):
        try:
            return machine.sync(**kwargs)
        except LinkDown:
            continue
    raise AssertionError(f"no complete sync in {attempts} attempts")


def server_records(server, commune: str = "09661") -> dict[str, list[str]]:
    """The server's record ids of the commune, by type (a list, so a duplicate would show)."""
    with server.engine().connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT type, id FROM records WHERE commune_code = :c"), {"c": commune}).all()
    found: dict[str, list[str]] = {}
    for kind, record_id in rows:
        found.setdefault(kind, []).append(record_id)
    return found


def local_ids(machine: Machine, table: str) -> set[str]:
    return {r for (r,) in machine.store.db.execute(f"SELECT id FROM {table}")}  # noqa: S608


def assert_server_holds_everything_once(server, machine: Machine) -> None:
    held = server_records(server)
    for kind, table in (("dossier", "dossiers"), ("dossier_event", "dossier_events"),
                        ("attachment", "attachments")):
        ids = held.get(kind, [])
        assert len(ids) == len(set(ids))
        assert local_ids(machine, table) <= set(ids), kind
    with server.engine().connect() as connection:
        answered = connection.execute(sa.text(
            "SELECT count(*), count(DISTINCT op_id) FROM op_results")).one()
    assert answered[0] == answered[1]  # each operation applied at most once
    assert machine.store.status()["pending"] == 0


def test_1_records_and_attachments_through_a_link_cut_every_20_to_200_kb(
        city_server, tmp_path: Path) -> None:
    with LinkEmulator("127.0.0.1", city_server.port, cut_after_bytes=(20_000, 200_000),
                      seed=1) as link:
        machine = Machine(tmp_path / "island", link.url, "09661", HOA)
        try:
            machine.import_sample(1000)
            rng = random.Random(4)
            ids = [r for (r,) in machine.store.db.execute("SELECT id FROM dossiers LIMIT 50")]
            # Scans and photos: most of a few hundred KB, some up to 5 MB (log-uniform,
            # ~45 MB in all), and one of exactly 5 MB.
            sizes = sorted(int(math.exp(rng.uniform(math.log(20_000), math.log(5_000_000))))
                           for _ in ids[1:]) + [5_000_000]
            for dossier_id, size in zip(ids, sizes, strict=True):
                machine.store.add_attachment(dossier_id, rng.randbytes(size), "scan.pdf",
                                             "application/pdf")
            sync_until_done(machine, blobs=True)
            cuts = link.stats().cuts
            link.configure(cut_after_bytes=None)  # the link heals
            final = machine.sync(blobs=True)
            assert final.pushed == 0 and final.blobs_up == 0  # nothing was left to do
            assert cuts >= 100, cuts
            assert_server_holds_everything_once(city_server, machine)
            shas = {sha for (sha,) in machine.store.db.execute("SELECT sha256 FROM attachments")}
            assert len(shas) == 50
            for sha in shas:
                paths = blob_store.paths(city_server.data_dir, "09661", sha)
                assert hashlib.sha256(paths.complete.read_bytes()).hexdigest() == sha
        finally:
            machine.close()


def test_2_the_client_killed_at_20_random_moments_ends_in_the_same_state(
        cli, city_server, tmp_path: Path) -> None:
    profile = tmp_path / "killed"
    with LinkEmulator("127.0.0.1", city_server.port, rate_bps=1_000_000) as link:
        machine = Machine(profile, link.url, "09661", HOA, sign_in=False)
        machine.import_sample(400, seed=11)
        rng = random.Random(2)
        for dossier_id in [r for (r,) in machine.store.db.execute(
                "SELECT id FROM dossiers LIMIT 5")]:
            machine.store.add_attachment(dossier_id, rng.randbytes(600_000), "scan.jpg",
                                         "image/jpeg")
        machine.close()
        # The CLI processes keep their tokens in their own keychain (cli.env's).
        subprocess.run([sys.executable, "-m", "app.cli", "--profile", str(profile), "login",
                        "--server", link.url, "--username", HOA[0]], cwd=REPO, check=True,
                       env={**cli.env, "COMMUNEDESK_PASSWORD": HOA[1]}, capture_output=True)
        command = [sys.executable, "-m", "app.cli", "--profile", str(profile), "sync", "--quiet",
                   "--blobs"]
        kills = 0
        for moment in sorted(rng.uniform(0.5, 2.5) for _ in range(20)):
            process = subprocess.Popen(command, cwd=REPO, env=cli.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(moment)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait()
        done = subprocess.run(command, cwd=REPO, env=cli.env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    assert kills >= 10  # most moments fell inside a sync
    doctor = subprocess.run([sys.executable, "-m", "app.cli", "--profile", str(profile),
                             "doctor"], cwd=REPO, env=cli.env, capture_output=True, text=True)
    assert doctor.returncode == 0, doctor.stdout
    killed = Machine.__new__(Machine)
    killed.root, killed.store = profile, open_profile(profile, PASSPHRASE)
    reader = Machine(tmp_path / "reader", city_server.url, "09661", HOA)
    try:
        assert_server_holds_everything_once(city_server, killed)
        reader.sync(blobs=True)
        mine = {r["id"]: r for r in killed.store.export_records()}
        assert {r["id"]: r for r in reader.store.export_records() if r["id"] in mine} == mine
        assert len(mine) == 400
        for attachment in killed.store.db.execute("SELECT id, sha256 FROM attachments"):
            assert hashlib.sha256(reader.store.attachment_bytes(attachment[0])).hexdigest() \
                == attachment[1]
    finally:
        reader.close()
        killed.close()


def test_3_the_server_restarted_mid_sync(city_server, tmp_path: Path) -> None:
    with LinkEmulator("127.0.0.1", city_server.port, rate_bps=200_000) as link:
        machine = Machine(tmp_path / "restart", link.url, "09661", HOA)
        machine.import_sample(600, seed=21)
        machine.close()  # a Store belongs to its thread: the worker opens its own
        outcome: dict = {}

        def sync_in_worker() -> None:
            machine.store = open_profile(machine.root, PASSPHRASE)
            try:
                outcome["report"] = sync_until_done(machine)
            finally:
                machine.close()

        worker = threading.Thread(target=sync_in_worker)
        worker.start()
        deadline = time.monotonic() + 60
        while link.stats().client_to_server < 20_000 and time.monotonic() < deadline:
            time.sleep(0.05)  # until the push is under way: 20 KB of its ~100 KB sent
        assert worker.is_alive() and link.stats().client_to_server >= 20_000
        city_server.stop()
        time.sleep(0.5)
        city_server.start()
        worker.join(timeout=300)
        assert not worker.is_alive() and "report" in outcome
    machine.store = open_profile(machine.root, PASSPHRASE)
    try:
        assert_server_holds_everything_once(city_server, machine)
        assert len(local_ids(machine, "dossiers")) == 600
    finally:
        machine.close()


def test_4_two_machines_offline_for_three_days_give_identical_exports(
        city_server, tmp_path: Path) -> None:
    start = datetime(2026, 1, 6, 8, 0, tzinfo=VN_TZ)
    a = Machine(tmp_path / "a", city_server.url, "09661", HOA, clock=FixedClock(start))
    b = Machine(tmp_path / "b", city_server.url, "09661", HOA, clock=FixedClock(start))
    try:
        made = []
        for day in range(3):  # the link is down: no sync for three days
            for machine in (a, b):
                machine.store.clock.moment = start + timedelta(days=day)
                for _ in range(30):
                    machine.store.clock.advance(timedelta(minutes=7))
                    made += machine.take(1, received_at=None)
        codes = [r["code"] for r in made]
        assert len(set(codes)) == len(codes) == 180
        for machine in (a, b, a):
            sync_until_done(machine)
        assert a.export_bytes() == b.export_bytes()
        assert {r["code"] for r in a.store.export_records()} >= set(codes)
    finally:
        a.close()
        b.close()
