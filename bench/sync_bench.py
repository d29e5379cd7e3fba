"""Sync over an island commune's link: bytes per dossier, time against the link, bytes resent.

    .venv/bin/python bench/sync_bench.py [--dossiers 10000] [--rate 256000] [--rtt 0.3]

Starts a city server (SQLite, in a temporary folder) and, through bench/linkemu.py at ``--rate``
bit/s each way with ``--rtt`` round trips, (1) a fresh client uploads ``--dossiers`` dossiers,
(2) a second fresh client downloads them, (3) the upload again on a fresh server through the
same link cut every ~100 KB, (4) the same upload and download with no emulator. Bytes are the
emulator's count (both directions, HTTP headers included, TCP/IP headers not). Prints the
figures the issue asks for (docs/benchmarks.md): bytes on the wire per dossier each way (target
≤ 350), wall time against bytes ÷ rate (target ≤ 1.3×), bytes sent more than once with cuts
(target ≤ 5 % of the total), and dossiers per second end to end with no emulator.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402

from bench.linkemu import LinkEmulator  # noqa: E402
from sync.transport import LinkDown  # noqa: E402
from tests.conftest import CityServer, MemoryKeyring  # noqa: E402
from tests.sync_helpers import HOA, Machine  # noqa: E402


def new_server(root: Path) -> CityServer:
    server = CityServer(root)
    server.init()
    server.admin("user", "add", "--commune", "09661", "--username", HOA[0], "--role",
                 "officer", password=HOA[1])
    server.start()
    return server


def timed_sync(machine: Machine) -> tuple[float, int]:
    """Seconds for one complete sync (syncing again after each cut), and the attempts."""
    started, attempts = time.perf_counter(), 0
    while True:
        attempts += 1
        try:
            machine.sync(blobs=False)
            return time.perf_counter() - started, attempts
        except LinkDown:
            continue


def measured_sync(link: LinkEmulator, machine: Machine) -> tuple[int, int, float]:
    """Bytes up, bytes down and seconds of one complete sync through ``link``."""
    before = link.stats()
    seconds, _ = timed_sync(machine)
    after = link.stats()
    return (after.client_to_server - before.client_to_server,
            after.server_to_client - before.server_to_client, seconds)


def run(args: argparse.Namespace, work: Path) -> None:
    rate, n = args.rate, args.dossiers
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; link {rate / 1000:g} kbit/s each way, "
          f"{args.rtt * 1000:g} ms round trip; {n} dossiers")

    # 1-2: upload by one fresh client, download by another, through the emulated link.
    server = new_server(work / "city")
    try:
        with LinkEmulator("127.0.0.1", server.port, rate_bps=rate, latency_s=args.rtt / 2,
                          seed=1) as link:
            up = Machine(work / "up", link.url, "09661", HOA)
            up.import_sample(n, seed=2026)
            sent, back, seconds = measured_sync(link, up)
            clean_total = sent + back
            limit = max(sent, back) * 8 / rate
            print(f"upload:   {sent / n:6.0f} B/dossier up, {back / n:5.0f} B/dossier down "
                  f"(answers); {seconds:6.1f} s against {limit:6.1f} s of link time = "
                  f"{seconds / limit:.2f}x")
            down = Machine(work / "down", link.url, "09661", HOA)
            sent, back, seconds = measured_sync(link, down)
            limit = max(sent, back) * 8 / rate
            print(f"download: {back / n:6.0f} B/dossier down, {sent / n:5.0f} B/dossier up "
                  f"(requests); {seconds:6.1f} s against {limit:6.1f} s of link time = "
                  f"{seconds / limit:.2f}x")
            assert down.export_bytes() == up.export_bytes(), "the download differs"
            up.close()
            down.close()
    finally:
        server.stop()

    # 3: the same upload on a fresh server, the link cut every ~100 KB.
    server = new_server(work / "city-cut")
    try:
        with LinkEmulator("127.0.0.1", server.port, rate_bps=rate, latency_s=args.rtt / 2,
                          cut_after_bytes=(80_000, 120_000), seed=3) as link:
            cut = Machine(work / "cut", link.url, "09661", HOA)
            cut.import_sample(n, seed=2026)
            before = link.stats()
            seconds, attempts = timed_sync(cut)
            after = link.stats()
            total = after.total - before.total
            extra = total - clean_total
            print(f"cuts:     {after.cuts - before.cuts} cuts, {attempts} sync attempts, "
                  f"{total / 1e6:.2f} MB against {clean_total / 1e6:.2f} MB uncut: "
                  f"{extra / total * 100:.1f} % sent more than once (or spent reconnecting); "
                  f"{seconds:.1f} s")
            cut.close()
    finally:
        server.stop()

    # 4: no emulator.
    server = new_server(work / "city-direct")
    try:
        direct = Machine(work / "direct", server.url, "09661", HOA)
        direct.import_sample(n, seed=2026)
        seconds, _ = timed_sync(direct)
        reader = Machine(work / "reader", server.url, "09661", HOA)
        read_seconds, _ = timed_sync(reader)
        print(f"direct:   upload {n / seconds:6.0f} dossiers/s ({seconds:.1f} s), download "
              f"{n / read_seconds:6.0f} dossiers/s ({read_seconds:.1f} s)")
        direct.close()
        reader.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=256_000, help="bit/s each way")
    parser.add_argument("--rtt", type=float, default=0.3, help="round trip, seconds")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())  # never the real keychain
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as work:
        run(args, Path(work))


if __name__ == "__main__":
    main()
