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
    import warnings

    with warnings.catch_warnings():
        # no XDG_RUNTIME_DIR (a service account, CI): platformdirs falls back to /tmp/runtime-<uid>
        warnings.simplefilter("ignore")
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
    clinic_name: str = ""  # said in the opening line; empty: a neutral greeting
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
    referral_days: int = Field(default=60, ge=1)  # thank a referrer within N days of the referral
    claim_timeout_minutes: int = Field(default=30, ge=1)
    # per call list (situation code) overrides of app.call_lists.DEFAULT_RULES
    lists: dict[str, dict[str, int | bool | str]] = {}


class AudioSettings(_Section):
    """Recording (issue 4)."""

    admin_device: str = ""  # sounddevice input name for the administrator's microphone
    # Loopback / line-in carrying the caller; empty: admin_device is one 2-channel input
    # (channel 0 administrator, channel 1 caller).
    caller_device: str = ""
    samplerate: int = Field(default=8000, ge=8000, le=48000)
    storage_dir: str = ""  # empty: <data dir>/recordings; a shared folder for many workstations
    enabled: bool = True
    record_unknown_callers: bool = True  # callers not in the patient list (no consent on file)
    # Opus kbit/s for all channels together; each channel is its own mono stream (format 2), so
    # the speakers stay apart at any rate. 16 = 8 per channel: 110 KB per call-minute, +2..5 words
    # per speaker per 3-minute call vs the original audio (32: -1..+5); 12 = libsndfile's floor of
    # 6 per channel: 86 KB/min, +5..8 words. See docs/recording.md.
    bitrate_kbps: float = Field(default=16.0, ge=12.0, le=128.0)
    flush_seconds: float = Field(default=1.0, gt=0.05, le=10.0)  # at most this much audio lost on a crash
    # Frames per audio callback (1024 = 128 ms at 8 kHz: the level meter's pace) and the input
    # latency PortAudio asks the device for, i.e. its ring buffer: how long the recorder may go
    # unscheduled on a busy PC before audio is lost. 256 frames / 35 ms lost 0.12 % of a 60-minute
    # call at load 3.6 on 2 cores and cost 0.75 % of a core in callbacks (docs/recording.md).
    blocksize: int = Field(default=1024, ge=64, le=8192)
    latency_s: float = Field(default=0.5, ge=0.01, le=2.0)

    def resolved_storage_dir(self) -> Path:
        return Path(self.storage_dir) if self.storage_dir else data_dir() / "recordings"


class AsrSettings(_Section):
    """Offline transcription (issue 4)."""

    engine: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    model_path: str = ""  # empty: the bundled multilingual base model; else a local model dir
    # float32: benchmark Russian WER 13.7% vs 15.9% with int8 weights, for 1.8x the CPU (RTF about
    # 0.11 vs 0.09 on 2 cores; docs/transcription.md); "int8" with beam 5 for a slow worker PC
    compute_type: str = "float32"
    threads: int = Field(default=2, ge=1, le=64)
    # both channels at once, threads // 2 each (needs threads >= 2): RTF 0.09 vs 0.13-0.15 on 2 cores
    parallel_channels: bool = True
    language: Literal["auto", "ru", "en"] = "auto"
    # openai-whisper (optional extra): a local checkpoint (.pt); empty = not available
    openai_model_path: str = ""
    model_cache_dir: str = ""  # empty: <user cache dir>/models (the bundled model is assembled there)
    beam_size: int = Field(default=4, ge=1, le=10)  # 4 pays for float32; 3 lost 8 Russian words
    word_timestamps: bool = True
    vad: bool = True
    vad_min_silence_ms: int = Field(default=500, ge=50, le=10_000)
    vad_speech_pad_ms: int = Field(default=400, ge=0, le=2_000)  # speech kept around each VAD region
    # decoding (see docs/transcription.md for what each one did to WER/RTF)
    best_of: int = Field(default=5, ge=1, le=10)  # candidates when sampling at temperature > 0
    patience: float = Field(default=1.0, ge=0.5, le=3.0)  # beam search patience
    length_penalty: float = Field(default=1.0, ge=0.0, le=2.0)
    temperature_fallback: bool = True  # retry at 0.2..1.0 when a segment fails the thresholds
    # generic clinic vocabulary from resources/asr/prompt_<lang>.txt as Whisper's initial prompt
    vocabulary_prompt: bool = True  # Russian WER 15.6% vs 18.1%, same CPU (docs/transcription.md)
    hotwords: bool = False  # the same vocabulary as faster-whisper hotwords
    no_speech_threshold: float = 0.6
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    max_audio_seconds: int = Field(default=4 * 3600, ge=1)
    max_file_mb: int = Field(default=1024, ge=1)
    # the queue: a worker holds a job for lease_seconds, renewing it while it works
    lease_seconds: int = Field(default=120, ge=5)
    max_attempts: int = Field(default=3, ge=1, le=20)
    poll_seconds: float = Field(default=2.0, gt=0)
    background_worker: bool = True  # the window starts `carecall worker` (detached) on this PC
    # the worker's CPU priority: its nice value is raised by this much at start (Windows: below
    # normal), so the window, the recorder and the desk's other programs get a CPU first; 0 = as started
    worker_nice: int = Field(default=10, ge=0, le=19)
    # cores of this PC the window's background worker leaves free for the window, the recorder and
    # the desk's other programs: it uses min(threads, cores - this), at least 1. On 2 cores the UI
    # thread waited up to 25 ms for a CPU behind the worker's two threads; with one, a stall of the
    # window's own over 50 ms in 1 run of 5 (2 runs of 3 before) at about the same throughput
    # beside the window (docs/ui.md round 7). 0 = threads as set. `carecall worker` started by
    # hand always uses `threads`.
    background_free_cores: int = Field(default=1, ge=0, le=64)


