"""``carecall key``: the clinic master key that protects recordings and transcripts.

* ``status``: is there a master key in this workstation's keyring, and which (key id).
* ``export FILE``: the master key wrapped by a passphrase (scrypt + AES-GCM), to enrol
  another workstation. Keep the file and the passphrase apart.
* ``import FILE``: put an exported key into this workstation's keyring.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from app.cli import CliError


def register(sub, common) -> None:
    p = sub.add_parser("key", parents=[common], help="the clinic master key (status, export, import)")
    p.add_argument("action", choices=["status", "export", "import"])
    p.add_argument("file", nargs="?", help="the key file to write (export) or read (import)")
    p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from standard input")
    p.add_argument("--replace", action="store_true", help="import over a different existing key")
    p.set_defaults(func=run)


def _passphrase(args, confirm: bool) -> str:
    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("passphrase: ")
    if confirm and getpass.getpass("passphrase again: ") != first:
        raise CliError("the passphrases differ")
    return first


def run(args) -> int:
    from app.secrets import SecretStoreUnavailable, backend_description
    from app.security.keys import KeyError_, default_key_manager

    try:
        if args.action == "status":
            km = default_key_manager(create=False)
            where = backend_description()
            if km.has_master_key():
                print(f"master key present (key id {km.key_id}) in {where}")
            else:
                print(f"no master key yet in {where}: it is created with the first recording, "
                      "or imported with 'carecall key import FILE'")
            return 0
        if not args.file:
            raise CliError(f"carecall key {args.action} needs a FILE")
        path = Path(args.file)
        if args.action == "export":
            if path.exists():
                raise CliError(f"{path} exists; choose a new file name")
            km = default_key_manager(create=True)
            blob = km.export_master(_passphrase(args, confirm=True))
            path.write_text(blob + "\n", encoding="ascii")
            print(f"exported master key {km.key_id} to {path}; import it on another workstation with "
                  "'carecall key import FILE'")
            return 0
        try:
            blob = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as e:
            raise CliError(f"cannot read {path}: {e}") from None
        km = default_key_manager(create=False)
        kid = km.import_master(blob, _passphrase(args, confirm=False), replace=args.replace)
        print(f"imported master key {kid} into this workstation's keyring")
        return 0
    except (SecretStoreUnavailable, KeyError_) as e:
        raise CliError(str(e), 1) from None
