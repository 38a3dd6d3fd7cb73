"""Device choices are remembered in the per-user settings overlay."""

from __future__ import annotations

import pytest

from app.settings import SettingsError, load_settings, save_user_choice, user_settings_path


def test_device_choice_is_remembered_and_overrides_the_clinic_config(tmp_path):
    user = tmp_path / "user.toml"
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[audio]\nadmin_device = "clinic default"\nbitrate_kbps = 40\n', encoding="utf-8")
    save_user_choice("audio", "admin_device", "Jabra Evolve 20 (hw:1,0)", path=user)
    save_user_choice("audio", "caller_device", "Loopback", path=user)
    s = load_settings(clinic, user_overlay=user)
    assert s.audio.admin_device == "Jabra Evolve 20 (hw:1,0)"
    assert s.audio.caller_device == "Loopback"
    assert s.audio.bitrate_kbps == 40  # untouched clinic setting
    assert load_settings(None, user_overlay=user).audio.caller_device == "Loopback"
    assert load_settings(clinic, user_overlay=False).audio.admin_device == "clinic default"


def test_invalid_choices_and_secrets_are_refused(tmp_path):
    user = tmp_path / "user.toml"
    with pytest.raises(SettingsError, match="audio.samplerate"):
        save_user_choice("audio", "samplerate", 100, path=user)
    with pytest.raises(SettingsError, match="keyring"):
        user.write_text('[database]\npassword = "x"\n', encoding="utf-8")
        load_settings(None, user_overlay=user)
    assert user_settings_path().name == "user-settings.toml"
