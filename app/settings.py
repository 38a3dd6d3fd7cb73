"""One typed settings schema with defaults, overridable by a TOML file.

A clinic's IT deploys many workstations the same way with ``carecall --config FILE``.
Secrets (database password, SIP password, recording master key) never live in this file:
they go to the OS keyring (see :mod:`app.secrets`).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

APP_NAME = "CareCall"
APP_AUTHOR = "CareCall"


class SettingsError(Exception):
    """A config file that cannot be used; the message says what and where."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def runtime_dir() -> Path:
    return Path(platformdirs.user_runtime_dir(APP_NAME, APP_AUTHOR))


class DatabaseSettings(_Section):
    # Empty url: SQLite file in the user's data directory.
    url: str = ""
    # For a password-protected server, the password is looked up in the OS keyring under
    # service "CareCall", user "database:<user>@<host>"; never written here.
    demo_patients: int = Field(default=2000, ge=0, le=1_000_000)
    demo_seed: int = 20261123

    def resolved_url(self) -> str:
        if self.url:
            return self.url
        return "sqlite:///" + str(data_dir() / "carecall.sqlite3")


class PhoneSettings(_Section):
    default_region: str = "RU"

    @field_validator("default_region")
    @classmethod
    def _region(cls, v: str) -> str:
        import phonenumbers

        v = v.upper()
        if v not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown phone region {v!r} (use a two-letter code such as RU)")
        return v


class UiSettings(_Section):
    language: Literal["ru", "en"] = "ru"
    ipc_name: str = ""  # empty: a per-user socket in the runtime directory


class BonusSettings(_Section):
    redemption_cap_percent: int = Field(default=50, ge=0, le=100)
    expiry_days: int = Field(default=180, ge=1)
    first_visit_accrual: int = Field(default=500, ge=0)
    second_visit_accrual: int = Field(default=500, ge=0)
    six_month_accrual: int = Field(default=1000, ge=0)
    compensation_percent: int = Field(default=10, ge=0, le=100)
    # --- issue 3: programme rules (see docs/scripts_bonus_lists.md) ---
    six_month_after_days: int = Field(default=182, ge=1)  # the "six months later" accrual
    # Cumulative discount. Thresholds count money paid in units of discount_unit_roubles:
    # with unit 1000, "2% after 100, +1% per further 100, capped at 10%" = 2% from 100 000 RUB.
    discount_unit_roubles: int = Field(default=1000, ge=1)
    discount_start_units: int = Field(default=100, ge=0)
    discount_start_percent: int = Field(default=2, ge=0, le=100)
    discount_step_units: int = Field(default=100, ge=1)
    discount_step_percent: int = Field(default=1, ge=0, le=100)
    discount_max_percent: int = Field(default=10, ge=0, le=100)
    free_every_nth_service: int = Field(default=5, ge=0)  # 0 = off
    # Programme measurement thresholds, % of accrued patients who used bonuses in the period.
    measure_not_working_percent: int = Field(default=20, ge=0, le=100)
    measure_good_percent: int = Field(default=30, ge=0, le=100)
    measure_target_percent: int = Field(default=50, ge=0, le=100)


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    directory: str = ""  # empty: the user's log directory
    max_bytes: int = Field(default=2_000_000, ge=10_000)
    backups: int = Field(default=5, ge=1)

    def resolved_dir(self) -> Path:
        return Path(self.directory) if self.directory else log_dir()


