"""Speech engines behind one small interface, and per-channel transcription with guards.

* ``faster-whisper`` (default): the bundled multilingual base model (CTranslate2, float32 by
  default), loaded from a local directory only; nothing is downloaded. With
  ``asr.parallel_channels`` the administrator's and the caller's channels are transcribed at the
  same time, each on its own CTranslate2 worker with half the threads.
* ``openai-whisper`` (optional extra ``carecall[openai]``): a local checkpoint at
  ``asr.openai_model_path``; without one the engine reports itself unavailable.

Guards against hallucinated text on silence and on 8 kHz telephone audio: voice activity
detection (Silero VAD; for openai-whisper each speech region is transcribed on its own),
``condition_on_previous_text=False``, compression-ratio / no-speech / log-prob thresholds,
``hallucination_silence_threshold`` with word times, digital silence skipped per channel, a
segment the decoder failed on that lies over digital silence dropped (:class:`SilenceGuard`), and a
post-filter (:func:`drop_repetitions`) that removes repeated-phrase loops.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from app.settings import AsrSettings
from app.transcription import textnorm
from app.transcription.audio import MODEL_RATE, to_model_rate
from app.transcription.types import Segment, Word, speaker_for

log = logging.getLogger("carecall.transcription")

# CTranslate2 runs its matrix products on OpenMP (libgomp), whose idle threads spin by default.
# On a front-desk PC shared with the window and other programs that spinning fights them for the
# cores: measured under load 5 on 2 cores, float32 took RTF 2.24 spinning against 0.23 passive
# (int8: 0.12 against 0.13, no difference; docs/transcription.md). libgomp reads this once,
# when CTranslate2 loads, so it is set here, before any engine is imported; a value the clinic
# set itself is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ENGINES = ("faster-whisper", "openai-whisper")
LANGUAGES = ("ru", "en")  # "auto" chooses between these
Progress = Callable[[float], None]


class EngineUnavailable(Exception):
    """The engine or its model cannot be used on this machine; the message says why."""


class Engine(Protocol):
    name: str
    model_name: str
    # how many transcribe() calls may run at once from different threads (1: one at a time)
    concurrency: int

    def transcribe(self, audio: np.ndarray, language: str | None,
                   progress: Progress | None = None) -> tuple[list[Segment], str]:
        """16 kHz mono float32 -> (segments with channel -1, detected language)."""


def clinic_vocabulary(language: str) -> str | None:
    """The generic clinic vocabulary (resources/asr/prompt_<lang>.txt) for prompting, or None."""
    from importlib import resources

    f = resources.files("resources") / "asr" / f"prompt_{language}.txt"
    return " ".join(f.read_text(encoding="utf-8").split()) if f.is_file() else None


# --- a guard both engines apply ----------------------------------------------------------

SILENCE_PEAK = 1e-3  # below this a channel is digital silence (about -60 dBFS): not transcribed


class SilenceGuard:
    """Drops a segment the decoder failed on (mean log-probability below the threshold even at the
    last fallback temperature) that lies at least SILENT_SHARE over digital silence.

    Seen on real calls through the softphone: the VAD keeps 400 ms after the caller's last word,
    in which the line carried exact zeros (the caller had hung up); with the clinic vocabulary as
    prompt the model wrote "Thank you." or "You" there at temperature 1.0 (log-probability -1.21,
    no-speech 0.594, just under the no-speech threshold). Both signals are needed: a real word
    at a segment's edge can lie mostly over the silence before it (the first "Hello," of such a
    call: 60 %), and a real word is decoded with confidence."""

    SILENT_SHARE = 0.5

    def __init__(self, audio: np.ndarray, log_prob_threshold: float, rate: int = MODEL_RATE):
        step = rate // 100  # 10 ms frames
        n = audio.size // step
        peaks = np.abs(audio[: n * step]).reshape(n, step).max(axis=1) if n else np.zeros(0)
        self.silent = peaks < SILENCE_PEAK
        self.log_prob_threshold = log_prob_threshold

    def silent_share(self, start: float, end: float) -> float:
        a = max(0, int(start * 100))
        span = self.silent[a:max(a + 1, int(np.ceil(end * 100)))]
        return float(span.mean()) if span.size else 1.0  # past the audio's end: nothing was there

    def invented(self, start: float, end: float, avg_logprob: float) -> bool:
        return avg_logprob < self.log_prob_threshold and self.silent_share(start, end) >= self.SILENT_SHARE


# --- faster-whisper ------------------------------------------------------------------------

class FasterWhisperEngine:
    name = "faster-whisper"
    concurrency = 1

    def __init__(self, asr: AsrSettings, model: str = ""):
        from faster_whisper import WhisperModel

        from app.transcription.model import ModelError, ensure_bundled_model

        path = model or asr.model_path
        if not path:
            model_dir = ensure_bundled_model(asr.model_cache_dir or None)
            self.model_name = "base (bundled)"
        else:
            model_dir = Path(path).expanduser()
            if not (model_dir / "model.bin").is_file():
                raise EngineUnavailable(
                    f"no CTranslate2 model at {model_dir} (a directory with model.bin, config.json, "
                    "tokenizer.json); models are never downloaded")
            self.model_name = model_dir.name
        self.asr = asr
        # Two channels at once, each on one CTranslate2 worker with half the threads: the decoder
        # (80% of the time) multiplies small matrices, which two threads share poorly; on 2 cores
        # this took ~10% less CPU and up to 35% less wall time for the same text
        # (docs/transcription.md). Each worker holds its own copy of the weights (+300-400 MB
        # of peak RSS for float32 base).
        self.concurrency = 2 if asr.parallel_channels and asr.threads >= 2 else 1
        try:
            self.model = WhisperModel(str(model_dir), device="cpu", compute_type=asr.compute_type,
                                      cpu_threads=asr.threads // self.concurrency,
                                      num_workers=self.concurrency, local_files_only=True)
        except (ValueError, RuntimeError) as e:
            raise EngineUnavailable(f"cannot load the speech model from {model_dir}: {e}") from None
        _ = ModelError

    def detect_language(self, audio) -> str:
        """ru or en, whichever the model finds likelier (a clinic's calls are in one of them)."""
        from faster_whisper.vad import VadOptions

        _, _, probs = self.model.detect_language(
            audio, vad_filter=self.asr.vad, language_detection_segments=2,
            vad_parameters=VadOptions(min_silence_duration_ms=self.asr.vad_min_silence_ms))
        p = dict(probs)
        return max(LANGUAGES, key=lambda k: p.get(k, 0.0))

    def transcribe(self, audio, language, progress=None):
        a = self.asr
        if language is None:
            language = self.detect_language(audio)
        vocabulary = clinic_vocabulary(language) if (a.vocabulary_prompt or a.hotwords) else None
        segs, info = self.model.transcribe(
            audio, language=language, beam_size=a.beam_size, best_of=a.best_of,
            patience=a.patience, length_penalty=a.length_penalty,
            vad_filter=a.vad, vad_parameters={"min_silence_duration_ms": a.vad_min_silence_ms,
                                              "speech_pad_ms": a.vad_speech_pad_ms},
            condition_on_previous_text=False, word_timestamps=a.word_timestamps,
            compression_ratio_threshold=a.compression_ratio_threshold,
            no_speech_threshold=a.no_speech_threshold, log_prob_threshold=a.log_prob_threshold,
            hallucination_silence_threshold=2.0 if a.word_timestamps else None,
            temperature=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0] if a.temperature_fallback else 0.0,
            initial_prompt=vocabulary if a.vocabulary_prompt else None,
            hotwords=vocabulary if a.hotwords else None,
        )
        total = max(len(audio) / MODEL_RATE, 1e-6)
        guard = SilenceGuard(audio, a.log_prob_threshold)
        out = []
        for s in segs:
            if s.no_speech_prob > a.no_speech_threshold and s.avg_logprob < a.log_prob_threshold:
                continue
            if guard.invented(s.start, s.end, s.avg_logprob):
                continue
            words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                     for w in (s.words or []) if w.word.strip()]
            out.append(Segment(-1, "", float(s.start), float(s.end), s.text.strip(), words, info.language))
            if progress:
                progress(min(1.0, s.end / total))
        return out, info.language


