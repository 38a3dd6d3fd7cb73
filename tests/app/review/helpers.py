"""Builders for review tests: users, calls, recordings (real rows through the real models)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from app.domain import Role
from app.review.access import Principal
from app.review.auth import hash_password
from db.models import Call
from db.models.core import User
from db.models.recording import Recording
from tests.factories import dt

_FAST_HASH = {}


def user(s, login, role: Role, full_name=None, password="secret-pass") -> Principal:
    if password not in _FAST_HASH:
        _FAST_HASH[password] = hash_password(password)
    u = User(login=login, full_name=full_name or login.title(), role=role.value,
             password_hash=_FAST_HASH[password], active=True)
    s.add(u)
    s.flush()
    return Principal(u.id, u.login, u.full_name, role)


def call(s, admin: Principal | None, when: datetime = None, *, patient=None, number="+79161234567",
         direction="inbound", situation="incoming", disposition="booked", answered=True, seconds=120) -> Call:
    when = when or dt(2026, 11, 16, 10)
    c = Call(direction=direction, number_raw=number, number_e164=number, patient_id=patient.id if patient else None,
             user_id=admin.user_id if admin else None, ring_at=when,
             answer_at=when + timedelta(seconds=5) if answered else None,
             end_at=when + timedelta(seconds=5 + seconds) if answered else when + timedelta(seconds=30),
             disposition=disposition, situation=situation)
    s.add(c)
    s.flush()
    return c


def recording(s, c: Call, created: datetime, path="x.ogg") -> Recording:
    r = Recording(call_id=c.id, path=path, wrapped_key=b"k", created_at=created, status="complete",
                  duration_s=3.0)
    s.add(r)
    s.flush()
    return r


class FolderRecordings:
    """Stands in for app.recording.RecordingStore where a review test wants plain Ogg files in a
    folder (named by recording id) rather than sealed recordings and a keyring.
    open_decrypted/peaks/delete have the store's signatures; ``peaks`` makes the envelope from
    the decoded file as the store does for a recording that has none kept."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.deleted: list[int] = []

    def put(self, rid: int, data: bytes) -> None:
        (self.root / f"{rid}.ogg").write_bytes(data)

    def open_decrypted(self, recording_id: int) -> bytes:
        return (self.root / f"{recording_id}.ogg").read_bytes()

    def peaks(self, recording_id: int):
        import soundfile as sf

        from app.recording.peaks import peaks_of_audio

        from app.recording.errors import RecordingCorrupt, RecordingUnavailable

        path = self.root / f"{recording_id}.ogg"
        if not path.exists():
            raise RecordingUnavailable(f"the audio file of recording {recording_id} is missing")
        try:
            data, sr = sf.read(str(path), dtype="float32", always_2d=True)
        except sf.LibsndfileError as e:
            raise RecordingCorrupt(f"recording {recording_id} does not decode: {e}") from None
        return peaks_of_audio(data.T, sr)

    def delete(self, recording_id: int) -> None:
        (self.root / f"{recording_id}.ogg").unlink(missing_ok=True)
        self.deleted.append(recording_id)


def make_ogg(path: Path, seconds: float = 3.0, sr: int = 48000) -> bytes:
    """A real short Ogg Opus file (two channels: a tone each side)."""
    import numpy as np
    import soundfile as sf

    t = np.arange(int(seconds * sr)) / sr
    left = 0.2 * np.sin(2 * np.pi * 440 * t) * (t < seconds / 2)
    right = 0.2 * np.sin(2 * np.pi * 660 * t) * (t >= seconds / 2)
    sf.write(str(path), np.stack([left, right], axis=1).astype("float32"), sr, format="OGG", subtype="OPUS")
    return Path(path).read_bytes()
