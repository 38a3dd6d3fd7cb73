"""The self-test's own parts: a temporary demo clinic, the resources, the bundled sample heard
by the bundled model."""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import pytest
import soundfile as sf
from sqlalchemy import func, select

from app import selftest
from db.models import Patient
from db.session import make_engine


def test_demo_database_in_a_temporary_directory_unless_one_is_given(settings, capsys):
    checks: list = []
    args = argparse.Namespace(database=None)
    selftest.prepare_self_test(settings, args, checks)
    assert checks == [selftest.check_resources, selftest.check_recording_codec, selftest.check_transcribe_sample]
    assert args.database.startswith("sqlite:///") and "carecall-selftest-" in args.database
    e = make_engine(args.database)
    try:
        with e.connect() as c:
            assert c.execute(select(func.count()).select_from(Patient)).scalar_one() == selftest.DEMO_PATIENTS
    finally:
        e.dispose()
    assert "ok   demo_database: demo clinic with 150 patients" in capsys.readouterr().out
    given = argparse.Namespace(database="sqlite:////nowhere/clinic.sqlite3")
    selftest.prepare_self_test(settings, given, checks)
    assert given.database == "sqlite:////nowhere/clinic.sqlite3"  # the clinic's database is not touched
    assert len(checks) == 3


def test_resources_and_sample_are_in_place():
    assert "migrations" in selftest.check_resources(None)
    info = sf.info(str(selftest.sample_path()))
    assert info.samplerate == 16000 and 3 < info.duration < 10
    assert selftest.sample_path().stat().st_size < 200_000


def test_recordings_can_be_written_and_read_with_the_chosen_libsndfile():
    from app.recording.sndlib import select_libsndfile

    out = selftest.check_recording_codec(None)
    lib = select_libsndfile()
    assert out.startswith(f"Ogg Opus with {lib.version} ({lib.source}")
    if lib.source == "system":  # Debian here (setup.sh installs libsndfile1): the system's
        assert lib.path and lib.path in out


@pytest.mark.slow
def test_bundled_model_hears_the_sample(settings):
    out = selftest.check_transcribe_sample(SimpleNamespace(settings=settings))
    assert "appointment" in out.lower() and "base (bundled)" in out