# --- openai-whisper ------------------------------------------------------------------------

class OpenAIWhisperEngine:
    name = "openai-whisper"
    concurrency = 1  # one model, torch's threads: channels one after the other

    def __init__(self, asr: AsrSettings, model: str = "", temperatures=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
                 decode_options: dict | None = None):
        try:
            import torch
            import whisper
        except ImportError as e:
            raise EngineUnavailable(
                f"openai-whisper is not installed ({e.name}): install torch (CPU build) first, then "
                "pip install 'carecall[openai]'") from None
        path = Path(model or asr.openai_model_path).expanduser() if (model or asr.openai_model_path) else None
        if path is None or not path.is_file():
            raise EngineUnavailable(
                "openai-whisper has no weights: set asr.openai_model_path to a local checkpoint (.pt)"
                + (f"; {path} does not exist" if path else "") + " (weights are never downloaded)")
        torch.set_num_threads(asr.threads)
        try:
            self.model = whisper.load_model(str(path), device="cpu")
        except Exception as e:  # noqa: BLE001 - a damaged checkpoint
            raise EngineUnavailable(f"cannot load the openai-whisper checkpoint {path}: {e}") from None
        self.model_name = path.stem
        self.asr = asr
        self.temperatures = tuple(temperatures)
        self.decode_options = dict(decode_options or {})  # passed to whisper's DecodingOptions

    def transcribe(self, audio, language, progress=None):
        import whisper

        a = self.asr
        regions = [(0, len(audio))]
        if a.vad:  # Silero VAD (from faster-whisper): only speech regions reach the model
            from faster_whisper.vad import VadOptions, get_speech_timestamps

            found = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=a.vad_min_silence_ms))
            if not found:
                return [], language or ""
            regions = [(r["start"], r["end"]) for r in found]
        out: list[Segment] = []
        lang = language or ""
        guard = SilenceGuard(audio, a.log_prob_threshold)
        for i, (b, e) in enumerate(regions):
            off = b / MODEL_RATE
            r = whisper.transcribe(
                self.model, np.ascontiguousarray(audio[b:e], dtype=np.float32), language=language,
                verbose=None, fp16=False, temperature=self.temperatures, condition_on_previous_text=False,
                word_timestamps=a.word_timestamps,
                compression_ratio_threshold=a.compression_ratio_threshold,
                no_speech_threshold=a.no_speech_threshold, logprob_threshold=a.log_prob_threshold,
                hallucination_silence_threshold=2.0 if a.word_timestamps else None,
                **self.decode_options,
            )
            lang = r.get("language") or lang
            for s in r["segments"]:
                if guard.invented(off + float(s["start"]), off + float(s["end"]), float(s.get("avg_logprob", 0.0))):
                    continue
                words = [Word(w["word"].strip(), off + float(w["start"]), off + float(w["end"]),
                              float(w.get("probability", 0)))
                         for w in s.get("words", []) if w["word"].strip()]
                out.append(Segment(-1, "", off + float(s["start"]), off + float(s["end"]), s["text"].strip(),
                                   words, lang))
            if progress:
                progress((i + 1) / len(regions))
        if progress:
            progress(1.0)
        return out, lang


