"""``carecall transcribe FILE`` and ``carecall worker``: offline transcription from the terminal."""

from __future__ import annotations

import json
import os
import sys

from app.cli import CliError


def register(sub, common) -> None:
    p = sub.add_parser("transcribe", parents=[common], help="transcribe an audio file and print the segments")
    p.add_argument("file", metavar="FILE", help="WAV, FLAC or Ogg; channel 0 = administrator, 1 = caller")
    p.add_argument("--engine", choices=["faster-whisper", "openai-whisper"], help="speech engine")
    p.add_argument("--model", default="", help="model directory (faster-whisper) or checkpoint (openai-whisper)")
    p.add_argument("--language", choices=["auto", "ru", "en"], help="spoken language (default: settings)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run_transcribe)

    w = sub.add_parser("worker", parents=[common], help="run the transcription worker against the database")
    w.add_argument("--once", action="store_true", help="process at most one job, then exit")
    w.add_argument("--worker-id", default=None, help="name shown in the queue (default host:pid)")
    w.add_argument("--idle-exit", type=float, default=None, metavar="SECONDS",
                   help="exit after the queue has been empty this long")
    w.add_argument("--background", action="store_true",
                   help="started by the window: exit at once if this user's worker already runs")
    w.set_defaults(func=run_worker)


def run_transcribe(args) -> int:
    from app.cli import load_settings_from
    from app.transcription.audio import AudioError, load_audio_file
    from app.transcription.engines import EngineUnavailable, create_engine, transcribe_channels
    from app.transcription.model import ModelError

    settings = load_settings_from(args)
    asr = settings.asr
    try:
        audio, sr = load_audio_file(args.file, asr.max_audio_seconds, asr.max_file_mb * 2**20)
    except AudioError as e:
        raise CliError(str(e), 2) from None
    try:
        engine = create_engine(args.engine or asr.engine, args.model, asr)
        segments = transcribe_channels(engine, audio, sr, args.language or asr.language)
    except (EngineUnavailable, ModelError) as e:
        raise CliError(str(e), 1) from None
    if args.json:
        out = {"file": args.file, "engine": engine.name, "model": engine.model_name,
               "channels": int(audio.shape[0]), "samplerate": sr,
               "duration": round(audio.shape[1] / sr, 3),
               "segments": [s.to_dict() for s in segments]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for s in segments:
            print(f"[{_ts(s.start)} - {_ts(s.end)}] {s.speaker}: {s.text}")
    return 0


def _ts(t: float) -> str:
    m, s = divmod(t, 60)
    return f"{int(m):02d}:{s:05.2f}"


def run_worker(args) -> int:
    import logging
    import signal
    import threading

    from app.cli import load_settings_from
    from app.context import open_context
    from app.secrets import SecretStoreUnavailable
    from app.transcription.crypto import keys_from_keyring
    from app.transcription.worker import Worker, recording_audio_loader
    from db.session import DatabaseError

    settings = load_settings_from(args)
    logging.basicConfig(level=settings.logging.level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from app.transcription.service import lower_priority

    # background work: the person at the desk (the window, the recorder) gets the CPU first
    lower_priority(settings.asr.worker_nice)
    lock = None
    if args.background:
        from app.transcription.service import hold_worker_lock

        lock = hold_worker_lock()
        if lock is None:
            return 0  # this user's worker is already running
        from app.transcription.service import background_threads

        asr, cores = settings.asr, os.cpu_count() or 1
        threads = background_threads(asr.threads, asr.background_free_cores, cores)
        if threads != asr.threads:
            settings.asr = asr.model_copy(update={"threads": threads})
        logging.getLogger("carecall.transcription").info(
            "background worker: %d of %d threads (%d of %d cores left to the desk)", threads, asr.threads,
            asr.background_free_cores, cores)
    try:
        keys = keys_from_keyring()
    except SecretStoreUnavailable as e:
        raise CliError(f"cannot read the transcript key: {e}", 1) from None
    except Exception as e:  # noqa: BLE001 - app.security.keys' KeyError_ (missing / foreign key)
        raise CliError(f"cannot read the transcript key: {e}", 1) from None
    try:
        ctx = open_context(settings, args.database)
    except DatabaseError as e:
        raise CliError(str(e), 1) from None
    try:
        worker = Worker(ctx.sessions, settings, recording_audio_loader(ctx.sessions, settings), keys=keys,
                        worker_id=args.worker_id)
        if args.once:
            worked = worker.run_once()
            print("processed one job" if worked else "no job waiting")
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        worker.run(stop, idle_exit=args.idle_exit)
        return 0
    finally:
        ctx.close()
        if lock is not None:
            lock.close()
