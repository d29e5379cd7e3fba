"""Profiles: the data key in the keychain and under the passphrase, and nothing in clear."""

from __future__ import annotations

import base64
import hashlib
import json
import unicodedata
from pathlib import Path

import keyring
import keyring.errors
import pytest

from app import keys
from app import profile as profile_module
from app.db import connect
from app.errors import (
    PassphraseRequired,
    ProfileDamaged,
    ProfileExists,
    ProfileTooNew,
    UnknownCommune,
    WrongPassphrase,
)
from app.profile import (
    ProfilePaths,
    change_passphrase,
    create_profile,
    data_key_for,
    default_profile_dir,
    open_profile,
)
from app.search import search
from app.textnorm import fold
from app.workspace import Workspace
from tests.conftest import PASSPHRASE, dossier_input

APPLICANT = {"full_name": "Phùng Thị Ngọc Diệp", "id_number": "001301098765",
             "date_of_birth": "2001-05-05", "sex": "female", "phone": "0977 123 456",
             "address": "Thôn Bắc Hà, xã Minh Châu"}


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    root = tmp_path / "profile"
    store = create_profile(root, PASSPHRASE, "09661")
    store.create_dossier(dossier_input(applicant=APPLICANT))
    store.db.close()
    return root


def test_opens_from_the_keychain_without_a_passphrase(profile, memory_keyring) -> None:
    assert len(memory_keyring.secrets) == 1
    store = open_profile(profile)
    assert store.status()["dossiers"] == 1


def test_opens_with_the_passphrase_where_no_keychain_holds_the_key(profile, memory_keyring
                                                                    ) -> None:
    memory_keyring.secrets.clear()
    with pytest.raises(PassphraseRequired):
        open_profile(profile)
    store = open_profile(profile, PASSPHRASE)
    assert store.status()["dossiers"] == 1
    assert len(memory_keyring.secrets) == 1  # the next start is quick again


def test_opens_with_the_passphrase_when_the_keychain_is_unusable(profile, monkeypatch) -> None:
    def broken(*_args):
        raise keyring.errors.NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "get_password", broken)
    monkeypatch.setattr(keyring, "set_password", broken)
    assert open_profile(profile, PASSPHRASE).status()["dossiers"] == 1


def test_a_wrong_passphrase_is_refused_and_damages_nothing(profile, memory_keyring) -> None:
    memory_keyring.secrets.clear()
    before = snapshot(profile)
    with pytest.raises(WrongPassphrase) as caught:
        open_profile(profile, "không đúng")
    assert caught.value.code == "wrong_passphrase"
    assert snapshot(profile) == before
    assert open_profile(profile, PASSPHRASE).status()["dossiers"] == 1


def test_a_stale_keychain_entry_falls_back_to_the_passphrase(profile, memory_keyring) -> None:
    (service, user), _ = next(iter(memory_keyring.secrets.items()))
    memory_keyring.secrets[(service, user)] = base64.b64encode(bytes(32)).decode()
    assert open_profile(profile, PASSPHRASE).status()["dossiers"] == 1


def test_change_passphrase(profile, memory_keyring) -> None:
    change_passphrase(profile, None, "mật khẩu mới")
    memory_keyring.secrets.clear()
    with pytest.raises(WrongPassphrase):
        open_profile(profile, PASSPHRASE)
    assert open_profile(profile, "mật khẩu mới").status()["dossiers"] == 1


def test_no_file_in_the_profile_holds_personal_data_in_clear(profile) -> None:
    store = open_profile(profile)
    record = store.record(store.list_dossiers()[0]["id"])
    store.add_attachment(record["id"], f"CCCD {APPLICANT['id_number']}".encode(), "cccd.txt",
                         "text/plain")
    store.log_access("view", record["id"])
    # Leave the WAL in place, as a crash or a copied laptop would.
    name = APPLICANT["full_name"]
    needles = {
        name.encode(), unicodedata.normalize("NFD", name).encode(), fold(name).encode(),
        name.encode("utf-16-le"), APPLICANT["id_number"].encode(), b"977123456",
        "Ngọc Diệp".encode(), b"ngoc diep",
    }
    files = [p for p in profile.rglob("*") if p.is_file()]
    assert any(p.name == "data.db-wal" for p in files)
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, f"{path.name} holds {needle!r}"
    database = ProfilePaths(profile).database.read_bytes()
    assert not database.startswith(b"SQLite format 3")
    store.db.close()


def test_key_file_holds_no_usable_key(profile, memory_keyring) -> None:
    data_key = base64.b64decode(next(iter(memory_keyring.secrets.values())))
    key_file = ProfilePaths(profile).key_file.read_bytes()
    assert data_key not in key_file and base64.b64encode(data_key) not in key_file
    wrapped = keys.read_wrapped_key(ProfilePaths(profile).key_file)
    assert keys.unwrap_key(wrapped, PASSPHRASE) == data_key


def test_a_new_profile_records_its_16_kib_pages(profile, memory_keyring) -> None:
    assert json.loads(ProfilePaths(profile).meta.read_text("utf-8"))["page_size"] == 16384
    store = open_profile(profile)
    assert int(store.db.execute("PRAGMA page_size").fetchone()[0]) == 16384
    assert search(store.db, "ngoc diep")[0]["applicant_full_name"] == "Phùng Thị Ngọc Diệp"


