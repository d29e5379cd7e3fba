"""``make run`` until the desktop window exists: a demo profile with demo dossiers, shown by the CLI.

Creates (once) a profile for Xã Minh Châu, Hà Nội in the folder given with ``--profile``, fills it
with a few hundred invented dossiers received over the last weeks, then prints its status and
the first dossiers through the real CLI. The passphrase comes from ``COMMUNEDESK_PASSPHRASE``
(the Makefile sets a demo one). The desktop-app issue replaces this with the window.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from app import cli, sample_data
from app.clock import Clock
from app.dossier import VN_TZ
from app.profile import ProfilePaths, create_profile, passphrase_from_env

DEMO_COMMUNE = "09661"  # Xã Minh Châu, Hà Nội
DEMO_DOSSIERS = 300


def make_demo_profile(root: Path, passphrase: str, count: int = DEMO_DOSSIERS) -> None:
    store = create_profile(root, passphrase, DEMO_COMMUNE, user_name="Nguyễn Thị Hoa")
    today = Clock().now().astimezone(VN_TZ)
    start = (today - timedelta(days=21)).replace(hour=7, minute=0, second=0, microsecond=0)
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(today.date())]
    records = sample_data.dossier_records(count, procedures, seed=7, start=start, per_day=20)
    store.import_records(enumerate(
        (r for r in records if r["received_at"] < today.isoformat()), 1))
    store.db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, required=True)
    args = parser.parse_args()
    passphrase = passphrase_from_env()
    if not ProfilePaths(args.profile).exists():
        if not passphrase:
            parser.error("set COMMUNEDESK_PASSPHRASE")
        print(f"Tạo hồ sơ dữ liệu mẫu tại {args.profile} …")
        make_demo_profile(args.profile, passphrase)
    profile = ["--profile", str(args.profile)]
    cli.main([*profile, "status"])
    print()
    return cli.main([*profile, "dossier", "list", "--limit", "10"])


if __name__ == "__main__":
    raise SystemExit(main())
