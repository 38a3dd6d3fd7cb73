"""``carecall``: the desktop program and its command-line tools."""

from __future__ import annotations

import argparse
import importlib
import sys

from app.commands import COMMAND_MODULES


class CliError(Exception):
    """A message for the person at the terminal; exit code 2 (1 for runtime failures)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="settings file (TOML) for this workstation")
    common.add_argument("--database", metavar="URL", help="database URL (default: SQLite in the user data dir)")
    parser = argparse.ArgumentParser(
        prog="carecall",
        description="CareCall: the caller card, scripts and call review for a clinic's front desk.",
    )
    # Given before the subcommand (carecall --database URL card ...): kept under other names,
    # because a subcommand's own defaults would overwrite them; merged in main().
    parser.add_argument("--config", dest="top_config", metavar="FILE", help="settings file (TOML) for this workstation")
    parser.add_argument("--database", dest="top_database", metavar="URL", help="database URL (default: SQLite in the user data dir)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in COMMAND_MODULES:
        importlib.import_module(mod).register(sub, common)
    return parser


def load_settings_from(args):
    from app.settings import SettingsError, load_settings

    try:
        return load_settings(getattr(args, "config", None))
    except SettingsError as e:
        raise CliError(str(e)) from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # no command named: the window, with the window's options (`carecall --self-test`,
    # `CareCall --language en` from a desktop shortcut or the bundle)
    commands = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if not any(a in commands or a in ("-h", "--help") for a in argv):
        argv = ["gui", *argv]
    args = parser.parse_args(argv)
    for name in ("config", "database"):
        top = getattr(args, "top_" + name)
        if top is not None and getattr(args, name, None) is None:
            setattr(args, name, top)
    try:
        return int(args.func(args) or 0)
    except CliError as e:
        print(f"carecall: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    # Run as `python -m app.cli`: delegate to the imported module, so commands and this entry
    # share one CliError class (this file would otherwise be loaded twice).
    from app.cli import main as _main

    sys.exit(_main())
