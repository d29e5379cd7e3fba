"""How fast this machine's cores run right now: a fixed piece of Python work, timed in CPU time.

The benchmarks run on a shared virtual machine whose speed moves with its neighbours' load,
which the guest cannot see as busy time: on 28 and 29 November 2026 the same server code took
0.23–0.26 ms of CPU a pushed operation one evening and 0.17–0.19 ms the next night
(docs/benchmarks.md). This work depends on nothing in the repository (a fixed record, the
standard library), so its time compares across commits and hours: a figure measured when it
took 1.3 times longer than usual was measured on a slower machine.

    .venv/bin/python bench/machine_speed.py [--cpus 0]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

ROUNDS = 3

_RECORD = {
    "code": "09661-261129-0001", "procedure_code": "1.001193", "status": 2,
    "received_at": "2026-11-29T09:00:00+07:00", "due_at": "2026-12-04T17:00:00+07:00",
    "applicant": {"full_name": "Nguyễn Thị Hoa", "id_number": "001190012345",
                  "phone": "+84912345678", "address": "Thôn Bãi Dài, xã Minh Châu, Hà Nội"},
    "papers": [{"name": f"Giấy tờ số {i}", "form": "original", "count": i} for i in range(8)],
    "notes": "Hồ sơ đăng ký khai sinh; bản sao trích lục gửi qua bưu điện.",
}


def work_ms() -> float:
    """CPU milliseconds of the fixed work in this process (JSON both ways, hashing, sorting)."""
    began = time.process_time()
    text = ""
    for i in range(6000):
        record = json.loads(json.dumps({**_RECORD, "seq": i}, ensure_ascii=False))
        text = json.dumps(record, sort_keys=True)
        hashlib.sha256(text.encode()).hexdigest()
        sorted(range(i % 97, 300, 7), reverse=True)
    assert text  # the loop ran
    return (time.process_time() - began) * 1000


def measure(cpus: str) -> float:
    """The median of ``ROUNDS`` timings of the work, in a fresh process pinned to ``cpus``
    (``taskset -c``), in CPU milliseconds."""
    done = subprocess.run(["taskset", "-c", cpus, sys.executable, __file__, "--inside"],
                          capture_output=True, text=True, timeout=120, check=True)
    return float(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpus", default=",".join(map(str, sorted(os.sched_getaffinity(0)))),
                        help="cores to run on (taskset -c)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        work_ms()  # warm up
        print(f"{statistics.median(work_ms() for _ in range(ROUNDS)):.1f}")
        return 0
    print(f"fixed work on core(s) {args.cpus}: {measure(args.cpus):.0f} ms of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
