"""``communedesk-server [--data-dir DIR] COMMAND``: run and administer the city server.

Exit codes: 0 success, 1 a refused action (the message names it), 2 usage. Passwords come from
``COMMUNEDESK_PASSWORD`` or a prompt, never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

from server import admin
from server.db import DATA_DIR_ENV, configured_url, make_engine, save_url

PASSWORD_ENV = "COMMUNEDESK_PASSWORD"


def _engine(args: argparse.Namespace):  # noqa: ANN202
    return make_engine(configured_url(args.data_dir))


def _print(rows: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    for row in rows:
        print("  ".join("—" if v is None else str(v) for v in row.values()))


def cmd_init(args: argparse.Namespace) -> int:
    # Without --db, keep the database the data folder already uses (SQLite when none).
    url = args.db or configured_url(args.data_dir)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    save_url(args.data_dir, url)
    result = admin.init(make_engine(url))
    print(f"schema v{result['schema_version']}, {result['communes']} communes")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.logs import serve_log_config

    os.environ[DATA_DIR_ENV] = str(args.data_dir)
    tls = {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key} if args.tls_cert else {}
    uvicorn.run("server.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, access_log=False, log_config=serve_log_config(), **tls)
    return 0


def cmd_commune_set(args: argparse.Namespace) -> int:
    row = admin.set_commune(_engine(args), args.code, unit_id=args.unit_id, name=args.name)
    print(f"{row['code']}  {row['name']}  {row['unit_id']}")
    return 0


def _password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin.isatty():
        raise admin.AdminError("password_required", f"set {PASSWORD_ENV}")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise admin.AdminError("password_mismatch", "the two passwords differ")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    user = admin.add_user(_engine(args), args.username, args.role, _password(), args.commune,
                          args.name or "")
    print(f"{user['username']}  {user['role']}  {user['commune'] or '—'}")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    admin.disable_user(_engine(args), args.username)
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    _print(admin.list_users(_engine(args), args.commune), args.json)
    return 0


def cmd_device_list(args: argparse.Namespace) -> int:
    _print(admin.list_devices(_engine(args), args.commune), args.json)
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    admin.revoke_device(_engine(args), args.device_id)
    return 0


def _lease_row(lease: dict[str, Any]) -> dict[str, Any]:
    return {"register": f"{lease['kind']}/{lease['series']}", "epoch": lease["epoch"],
            "holder": lease["holder_device_id"], "device": lease["holder_device_name"],
            "user": lease["holder_user"], "since": lease["since"],
            "last": " ".join(f"{year}:{n}" for year, n in lease["last_numbers"].items()) or None}


def cmd_lease_list(args: argparse.Namespace) -> int:
    found = admin.list_leases(_engine(args), args.commune)
    _print(found if args.json else [_lease_row(lease) for lease in found], args.json)
    return 0


def cmd_lease_transfer(args: argparse.Namespace) -> int:
    lease = admin.transfer_lease(_engine(args), args.commune, args.kind, args.series,
                                 args.device)
    _print([_lease_row(lease)], False)
    return 0


def cmd_lease_log(args: argparse.Namespace) -> int:
    _print(admin.lease_log(_engine(args), args.commune, args.limit), args.json)
    return 0


def cmd_min_version(args: argparse.Namespace) -> int:
    admin.set_min_version(_engine(args), args.version)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="communedesk-server",
                                     description="CommuneDesk city server")
    parser.add_argument("--data-dir", type=Path,
                        default=Path(platformdirs.user_data_dir("CommuneDesk-server",
                                                                appauthor=False)))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create or upgrade the schema, seed the directory")
    init.add_argument("--db", help="database URL (default: SQLite in the data folder)")
    init.set_defaults(handler=cmd_init)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")
    serve.set_defaults(handler=cmd_serve)

    commune = commands.add_parser("commune").add_subparsers(dest="action", required=True)
    cset = commune.add_parser("set", help="unit identifier or name of a commune")
    cset.add_argument("--code", required=True)
    cset.add_argument("--unit-id")
    cset.add_argument("--name")
    cset.set_defaults(handler=cmd_commune_set)

    user = commands.add_parser("user").add_subparsers(dest="action", required=True)
    uadd = user.add_parser("add", help=f"add a user (password from {PASSWORD_ENV} or a prompt)")
    uadd.add_argument("--commune")
    uadd.add_argument("--username", required=True)
    uadd.add_argument("--role", required=True, choices=admin.ROLES)
    uadd.add_argument("--name", help="display name")
    uadd.set_defaults(handler=cmd_user_add)
    udis = user.add_parser("disable")
    udis.add_argument("--username", required=True)
    udis.set_defaults(handler=cmd_user_disable)
    ulist = user.add_parser("list")
    ulist.add_argument("--commune")
    ulist.add_argument("--json", action="store_true")
    ulist.set_defaults(handler=cmd_user_list)

    device = commands.add_parser("device").add_subparsers(dest="action", required=True)
    dlist = device.add_parser("list", help="last contact, app version, pending changes, slot")
    dlist.add_argument("--commune")
    dlist.add_argument("--json", action="store_true")
    dlist.set_defaults(handler=cmd_device_list)
    drev = device.add_parser("revoke")
    drev.add_argument("device_id")
    drev.set_defaults(handler=cmd_device_revoke)

    lease = commands.add_parser("lease").add_subparsers(dest="action", required=True)
    llist = lease.add_parser("list", help="a commune's register leases and last numbers")
    llist.add_argument("--commune", required=True)
    llist.add_argument("--json", action="store_true")
    llist.set_defaults(handler=cmd_lease_list)
    ltransfer = lease.add_parser("transfer", help="force a register lease to a device "
                                                  "(logged; the old holder's later numbers "
                                                  "come back as conflicts)")
    ltransfer.add_argument("--commune", required=True)
    ltransfer.add_argument("--kind", required=True, choices=("incoming", "outgoing"))
    ltransfer.add_argument("--series", required=True, choices=("ordinary", "secret"))
    ltransfer.add_argument("--device", required=True, help="the device id (device list)")
    ltransfer.set_defaults(handler=cmd_lease_transfer)
    llog = lease.add_parser("log", help="who moved which lease, newest first")
    llog.add_argument("--commune", required=True)
    llog.add_argument("--limit", type=int, default=100)
    llog.add_argument("--json", action="store_true")
    llog.set_defaults(handler=cmd_lease_log)

    minimum = commands.add_parser("min-version").add_subparsers(dest="action", required=True)
    mset = minimum.add_parser("set", help="refuse older clients (426)")
    mset.add_argument("version")
    mset.set_defaults(handler=cmd_min_version)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except admin.AdminError as error:
        print(f"error [{error.code}]: {error.detail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
