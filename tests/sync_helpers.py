"""Machines (profiles) that sync with a city server, for the sync tests and benchmarks."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from app import records_io, sample_data, syncing
from app.clock import Clock, FixedClock
from app.dossier import VN_TZ
from app.profile import create_profile
from app.store import Store
from tests.conftest import PASSPHRASE, dossier_input

HOA = ("hoa", "mật-khẩu-hoa")
LAN = ("lan", "mật-khẩu-lan")


class Machine:
    """One profile on one machine, signed in to the city server."""

    def __init__(self, root: Path, url: str, commune: str, account: tuple[str, str],
                 clock: Clock | None = None, sign_in: bool = True) -> None:
        self.root = root
        self.store: Store = create_profile(root, PASSPHRASE, commune, user_name=account[0],
                                           clock=clock or FixedClock(
                                               datetime(2026, 1, 6, 9, 0, tzinfo=VN_TZ)))
        self.url, self.account = url, account
        if sign_in:
            self.sign_in()

    def sign_in(self) -> dict:
        return syncing.sign_in(self.store, self.root, self.url, *self.account,
                               device_name=self.root.name)

    def sync(self, **kwargs):  # noqa: ANN201
        return syncing.run_sync(self.store, self.root, **kwargs)

    def export(self) -> list[dict]:
        return list(self.store.export_records())

    def take(self, count: int, **overrides) -> list[dict]:
        made = []
        for n in range(count):
            record, _ = self.store.create_dossier(dossier_input(
                applicant={**dossier_input()["applicant"], "full_name": f"Trần Văn Bình {n}",
                           "id_number": None}, **overrides))
            made.append(record)
        return made



    def import_sample(self, count: int, seed: int = 7) -> None:
        """``count`` invented dossiers received from Monday 5 January 2026 on."""
        procedures = [(p.code, p.time_limit_days) for p in self.store.catalogue.current(
            datetime(2026, 1, 5).date())]
        records = sample_data.dossier_records(count, procedures, seed=seed, start=datetime(
            2026, 1, 5, 7, 0, tzinfo=VN_TZ), per_day=200)
        result = self.store.import_records(enumerate(records, 1))
        assert not result.errors, result.errors[:3]

    def export_bytes(self) -> bytes:
        out = io.StringIO()
        records_io.write_jsonl(self.store.export_records(), out)
        return out.getvalue().encode()

    def close(self) -> None:
        self.store.db.close()
