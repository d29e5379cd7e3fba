"""Server CPU a pushed operation, in process: frames decoded and checked as the push route does
(`server.sync_routes._frame_ops`), then applied with `server.sync_store.apply_ops`, one
transaction a request's frames (as they are when a body arrives at once) or, with
`--per-frame`, one a frame (as before 27 November, and on a slow link).

    .venv/bin/python bench/push_inprocess.py [--backend sqlite|postgresql] [--requests 60]
        [--per-frame] [--profile]

The database (SQLite in a temporary folder, or a private PostgreSQL 15 with production
durability, as bench/server_bench.py starts it) is initialised and one device signed in through
a real server, which is then stopped; the requests are those bench/server_bench.py pushes (60
dossiers and their events, UUIDv7 ids). Prints the CPU time of this process an operation
(`time.process_time`, so PostgreSQL's own work is not in it), over three rounds after a
warm-up; `--profile` adds cProfile's 40 most expensive functions of one more round.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
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
    args = parser.parse_args()
    with sb.signed_in_device(args.backend, "push") as (url, device):
        outbox = sb.PushDevice(device, sb.dossier_templates())
        engine = make_engine(url)

        def one_round() -> tuple[int, float]:
            bodies = [outbox.body(120)[0] for _ in range(args.requests)]
            began, applied = time.process_time(), 0
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
            return applied, time.process_time() - began

        one_round()  # warm-up: caches, compiled statements
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


if __name__ == "__main__":
    sys.exit(main())
