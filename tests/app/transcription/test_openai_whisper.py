"""openai-whisper as a selectable engine: the whole path with a random-weights checkpoint of the
real (tiny) Whisper architecture, built offline. Its words are garbage: this checks plumbing
(loading a local checkpoint, 16 kHz float32 input, VAD clips, segments labelled by channel,
the job done), not recognition."""

import pytest

pytestmark = [
    pytest.mark.slow,
    # whisper's tokenizer leaves its vocabulary file open (third-party, harmless here)
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def random_checkpoint(tmp_path_factory):
    torch = pytest.importorskip("torch")
    whisper_model = pytest.importorskip("whisper.model")
    torch.manual_seed(0)
    dims = whisper_model.ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=384, n_audio_head=6,
                                         n_audio_layer=4, n_vocab=51865, n_text_ctx=448, n_text_state=384,
                                         n_text_head=6, n_text_layer=4)  # Whisper tiny
    model = whisper_model.Whisper(dims)
    path = tmp_path_factory.mktemp("openai") / "tiny-random.pt"
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


FAST = {"sample_len": 12, "without_timestamps": True}  # random weights would babble 224 tokens a window


def test_random_weights_run_the_whole_path(random_checkpoint, speech, sqlite_url, settings, keys):
    from app.transcription.engines import OpenAIWhisperEngine
    from app.transcription.queue import JobQueue
    from app.transcription.store import TranscriptStore
    from app.transcription.worker import Worker, file_audio_loader

    from db.session import make_engine, session_factory

    from .conftest import add_recordings

    db = make_engine(sqlite_url)
    sessions = session_factory(db)
    settings.asr.openai_model_path = str(random_checkpoint)
    engine = OpenAIWhisperEngine(settings.asr, temperatures=(0.0,), decode_options=FAST)
    assert engine.name == "openai-whisper" and engine.model_name == "tiny-random"
    calls = []

    def factory(name, model, asr):
        calls.append((name, model))
        return engine

    (r,) = add_recordings(sessions, 1)
    q = JobQueue(sessions, keys)
    q.enqueue(r, engine="openai-whisper", model=str(random_checkpoint), language="en")
    clip = speech["en"][:, : 8000 * 5]
    w = Worker(sessions, settings, lambda rid: (clip, 8000), engine_factory=factory, keys=keys, queue=q)
    assert w.run_once()
    st = q.status(r)
    assert st.status == "done", st.error
    assert calls == [("openai-whisper", str(random_checkpoint))]
    for s in TranscriptStore(sessions, keys).segments(r):
        assert s.speaker in ("admin", "caller") and 0 <= s.start <= s.end <= 5.5
    db.dispose()


def test_silence_never_reaches_the_model(random_checkpoint, settings):
    import numpy as np

    from app.transcription.engines import OpenAIWhisperEngine

    settings.asr.openai_model_path = str(random_checkpoint)
    engine = OpenAIWhisperEngine(settings.asr, temperatures=(0.0,), decode_options=FAST)
    quiet = (1e-4 * np.random.default_rng(0).standard_normal(16000 * 5)).astype(np.float32)
    assert engine.transcribe(quiet, "en") == ([], "en")  # VAD finds no speech: nothing decoded