class TelephonySettings(_Section):
    """Softphone, PBX events, webhook (issue 5). Passwords live in the OS keyring:
    ``sip:<sip_uri>`` (SIP auth), ``ami:<ami_user>@<ami_host>`` (AMI secret),
    ``webhook`` (the webhook's shared token) -- see docs/telephony.md."""

    source: Literal["none", "softphone", "ami", "webhook"] = "none"
    # --- built-in softphone (baresip) ---
    sip_uri: str = ""  # the administrator's account, e.g. sip:101@pbx.clinic.local
    sip_auth_user: str = ""  # empty: the user part of sip_uri
    sip_listen: str = ""  # e.g. 0.0.0.0:5060; empty: baresip's default
    sip_options: str = ""  # extra account parameters, e.g. ;regint=600;outbound="sip:pbx"
    audio_source: str = ""  # baresip "module,device" for the headset microphone; empty: alsa,default
    audio_player: str = ""  # baresip "module,device" for the headset speaker; empty: alsa,default
    record_calls: bool = True  # sndfile: both sides as WAV, handed to the recording pipeline
    baresip_binary: str = "baresip"
    baresip_modules: str = ""  # empty: the first of /usr/lib/baresip/modules, /usr/local/lib/baresip/modules
    restart_max_delay_s: float = Field(default=30.0, ge=0.1, le=600)
    # --- Asterisk Manager Interface (desk phones on Asterisk / FreePBX) ---
    ami_host: str = "127.0.0.1"
    ami_port: int = Field(default=5038, ge=1, le=65535)
    ami_user: str = ""
    extension: str = ""  # the administrator's extension (desk phone), e.g. 101
    originate_context: str = "from-internal"
    # --- local webhook for cloud PBXs ---
    webhook_port: int = Field(default=8765, ge=1, le=65535)


class ReviewSettings(_Section):
    """Review, roles, retention (issue 6)."""

    retention_days: int = Field(default=365 * 3, ge=1)
    # sign-in: this many wrong passwords in a row lock the account for lockout_minutes
    max_failed_sign_ins: int = Field(default=5, ge=1, le=100)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)


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


def user_settings_path() -> Path:
    """Choices a person makes in the program (devices...), kept per user on this computer."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "user-settings.toml"


def _read_user_overlay(p: Path) -> dict:
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"user settings file {p} is damaged ({e}); delete it to start afresh") from None
    _refuse_secrets(raw, p)
    return raw


def save_user_choice(section: str, key: str, value, path: Path | None = None) -> None:
    """Remember one choice in the user overlay (validated first; written atomically with tomli-w)."""
    import os

    import tomli_w

    p = path or user_settings_path()
    raw = _read_user_overlay(p)
    raw.setdefault(section, {})[key] = value
    try:
        Settings.model_validate(raw)
    except ValidationError as e:
        raise SettingsError(f"{section}.{key} = {value!r} is not a valid setting: {e.errors()[0]['msg']}") from None
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(raw), encoding="utf-8")
    os.replace(tmp, p)


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_settings(path: str | Path | None = None, user_overlay: Path | bool = True) -> Settings:
    """Defaults, overridden by the TOML file at *path* when given, then by the user's own
    choices (:func:`user_settings_path`, written by :func:`save_user_choice`) unless
    ``user_overlay`` is False."""
    overlay: dict = {}
    if user_overlay is not False:
        up = user_settings_path() if user_overlay is True else Path(user_overlay)
        overlay = _read_user_overlay(up)
    if path is None:
        if not overlay:
            return Settings()
        try:
            return Settings.model_validate(overlay)
        except ValidationError as e:
            raise SettingsError(f"user settings file {up} has invalid settings: {e.errors()[0]['msg']}") from None
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
    raw = _merge(raw, overlay)
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
