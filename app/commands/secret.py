"""``carecall secret``: put secrets into the OS keyring (never into the config file)."""

from __future__ import annotations

import getpass
import sys

from app.cli import CliError


def register(sub, common) -> None:
    p = sub.add_parser("secret", parents=[common], help="store or delete a secret in the OS keyring")
    p.add_argument("action", choices=["set", "delete", "check"])
    p.add_argument("name", help="database, sip, ami, webhook, or a full key such as database:user@host:5432/db")
    p.add_argument("--stdin", action="store_true", help="read the secret from standard input")
    p.set_defaults(func=run)


def run(args) -> int:
    from app.cli import load_settings_from
    from app.secrets import SecretStoreUnavailable, database_secret_name, delete_secret, get_secret, set_secret

    settings = load_settings_from(args)
    name = args.name
    if name == "database":
        url = args.database or settings.database.url
        if not url:
            raise CliError("the embedded SQLite database needs no password")
        name = database_secret_name(url)
    elif name in ("sip", "ami"):  # issue 5: the names app.telephony looks up
        t = settings.telephony
        if name == "sip" and not t.sip_uri:
            raise CliError("set telephony.sip_uri in the settings file first")
        if name == "ami" and not t.ami_user:
            raise CliError("set telephony.ami_user in the settings file first")
        name = f"sip:{t.sip_uri}" if name == "sip" else f"ami:{t.ami_user}@{t.ami_host}"
    try:
        if args.action == "set":
            value = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass(f"{name}: ")
            if not value:
                raise CliError("empty secret: nothing stored")
            set_secret(name, value)
            print(f"stored {name} in the OS keyring")
        elif args.action == "delete":
            print(f"deleted {name}" if delete_secret(name) else f"{name} was not stored")
        else:
            print(f"{name}: {'stored' if get_secret(name) is not None else 'not stored'}")
    except SecretStoreUnavailable as e:
        raise CliError(str(e), 1) from None
    return 0
