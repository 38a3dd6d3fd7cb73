"""Built-in script templates from ``resources/scripts/<lang>/<situation>.toml``."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from app.scripts.renderer import Objection, Template, parse
from app.situations import ALL

LANGUAGES = ("ru", "en")


def _dir(lang: str):
    if lang not in LANGUAGES:
        raise ValueError(f"no scripts in language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return resources.files("resources") / "scripts" / lang


def builtin_body(situation: str, lang: str) -> str:
    if situation not in ALL:
        raise ValueError(f"unknown situation {situation!r}")
    return (_dir(lang) / f"{situation}.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def common_objections(lang: str) -> tuple[Objection, ...]:
    raw = tomllib.loads((_dir(lang) / "_common.toml").read_text(encoding="utf-8"))
    return tuple(Objection(o["code"], o["question"], o["answer"]) for o in raw.get("objections", []))


def with_common(tpl: Template, lang: str) -> Template:
    """The template plus the shared objection answers it does not override."""
    own = {o.code for o in tpl.objections}
    tpl.objections = list(tpl.objections) + [o for o in common_objections(lang) if o.code not in own]
    return tpl


def builtin(situation: str, lang: str) -> Template:
    return with_common(parse(builtin_body(situation, lang)), lang)
