import pytest

from app.settings import Settings, SettingsError, load_settings


def test_defaults_are_a_clinic_in_russia():
    s = Settings()
    assert s.phone.default_region == "RU"
    assert s.ui.language == "ru"
    assert s.bonus.redemption_cap_percent == 50
    assert s.database.resolved_url().startswith("sqlite:///")
    assert s.database.resolved_url().endswith("carecall.sqlite3")


def test_config_file_overrides_defaults(tmp_path):
    p = tmp_path / "clinic.toml"
    p.write_text(
        '[database]\nurl = "postgresql://carecall@db.clinic.local/carecall"\n'
        '[phone]\ndefault_region = "kz"\n[ui]\nlanguage = "en"\n[bonus]\nredemption_cap_percent = 30\n',
        encoding="utf-8",
    )
    s = load_settings(p)
    assert s.database.resolved_url() == "postgresql://carecall@db.clinic.local/carecall"
    assert s.phone.default_region == "KZ"
    assert (s.ui.language, s.bonus.redemption_cap_percent) == ("en", 30)
    assert s.asr.engine == "faster-whisper"  # untouched sections keep defaults


@pytest.mark.parametrize("body,needle", [
    ("[phone]\ndefault_region = 'XX'\n", "phone.default_region"),
    ("[bonus]\nredemption_cap_percent = 150\n", "bonus.redemption_cap_percent"),
    ("[ui]\nlanguage = 'de'\n", "ui.language"),
    ("[database]\nurll = 'x'\n", "database.urll"),
    ("[nonsense]\na = 1\n", "nonsense"),
    ("[database\n", "not valid TOML"),
    ("[sip]\npassword = 'secret'\n", "keyring"),
    ("[database]\nurl = 'postgresql://u:pw@h/db'\n", "contains a password"),
])
def test_bad_config_is_refused_with_a_clear_message(tmp_path, body, needle):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(SettingsError) as e:
        load_settings(p)
    assert needle in str(e.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_logging_goes_to_a_rotating_file(tmp_path):
    import logging

    from app.logs import setup_logging

    s = Settings()
    s.logging.directory = str(tmp_path)
    s.logging.max_bytes = 10_000
    s.logging.backups = 2
    path = setup_logging(s)
    log = logging.getLogger("carecall.test")
    for i in range(400):
        log.info("line %d %s", i, "x" * 80)
    for h in logging.getLogger("carecall").handlers:
        h.flush()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["carecall.log", "carecall.log.1", "carecall.log.2"]
    assert path.stat().st_size <= 10_000
    assert "line 399" in path.read_text(encoding="utf-8")