def create_engine(name: str, model: str, asr: AsrSettings) -> Engine:
    if name == "faster-whisper":
        return FasterWhisperEngine(asr, model)
    if name == "openai-whisper":
        return OpenAIWhisperEngine(asr, model)
    raise EngineUnavailable(f"unknown speech engine {name!r} (choose from {', '.join(ENGINES)})")


# --- channels and guards --------------------------------------------------------------------

# Text Whisper is known to invent on silence (subtitle credits), never said at a clinic's desk.
_HALLUCINATIONS = re.compile(
    r"(продолжение следует|субтитр|редактор субтитров|корректор|подписывайтесь на канал|"
    r"спасибо за просмотр|thanks? for watching|subscribe to|amara\.org)", re.IGNORECASE)


def _collapse_loops(seg: Segment, min_repeats: int = 3, max_n: int = 8) -> Segment:
    """Collapse an n-gram repeated >= min_repeats times in a row to one occurrence."""
    toks = [textnorm.normalise(w) for _, _, w in textnorm.words(seg.text)]
    if len(toks) < min_repeats:
        return seg
    keep = list(range(len(toks)))
    changed = False
    for n in range(1, max_n + 1):
        i = 0
        seq = [toks[k] for k in keep]
        new_keep: list[int] = []
        while i < len(seq):
            reps = 1
            while i + (reps + 1) * n <= len(seq) and seq[i + reps * n:i + (reps + 1) * n] == seq[i:i + n]:
                reps += 1
            if reps >= min_repeats:
                new_keep += keep[i:i + n]
                i += reps * n
                changed = True
            else:
                new_keep.append(keep[i])
                i += 1
        keep = new_keep
    if not changed:
        return seg
    spans = textnorm.words(seg.text)
    words = seg.words
    if len(words) == len(spans):  # one engine word per text word: keep their punctuation and times
        words = [words[k] for k in keep]
        text = " ".join(w.word for w in words)
        end = words[-1].end if words else seg.end
    else:
        text = " ".join(spans[k][2] for k in keep)
        end = seg.end
    return Segment(seg.channel, seg.speaker, seg.start, end, text, words, seg.language)


