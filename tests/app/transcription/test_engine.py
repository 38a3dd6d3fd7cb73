"""Real transcription with the bundled model on Festival speech after a G.711 round trip."""

from pathlib import Path

import numpy as np
import pytest

from app.transcription import textnorm
from app.transcription.engines import drop_repetitions, transcribe_channels
from app.transcription.types import Segment, Word

from .conftest import silence

pytestmark = pytest.mark.slow


def _words(segs, speaker):
    return set(textnorm.normalise(w) for s in segs if s.speaker == speaker for _, _, w in textnorm.words(s.text))


def _check_times(segs):
    for s in segs:
        assert 0 <= s.start < s.end
        assert s.words, s
        last = s.start - 0.01
        for w in s.words:
            assert w.start <= w.end
            assert w.start >= last - 0.01, (s.text, w)
            assert s.start - 0.05 <= w.start and w.end <= s.end + 0.05, (s, w)
            last = w.start
    starts = [s.start for s in segs]
    assert starts == sorted(starts)


def test_english_call_by_channel(fw_engine, speech):
    segs = transcribe_channels(fw_engine, speech["en"], 8000, "auto")
    admin, caller = _words(segs, "admin"), _words(segs, "caller")
    assert {"morning", "anna", "speaking"} <= admin
    assert {"book", "cleaning", "brown", "tuesday"} <= caller
    assert "tuesday" not in admin and "anna" not in caller
    assert {s.channel for s in segs if s.speaker == "admin"} == {0}
    assert {s.language for s in segs} == {"en"}
    # the administrator speaks first, the caller after
    assert min(s.start for s in segs if s.speaker == "caller") > max(s.start for s in segs if s.speaker == "admin")
    _check_times(segs)


def test_russian_call_by_channel(fw_engine, speech):
    segs = transcribe_channels(fw_engine, speech["ru"], 8000, "ru")
    admin, caller = _words(segs, "admin"), _words(segs, "caller")
    assert {"здравствуйте", "анна"} <= admin
    assert {"добрый", "день", "записаться", "врачу"} <= caller
    assert any(textnorm.stem(w) == textnorm.stem("пломба") for w in caller)
    assert {s.language for s in segs} == {"ru"}
    _check_times(segs)


def test_auto_language_detects_russian(fw_engine, speech):
    segs = transcribe_channels(fw_engine, speech["ru"][:, : 8000 * 6], 8000, "auto")
    assert segs and {s.language for s in segs} == {"ru"}


def test_silence_and_line_noise_give_no_text(fw_engine):
    assert transcribe_channels(fw_engine, silence(20, noise_db=None), 8000, "auto") == []  # digital silence
    assert transcribe_channels(fw_engine, silence(20, noise_db=-50), 8000, "auto") == []  # hiss on the line
    assert transcribe_channels(fw_engine, silence(20, noise_db=-50), 8000, "ru") == []


def test_speech_on_one_channel_silence_on_the_other(fw_engine, speech):
    x = speech["en"].copy()
    x[1] = silence(x.shape[1] / 8000, channels=1, noise_db=-55)[0]
    segs = transcribe_channels(fw_engine, x, 8000, "en")
    assert segs and {s.speaker for s in segs} == {"admin"}


def test_8khz_mono_file_is_one_mixed_speaker(fw_engine, speech):
    mono = speech["en"].sum(axis=0, keepdims=True)
    segs = transcribe_channels(fw_engine, mono, 8000, "en")
    words = _words(segs, "mixed")
    assert {"morning", "cleaning", "tuesday"} <= words


CALL_THEN_HANGUP = Path(__file__).parent / "data" / "caller-then-hangup.flac"
PHRASE = "Hello, I would like to book an appointment with the dentist tomorrow morning."


def test_nothing_is_written_over_the_silence_after_the_caller_hangs_up(fw_engine):
    """The caller's channel of a real softphone call (tests/app/telephony): Festival's phrase
    through RTP, then 0.7 s of exact zeros after the hang-up. Without the silence guard the model
    wrote "Thank you." or "You" at 4.15-4.73 s in 9 runs of 10 (0 of 10 with it)."""
    import soundfile as sf

    caller, sr = sf.read(CALL_THEN_HANGUP, dtype="float32")
    call = np.stack([np.zeros_like(caller), caller])  # the administrator said nothing
    segs = transcribe_channels(fw_engine, call, sr, "auto")
    assert [(s.speaker, s.text) for s in segs] == [("caller", PHRASE)]