def test_a_profile_made_with_4_kib_pages_still_opens(tmp_path, monkeypatch, memory_keyring
                                                     ) -> None:
    """Profiles made before 27 November 2026: 4 KiB pages, and no page size in profile.json."""
    monkeypatch.setattr(profile_module, "PAGE_SIZE", 4096)
    root = tmp_path / "old"
    store = create_profile(root, PASSPHRASE, "09661")
    store.create_dossier(dossier_input(applicant=APPLICANT))
    store.db.close()
    monkeypatch.undo()
    meta = ProfilePaths(root).meta
    meta.write_text(json.dumps({key: value for key, value in json.loads(meta.read_text()).items()
                                if key != "page_size"}), encoding="utf-8")
    for reopened in (open_profile(root), open_profile(root, PASSPHRASE)):
        assert int(reopened.db.execute("PRAGMA page_size").fetchone()[0]) == 4096
        assert search(reopened.db, "ngoc diep")[0]["applicant_full_name"] == "Phùng Thị Ngọc Diệp"
        reopened.db.close()


def test_a_page_size_sqlite_does_not_have_is_a_damaged_profile(profile) -> None:
    meta = ProfilePaths(profile).meta
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "page_size": 5000}))
    with pytest.raises(ProfileDamaged, match="page size"):
        open_profile(profile, PASSPHRASE)


def test_a_profile_of_a_newer_format_is_refused_and_left_as_it_was(profile) -> None:
    meta = ProfilePaths(profile).meta
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "format": 2}))
    before = snapshot(profile)
    with pytest.raises(ProfileTooNew, match="profile format 2; this version reads up to 1"):
        open_profile(profile, PASSPHRASE)
    assert snapshot(profile) == before


def test_a_newer_format_is_refused_before_the_passphrase_is_derived(profile, memory_keyring,
                                                                    monkeypatch) -> None:
    memory_keyring.secrets.clear()
    meta = ProfilePaths(profile).meta
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "format": 2}))

    def derived(*_args):
        raise AssertionError("the passphrase was derived for a profile that cannot open")

    monkeypatch.setattr(keys, "unwrap_key", derived)
    with pytest.raises(ProfileTooNew):
        open_profile(profile, PASSPHRASE)
    with pytest.raises(ProfileTooNew):
        Workspace.open(profile, PASSPHRASE)


@pytest.mark.parametrize("text", ["[1, 2]", '"profile"', "{", '{"format": 1}'])
def test_a_profile_json_that_is_no_description_is_a_damaged_profile(profile, text) -> None:
    """Not a JSON object, not JSON at all, or no profile id: a damaged profile, whichever
    part of opening reads it first."""
    ProfilePaths(profile).meta.write_text(text)
    with pytest.raises(ProfileDamaged, match="profile.json is unreadable"):
        open_profile(profile, PASSPHRASE)


@pytest.mark.parametrize("found", ["1", None, True, 0])
def test_a_format_that_is_no_number_is_a_damaged_profile(profile, found) -> None:
    meta = ProfilePaths(profile).meta
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "format": found}))
    with pytest.raises(ProfileDamaged, match="is not a format number"):
        open_profile(profile, PASSPHRASE)


def test_a_database_a_newer_version_upgraded_is_refused_before_anything_is_written(
        profile) -> None:
    """A migration this version does not have (a newer one applied it): the profile does not
    open, nothing in it changes, and it opens again once that version's record is gone."""
    store = open_profile(profile, PASSPHRASE)
    store.db.execute("INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
                     "VALUES ('communedesk', 'm099_from_the_future', '2027-01-01')")
    store.db.close()
    before = snapshot(profile)
    with pytest.raises(ProfileTooNew, match="m099_from_the_future") as caught:
        open_profile(profile, PASSPHRASE)
    assert caught.value.code == "profile_too_new"
    assert snapshot(profile) == before
    paths = ProfilePaths(profile)
    db = connect(paths.database, data_key_for(paths, PASSPHRASE))
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm099_from_the_future'")
    db.close()
    assert open_profile(profile, PASSPHRASE).status()["dossiers"] == 1


def test_creating_over_an_existing_profile_is_refused(profile) -> None:
    before = snapshot(profile)
    with pytest.raises(ProfileExists):
        create_profile(profile, PASSPHRASE, "09661")
    assert snapshot(profile) == before


@pytest.mark.parametrize("code", ["99999", "9661", "abcde", ""])
def test_unknown_commune_is_refused(tmp_path, code) -> None:
    with pytest.raises(UnknownCommune):
        create_profile(tmp_path / "p", PASSPHRASE, code)
    assert not (tmp_path / "p" / "profile.json").exists()


def test_commune_name_comes_from_the_reform_list(tmp_path) -> None:
    store = create_profile(tmp_path / "p", PASSPHRASE, "00226")
    assert store.setting("commune.name") == "Phường Kim Liên"
    assert store.setting("commune.province") == "Thành phố Hà Nội"
    assert store.unit_id == "00226"


def test_default_profile_lives_in_the_user_data_folder(isolated_home) -> None:
    assert default_profile_dir().is_relative_to(isolated_home)
