"""Server CPU a pushed operation, in process: frames decoded and checked as the push route does
(`server.sync_routes._frame_ops`), then applied with `server.sync_store.apply_ops`, one
transaction a request's frames (as they are when a body arrives at once) or, with
`--per-frame`, one a frame (as before 27 November, and on a slow link).

    .venv/bin/python bench/push_inprocess.py [--backend sqlite|postgresql] [--requests 60]
        [--per-frame] [--profile] [--pipeline-off-too]

The database (SQLite in a temporary folder, or a private PostgreSQL 15 with production
durability, as bench/server_bench.py starts it) is initialised and one device signed in through
a real server, which is then stopped; the requests are those bench/server_bench.py pushes (60
dossiers and their events, UUIDv7 ids). Prints the CPU time of this process an operation
(`time.process_time`, so PostgreSQL's own work is not in it), over three rounds after a
warm-up; `--profile` adds cProfile's 40 most expensive functions of one more round.

`--pipeline-off-too` (PostgreSQL): ten pairs of rounds instead, one with a batch's statements
sent together as the server sends them (``driver_sql.together``, psycopg's pipeline mode) and
one with each statement waiting for its answer (as before 28 November), alternating so that
both see the same minutes of a machine whose speed drifts; prints each way's median wall time
and CPU time of this process an operation. Run it pinned to one core (``taskset -c 0``) to put
PostgreSQL on the caller's core, as the server benchmark does.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import server_bench as sb  # noqa: E402

from server import sync_store  # noqa: E402
from server.db import make_engine  # noqa: E402
from server.sync_routes import _frame_ops  # noqa: E402
from sync.protocol import FrameKind, FrameReader  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=60, help="requests a round")
    parser.add_argument("--per-frame", action="store_true",
                        help="one transaction a frame instead of one a request")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pipeline-off-too", action="store_true",
                        help="alternate rounds with and without the batch's pipelines")
    args = parser.parse_args()
    with sb.signed_in_device(args.backend, "push") as (url, device):
        outbox = sb.PushDevice(device, sb.dossier_templates())
        engine = make_engine(url)

        def one_round() -> tuple[int, float]:
            applied, cpu, _wall = timed_round()
            return applied, cpu

        def timed_round() -> tuple[int, float, float]:
            bodies = [outbox.body(120)[0] for _ in range(args.requests)]
            began, applied, wall = time.process_time(), 0, time.perf_counter()
            for body in bodies:
                frames = []
                for kind, payload in FrameReader().feed(body):
                    if kind == FrameKind.END:
                        break
                    frames.append(_frame_ops(kind, payload))
                batches = frames if args.per_frame else [sum(frames, [])]
                for ops in batches:
                    answers, _mark = sync_store.apply_ops(engine, device["commune"],
                                                          device["device_id"], ops)
                    applied += sum(answer["status"] == "applied" for answer in answers)
            return applied, time.process_time() - began, time.perf_counter() - wall

        one_round()  # warm-up: caches, compiled statements
        if args.pipeline_off_too:
            compare_pipelines(timed_round, args.requests)
            engine.dispose()
            return 0
        print(f"{args.backend}, {'a transaction a frame' if args.per_frame else 'a transaction a request'}"
              f", {args.requests} requests of 120 operations a round:")
        for number in range(1, 4):
            applied, cpu = one_round()
            print(f"  round {number}: {applied} operations applied, "
                  f"{cpu / max(1, applied) * 1e6:.0f} µs of CPU an operation")
        if args.profile:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            one_round()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        engine.dispose()
    return 0


def compare_pipelines(timed_round, requests: int) -> None:  # noqa: ANN001
    """Ten pairs of rounds, with the batch's pipelines and without (``--pipeline-off-too``)."""
    together = sync_store.together
    figures: dict[str, list[tuple[float, float]]] = {"together": [], "one by one": []}
    try:
        for _pair in range(10):
            for way in figures:
                sync_store.together = together if way == "together" else (
                    lambda *_db: contextlib.nullcontext())
                applied, cpu, wall = timed_round()
                figures[way].append((wall / max(1, applied) * 1e6, cpu / max(1, applied) * 1e6))
    finally:
        sync_store.together = together
    print(f"{requests} requests of 120 operations a round, ten rounds each way, alternating:")
    for way, rounds in figures.items():
        print(f"  statements {way}: median {statistics.median(w for w, _ in rounds):.0f} µs "
              f"wall, {statistics.median(c for _, c in rounds):.0f} µs of this process's CPU "
              "an operation")


if __name__ == "__main__":
    sys.exit(main())