def test_the_silence_guard_needs_both_silence_and_a_failed_decode():
    import soundfile as sf

    from app.transcription.audio import to_model_rate
    from app.transcription.engines import SilenceGuard

    caller, sr = sf.read(CALL_THEN_HANGUP, dtype="float32")
    guard = SilenceGuard(to_model_rate(caller, sr), log_prob_threshold=-1.0)
    # the invented tail (as the model gave it: 4.15-4.73 s, mean log-probability -1.21)
    assert guard.silent_share(4.15, 4.73) == pytest.approx(0.59, abs=0.02)
    assert guard.invented(4.15, 4.73, -1.21)
    # the phrase's first word starts in the lead-in's zeros, 60 % silent, but was decoded surely
    assert guard.silent_share(0.37, 0.89) >= 0.5
    assert not guard.invented(0.37, 0.89, -0.07)
    assert not guard.invented(0.37, 4.15, -1.5)  # speech decoded badly is still speech: kept
    assert guard.invented(5.5, 6.0, -1.5)  # past the end of the audio: nothing was said there


def test_post_filter_drops_repetition_loops():
    loop = Segment(1, "caller", 0, 5, "Thank you. Thank you. Thank you. Thank you. Thank you.",
                   [Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(["Thank", "you."] * 5)])
    out = drop_repetitions([loop])
    assert [s.text for s in out] == ["Thank you."]
    same = [Segment(0, "admin", i, i + 1, "Продолжаем запись.") for i in range(5)]
    assert len(drop_repetitions(same)) == 1
    credits = Segment(0, "admin", 0, 2, "Субтитры сделал DimaTorzok")
    normal = Segment(0, "admin", 2, 4, "Запишу вас на вторник, на десять часов.")
    assert [s.text for s in drop_repetitions([credits, normal])] == [normal.text]
    assert drop_repetitions([normal]) == [normal]


def test_clinic_vocabulary_is_generic():
    from app.transcription.engines import clinic_vocabulary

    ru, en = clinic_vocabulary("ru"), clinic_vocabulary("en")
    assert "пломба" in ru and "Четверг" not in ru and "четверг" in ru
    assert "filling" in en and "Tuesday" in en
    assert clinic_vocabulary("de") is None
    for name in ("Улыбк", "Смирнов", "Ольг", "Петров", "Smile", "Brown", "Collins"):  # the test calls' names
        assert name not in ru + en


def test_vocabulary_prompt_on_silence_gives_no_text():
    """A prompt must not make the model say the vocabulary back on a silent or hissing line."""
    from app.settings import AsrSettings
    from app.transcription.engines import FasterWhisperEngine

    engine = FasterWhisperEngine(AsrSettings(vocabulary_prompt=True))
    for lang in ("ru", "en"):
        assert transcribe_channels(engine, silence(20, noise_db=-50), 8000, lang) == []
        assert transcribe_channels(engine, silence(20, noise_db=-35), 8000, lang) == []


class _Timed:
    """The real engine, with each transcribe() call's thread and wall-clock span noted."""

    def __init__(self, engine):
        import threading
        import time

        self.engine, self.spans, self._lock = engine, [], threading.Lock()
        self.concurrency = engine.concurrency
        self.detect_language = engine.detect_language
        self._now, self._thread = time.perf_counter, threading.get_ident

    def transcribe(self, audio, language, progress=None):
        t0 = self._now()
        out = self.engine.transcribe(audio, language, progress)
        with self._lock:
            self.spans.append((self._thread(), t0, self._now(), language))
        return out


def test_both_channels_run_at_once_on_two_workers(fw_engine, speech):
    assert fw_engine.concurrency == 2  # the default: 2 threads, parallel_channels
    timed = _Timed(fw_engine)
    seen = []
    segs = transcribe_channels(timed, speech["en"], 8000, "auto", seen.append)
    (ta, a0, a1, la), (tb, b0, b1, lb) = timed.spans
    assert ta != tb and a0 < b1 and b0 < a1  # two threads, overlapping in time
    assert la == lb == "en"  # "auto": detected once on the louder channel, then given to both
    assert seen[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in seen)
    admin, caller = _words(segs, "admin"), _words(segs, "caller")
    assert {"morning", "anna", "speaking"} <= admin and {"book", "cleaning", "brown", "tuesday"} <= caller
    _check_times(segs)


def test_sequential_channels_when_parallel_is_off(asr_settings, speech):
    from app.transcription.engines import FasterWhisperEngine

    engine = FasterWhisperEngine(asr_settings.model_copy(update={"parallel_channels": False}))
    assert engine.concurrency == 1
    timed = _Timed(engine)
    segs = transcribe_channels(timed, speech["ru"], 8000, "auto")
    (_, a0, a1, la), (_, b0, b1, lb) = timed.spans
    assert a1 <= b0  # one after the other
    assert la is None and lb == "ru"  # the first channel's detected language goes to the second
    assert {"добрый", "день", "записаться", "врачу"} <= _words(segs, "caller")