def drop_repetitions(segments: list[Segment]) -> list[Segment]:
    """Remove hallucination loops: an n-gram repeated three or more times in a row inside a
    segment (kept once), the same words in consecutive segments (kept once), and known
    silence phrases (subtitle credits)."""
    out: list[Segment] = []
    run_text, run_len = None, 0
    for seg in segments:
        if not seg.text.strip() or _HALLUCINATIONS.search(seg.text):
            continue
        seg = _collapse_loops(seg)
        key = " ".join(textnorm.stems(seg.text))
        if not key:
            continue
        if key == run_text:
            run_len += 1
            continue  # the same words again in the next segment: a loop, keep the first only
        else:
            run_text, run_len = key, 0
        out.append(seg)
    return out


def transcribe_channels(engine: Engine, audio: np.ndarray, samplerate: int, language: str = "auto",
                        progress: Progress | None = None) -> list[Segment]:
    """Transcribe each channel separately (0 = administrator, 1 = caller), in time order.

    With language "auto" the louder channel's language is used for both. When the engine takes
    two calls at once (``engine.concurrency``), both channels run at the same time: the language
    is then detected on the louder channel first."""
    if audio.ndim == 1:
        audio = audio.reshape(1, -1)
    nch = audio.shape[0]
    lang = None if language in ("", "auto") else language
    # the louder channel first: with language "auto" its detected language is used for the other
    order = sorted(range(nch), key=lambda c: -float(np.sqrt(np.mean(np.square(audio[c], dtype=np.float64)))))
    order = [c for c in order if audio[c].size and float(np.max(np.abs(audio[c]))) >= SILENCE_PEAK]
    if not order:
        return []
    model_audio = {ch: to_model_rate(audio[ch], samplerate) for ch in order}
    done = dict.fromkeys(order, 0.0)  # every key made here: the channels' threads only assign

    def report(ch: int, f: float) -> None:
        done[ch] = f
        if progress:
            progress(sum(done.values()) / len(order))

    def one(ch: int, lang: str | None) -> tuple[list[Segment], str]:
        segs, detected = engine.transcribe(model_audio[ch], lang, (lambda f: report(ch, f)) if progress else None)
        for s in segs:
            s.channel, s.speaker = ch, speaker_for(ch, nch)
        report(ch, 1.0)
        return drop_repetitions(segs), detected

    result: list[Segment] = []
    parallel = getattr(engine, "concurrency", 1) > 1 and len(order) > 1
    if parallel and lang is None:
        detect = getattr(engine, "detect_language", None)
        if detect is None:
            parallel = False
        else:
            lang = detect(model_audio[order[0]])
    if parallel:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(order), thread_name_prefix="asr-channel") as pool:
            for segs, _ in pool.map(lambda ch: one(ch, lang), order):
                result += segs
    else:
        for ch in order:
            segs, detected = one(ch, lang)
            if lang is None and detected in ("ru", "en") and segs:
                lang = detected
            result += segs
    result.sort(key=lambda s: (s.start, s.channel))
    return result
