"""Case packs: a folder with index.html (transcript, notes, bookmarks, tags, score) and,
when asked, the decrypted audio. Names and phone numbers can be masked. Every export is audited.

PDF is made from the same HTML by the UI layer (Qt's QTextDocument + QPdfWriter)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.recording.formats import audio_suffix
from app.review import audit
from app.review.access import Action, Principal
from app.review.cases import Bookmark, CaseService
from app.review.common import NotFound, call_checked
from app.review.library import RecordingAccess
from app.review.scorecards import ScorecardService
from app.review.segments import ADMINISTRATOR, NoTranscripts, Segment, TranscriptSource
from app.review.trackers import stem, words
from db.models.core import Patient, User
from db.models.recording import Recording
from db.models.review import CallTag, ReviewComment, ReviewTag
from db.session import write_session

# Phone-like runs: an optional +, then at least 10 digits possibly split by spaces, dashes, dots, brackets.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s\-().]*\d){9,14}(?!\w)")


def mask_phone(number: str) -> str:
    """+79161234567 -> "+7 916 ***-**-67"; other lengths keep the first four and last two digits."""
    d = re.sub(r"\D", "", number)
    if len(d) == 11 and d[0] in "78":
        return f"+7 {d[1:4]} ***-**-{d[-2:]}"
    if len(d) == 10:
        return f"+7 {d[0:3]} ***-**-{d[-2:]}"
    if len(d) < 6:
        return "*" * len(d)
    return "+" + d[:4] + "*" * (len(d) - 6) + d[-2:]


def initials(*parts: str) -> str:
    return " ".join(p.strip()[0].upper() + "." for p in parts if p and p.strip())


class Masker:
    """Replaces the given people's name words (in any word form) by initials, and phone
    numbers by their masked form."""

    def __init__(self, names: Iterable[Sequence[str]] = ()):
        self.stems: dict[str, str] = {}
        for parts in names:
            for p in parts:
                for w in words(p):
                    if len(w) >= 2:
                        self.stems[stem(w)] = w[0].upper() + "."

    def add(self, *parts: str) -> None:
        for p in parts:
            for w in words(p):
                if len(w) >= 2:
                    self.stems[stem(w)] = w[0].upper() + "."

    def __call__(self, text: str) -> str:
        text = _PHONE.sub(lambda m: mask_phone(m.group(0)), text)
        if not self.stems:
            return text

        def repl(m: re.Match) -> str:
            w = m.group(0)
            return self.stems.get(stem(w.lower()), w)

        return re.sub(r"[A-Za-zА-Яа-яЁё]+", repl, text)


@dataclass
class PackCall:
    call_id: int
    note: str = ""
    bookmarks: Sequence[Bookmark] = ()


@dataclass
class PackResult:
    index: Path
    html: str
    audio_files: list[Path] = field(default_factory=list)


def _fmt_t(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60}:{t % 60:02d}"


_CSS = """
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; border-bottom: 1px solid #999; margin-top: 1.6em; }
table.meta td { padding: 2px 10px 2px 0; vertical-align: top; }
.note { background: #fff8d8; padding: 6px; }
.seg0 { color: #1b4f9c; } .seg1 { color: #8a3b12; }
.bm { background: #e3f1e0; }
.tag { border: 1px solid #999; padding: 0 4px; margin-right: 4px; }
"""


class ExportService:
    def __init__(self, sessions: sessionmaker[Session], transcripts: TranscriptSource | None = None,
                 recordings: RecordingAccess | None = None):
        self.sessions = sessions
        self.transcripts = transcripts or NoTranscripts()
        self.recordings = recordings

    def export_playlist(self, principal: Principal, playlist_id: int, out_dir: Path | str, *,
                        mask: bool = True, include_audio: bool = False) -> PackResult:
        pl = CaseService(self.sessions).playlist(principal, playlist_id)
        calls = [PackCall(i.call_id, i.note, i.bookmarks) for i in pl.items]
        return self.export(principal, pl.title, calls, out_dir, mask=mask, include_audio=include_audio,
                           subject=("playlist", playlist_id))

    def export(self, principal: Principal, title: str, calls: Sequence[PackCall], out_dir: Path | str, *,
               mask: bool = True, include_audio: bool = False, subject: tuple[str, int] | None = None) -> PackResult:
        principal.require(Action.EXPORT)
        if include_audio and self.recordings is None:
            raise NotFound("recordings are not available on this workstation")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        parts = [f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                 f"<style>{_CSS}</style></head><body>", f"<h1>{html.escape(title)}</h1>",
                 f"<p>{len(calls)} case(s); exported {datetime.now().strftime('%Y-%m-%d %H:%M')}"
                 f"{'; names and numbers masked' if mask else ''}.</p>"]
        audio_files: list[Path] = []
        audio_ids: list[int] = []
        with self.sessions() as s:
            for n, pc in enumerate(calls, 1):
                c = call_checked(s, principal, pc.call_id, Action.EXPORT)
                p = s.get(Patient, c.patient_id) if c.patient_id else None
                admin = s.get(User, c.user_id) if c.user_id else None
                masker = Masker()
                if mask and p is not None:
                    masker.add(p.last_name, p.first_name, p.patronymic)
                pname = (initials(p.last_name, p.first_name, p.patronymic) if mask else p.full_name) if p else "—"
                number = c.number_e164 or c.number_raw or ""
                number = mask_phone(number) if (mask and number) else number
                tags = [name for (name,) in s.execute(select(ReviewTag.name).join(CallTag, CallTag.tag_id == ReviewTag.id)
                                                      .where(CallTag.call_id == c.id).order_by(ReviewTag.name))]
                score = ScorecardService.call_score_of(s, c.id)
                comments = list(s.scalars(select(ReviewComment).where(ReviewComment.call_id == c.id)
                                          .order_by(ReviewComment.at_s)))
                clean = masker if mask else (lambda t: t)
                parts.append(f"<h2>{n}. {html.escape(c.situation or 'call')} — "
                             f"{c.ring_at.strftime('%Y-%m-%d %H:%M')}</h2>")
                parts.append("<table class='meta'>"
                             f"<tr><td>Administrator</td><td>{html.escape(admin.full_name if admin else '—')}</td></tr>"
                             f"<tr><td>Patient</td><td>{html.escape(pname)}</td></tr>"
                             f"<tr><td>Number</td><td>{html.escape(number)}</td></tr>"
                             f"<tr><td>Direction</td><td>{html.escape(c.direction)}</td></tr>"
                             f"<tr><td>Outcome</td><td>{html.escape(c.disposition or '—')}</td></tr>"
                             f"<tr><td>Score</td><td>{'—' if score is None else f'{float(score):.0f} / 100'}</td></tr>"
                             f"<tr><td>Tags</td><td>{''.join(f'<span class=tag>{html.escape(t)}</span>' for t in tags) or '—'}</td></tr>"
                             "</table>")
                if pc.note:
                    parts.append(f"<p class='note'><b>Trainer's note:</b> {html.escape(clean(pc.note))}</p>")
                if pc.bookmarks:
                    parts.append("<p><b>Bookmarks:</b> " + "; ".join(
                        f"{_fmt_t(b.start_s)}–{_fmt_t(b.stop_s)} {html.escape(clean(b.label))}" for b in pc.bookmarks)
                        + "</p>")
                if comments:
                    parts.append("<ul>" + "".join(f"<li>{_fmt_t(cm.at_s)} {html.escape(clean(cm.text))}</li>"
                                                  for cm in comments) + "</ul>")
                segs: Sequence[Segment] = self.transcripts.segments(c.id)
                if segs:
                    parts.append("<table class='transcript'>")
                    for sg in segs:
                        who = "Administrator" if sg.speaker == ADMINISTRATOR else "Caller"
                        inbm = any(b.start_s <= sg.start < b.stop_s for b in pc.bookmarks)
                        cls = f"seg{0 if sg.speaker == ADMINISTRATOR else 1}" + (" bm" if inbm else "")
                        parts.append(f"<tr class='{cls}'><td>{_fmt_t(sg.start)}</td><td><b>{who}</b></td>"
                                     f"<td>{html.escape(clean(sg.text))}</td></tr>")
                    parts.append("</table>")
                else:
                    parts.append("<p><i>No transcript.</i></p>")
                if include_audio:
                    rec = s.scalar(select(Recording).where(Recording.call_id == c.id, Recording.status != "deleted")
                                   .order_by(Recording.id.desc()))
                    if rec is not None:
                        (out / "audio").mkdir(exist_ok=True)
                        data = self.recordings.open_decrypted(rec.id)  # FLAC (format 2) or Ogg (1)
                        f = out / "audio" / f"case_{n:02d}_call_{c.id}{audio_suffix(data)}"
                        f.write_bytes(data)
                        audio_files.append(f)
                        audio_ids.append(rec.id)
                        parts.append(f"<p>Audio: <a href='audio/{f.name}'>{f.name}</a></p>")
        parts.append("</body></html>")
        doc = "\n".join(parts)
        index = out / "index.html"
        index.write_text(doc, encoding="utf-8")
        with write_session(self.sessions) as s:
            ot, oid = subject or ("calls", ",".join(str(c.call_id) for c in calls))
            audit.record(s, principal, audit.AuditAction.EXPORT, ot, oid,
                         {"calls": [c.call_id for c in calls], "masked": mask, "audio": audio_ids,
                          "folder": str(out)})
        return PackResult(index, doc, audio_files)
