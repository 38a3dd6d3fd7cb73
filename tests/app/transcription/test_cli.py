"""``carecall transcribe`` and ``carecall worker`` from the command line."""

import argparse
import json

import pytest

from app.cli import CliError
from app.commands import transcription as cmd

from .test_worker import bad_files


def run(argv, capsys):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config")
    common.add_argument("--database")
    p = argparse.ArgumentParser(prog="carecall", parents=[common])
    cmd.register(p.add_subparsers(dest="command"), common)
    args = p.parse_args(argv)
    try:
        code = args.func(args)
    except CliError as e:
        code, err = e.code, str(e)
    else:
        err = ""
    out = capsys.readouterr()
    return code, out.out, err + out.err


@pytest.mark.slow
def test_transcribe_prints_segments_as_json_and_text(speech, capsys):
    code, out, err = run(["transcribe", str(speech["en_wav"]), "--language", "en", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["engine"] == "faster-whisper" and data["channels"] == 2 and data["samplerate"] == 8000
    segs = data["segments"]
    assert {s["speaker"] for s in segs} == {"admin", "caller"}
    assert "tuesday" in " ".join(s["text"] for s in segs if s["speaker"] == "caller").lower()
    assert all(w["start"] <= w["end"] for s in segs for w in s["words"])
    code, out, err = run(["transcribe", str(speech["ru_wav"]), "--language", "ru"], capsys)
    assert code == 0 and "caller:" in out and "admin:" in out and "пломб" in out.lower()


@pytest.mark.parametrize("kind,message", [
    ("broken", "not a readable audio file"), ("empty", "the file is empty"),
    ("aiff", "unsupported audio format AIFF"), ("huge", "too large"),
])
def test_bad_files_give_a_clear_error(kind, message, tmp_path, capsys):
    files = bad_files(tmp_path)
    code, out, err = run(["transcribe", str(files[kind])], capsys)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_missing_file_and_too_long_by_config(tmp_path, speech, capsys):
    code, _, err = run(["transcribe", str(tmp_path / "nope.wav")], capsys)
    assert code == 2 and "no such file" in err
    cfg = tmp_path / "c.toml"
    cfg.write_text("[asr]\nmax_audio_seconds = 3\n")
    code, _, err = run(["transcribe", "--config", str(cfg), str(speech["en_wav"])], capsys)
    assert code == 2 and "too long" in err


def test_openai_without_weights_is_reported(speech, capsys):
    code, _, err = run(["transcribe", str(speech["en_wav"]), "--engine", "openai-whisper"], capsys)
    assert code == 1 and "asr.openai_model_path" in err