class ScriptSettings(_Section):
    """Situations, scripts and call lists (issue 3)."""

    language: Literal["ru", "en"] = "ru"
    clinic_name: str = "клиника"
    # return: consultation without treatment -> call the next day; still listed for this many days
    return_window_days: int = Field(default=7, ge=1)
    lapse_days: int = Field(default=365, ge=30)  # no visit for this long -> "return"
    # prevention: months until a check-up when the service itself has no recall_months
    recall_months_by_specialty: dict[str, int] = {}
    recall_months_default: int = Field(default=6, ge=1)
    recall_lead_days: int = Field(default=14, ge=0)  # invite this many days before it is due
    stage_lead_days: int = Field(default=7, ge=0)  # continued treatment: stage due within N days
    plan_stale_days: int = Field(default=30, ge=1)  # undated due stage of a plan this old
    follow_up_days: int = Field(default=1, ge=0)  # today's or yesterday's visit
    confirm_days_before: int = Field(default=2, ge=0)
    remind_hours_before: int = Field(default=2, ge=0)
    birthday_days: int = Field(default=7, ge=0)
    referral_days: int = Field(default=30, ge=1)
    claim_timeout_minutes: int = Field(default=30, ge=1)
    # per call list (situation code) overrides of app.call_lists.DEFAULT_RULES
    lists: dict[str, dict[str, int | bool | str]] = {}



class AudioSettings(_Section):
    """Recording (issue 4)."""

    admin_device: str = ""  # sounddevice input name for the administrator's microphone
    caller_device: str = ""  # loopback / line-in carrying the caller
    samplerate: int = 8000
    storage_dir: str = ""  # empty: <data dir>/recordings; a shared folder for many workstations


class AsrSettings(_Section):
    """Offline transcription (issue 4)."""

    engine: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    model_path: str = ""  # empty: the bundled multilingual base model
    compute_type: str = "int8"
    threads: int = Field(default=2, ge=1, le=64)
    language: Literal["auto", "ru", "en"] = "auto"


class TelephonySettings(_Section):
    """Softphone, PBX events, webhook (issue 5)."""

    source: Literal["none", "softphone", "ami", "webhook"] = "none"


class ReviewSettings(_Section):
    """Review, roles, retention (issue 6)."""

    retention_days: int = Field(default=365 * 3, ge=1)


class Settings(_Section):
    database: DatabaseSettings = DatabaseSettings()
    phone: PhoneSettings = PhoneSettings()
    ui: UiSettings = UiSettings()
    bonus: BonusSettings = BonusSettings()
    logging: LoggingSettings = LoggingSettings()
    scripts: ScriptSettings = ScriptSettings()
    audio: AudioSettings = AudioSettings()
    asr: AsrSettings = AsrSettings()
    telephony: TelephonySettings = TelephonySettings()
    review: ReviewSettings = ReviewSettings()

    def ipc_path(self) -> str:
        if self.ui.ipc_name:
            return self.ui.ipc_name
        return str(runtime_dir() / "carecall.sock")


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, overridden by the TOML file at *path* when given."""
    if path is None:
        return Settings()
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {p}") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"config file {p} is not valid TOML: {e}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"config file {p} is not UTF-8 text") from None
    _refuse_secrets(raw, p)
    try:
        return Settings.model_validate(raw)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            where = ".".join(str(x) for x in err["loc"])
            lines.append(f"  {where}: {err['msg']}")
        raise SettingsError(f"config file {p} has invalid settings:\n" + "\n".join(lines)) from None


_SECRET_KEYS = {"password", "passwd", "secret", "token", "master_key", "auth_pass"}


def _refuse_secrets(raw: dict, p: Path, prefix: str = "") -> None:
    for k, v in raw.items():
        if isinstance(v, dict):
            _refuse_secrets(v, p, prefix + k + ".")
        elif k.lower() in _SECRET_KEYS:
            raise SettingsError(
                f"config file {p}: {prefix}{k} looks like a secret; secrets belong in the OS "
                "keyring (carecall secret set ...), not in a config file"
            )
    url = raw.get("database", {}).get("url", "") if prefix == "" else ""
    if isinstance(url, str) and "://" in url:
        from sqlalchemy.engine import make_url

        try:
            if make_url(url).password:
                raise SettingsError(
                    f"config file {p}: database.url contains a password; store it in the OS "
                    "keyring instead (carecall secret set database)"
                )
        except SettingsError:
            raise
        except Exception:
            raise SettingsError(f"config file {p}: database.url {url!r} is not a database URL") from None
