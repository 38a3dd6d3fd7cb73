"""Shared helpers of the ``lists`` and ``bonus`` commands (issue 3)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date

from app.cli import CliError, load_settings_from


def parse_date(value: str | None, flag: str) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{flag} {value!r} is not a date (YYYY-MM-DD)") from None


@contextmanager
def context(args):
    from app.context import open_context
    from db.session import DatabaseError

    settings = load_settings_from(args)
    try:
        ctx = open_context(settings, args.database)
    except DatabaseError as e:
        raise CliError(str(e), 1) from None
    try:
        yield ctx
    finally:
        ctx.close()


def emit(obj, as_json: bool, text: str) -> None:
    if as_json:
        json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
