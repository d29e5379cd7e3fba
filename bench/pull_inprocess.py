"""Server CPU an empty pull, in process: `GET /v1/pull` at the device's current cursor driven
through the whole ASGI app (the gate and its request log, body coding, routing, the token check
and the commune's head on the event loop's connection), without uvicorn or sockets.

    .venv/bin/python bench/pull_inprocess.py [--backend sqlite|postgresql] [--pulls 3000]
        [--profile]

The database (SQLite in a temporary folder, or a private PostgreSQL 15 as bench/server_bench.py
starts it) is initialised and one device signed in through a real server, which is then
stopped. The request log is configured as `communedesk-server serve` configures it, written to
/dev/null. Prints the CPU time of this process a pull (`time.process_time`: PostgreSQL's own
work is not in it; the driver's socket calls are), best of 8 rounds after a warm-up;
`--profile` adds cProfile's 40 most expensive functions of one more round.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging.config
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import server_bench as sb  # noqa: E402
import uvloop  # noqa: E402

from server.app import create_app  # noqa: E402
from server.db import make_engine  # noqa: E402
from server.logs import serve_log_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pulls", type=int, default=3000, help="pulls a round")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with sb.signed_in_device(args.backend, "pull") as (url, device):
        config = serve_log_config()
        config["handlers"]["json"]["stream"] = open(os.devnull, "w")  # noqa: SIM115
        logging.config.dictConfig(config)
        engine = make_engine(url)
        app = create_app(engine)
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": "/v1/pull",
                 "raw_path": b"/v1/pull", "root_path": "",
                 "query_string": f"cursor={device['cursor']}".encode(),
                 "headers": [(name.lower().encode(), value.encode())
                             for name, value in sb.headers_of(device).items()]
                 + [(b"host", b"127.0.0.1"), (b"accept-encoding", b"zstd, gzip")],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        async def pulls(count: int) -> None:
            for _ in range(count):
                await app(dict(scope), receive, send)

        loop = uvloop.new_event_loop()  # as uvicorn runs the server here
        asyncio.set_event_loop(loop)
        loop.run_until_complete(pulls(300))  # warm-up: the minimum version, prepared reads
        best = float("inf")
        for _ in range(8):
            began = time.process_time()
            loop.run_until_complete(pulls(args.pulls))
            best = min(best, (time.process_time() - began) / args.pulls)
        if set(statuses) != {200}:
            raise RuntimeError(f"answers other than 200: {sorted(set(statuses))}")
        print(f"{args.backend}: {best * 1e6:.0f} µs of CPU an empty pull "
              f"(best of 8 rounds of {args.pulls:,})")
        if args.profile:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            loop.run_until_complete(pulls(args.pulls))
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        loop.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
