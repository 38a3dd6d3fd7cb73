"""Render the main window on the demo clinic to PNG files (offscreen), in Russian.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--language ru] [--patients 400]

Uses ``app.demo.generate`` with its SHOWCASE numbers on a throw-away SQLite database; the
README shows the pictures. Look at them as an administrator would, mid-call, in a hurry.

Without ``--bare`` it also makes the data the other pages need (staff with a signed-in
supervisor; calls with encrypted recordings through RecordingStore, transcripts through the
transcription queue, analysis, tags, scores, a playlist; missed calls and a call in progress
as PBX webhook events) and shoots 08-19: call lists, script editor, review pages, missed
calls, the call bar, the status bar, the MIS import dry run. The keys live in the OS keyring;
when there is none, the tests' private Secret Service (tests/keyring_fixture.py: gnome-keyring
in a private D-Bus session) is started for the run and stopped after it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 23)


# --- the other pages: review, call lists, scripts, telephony, MIS import, status bar ------------
STAFF = [  # login, full name, role, password
    ("svetlana", "Светлана Котова", "supervisor", "demo-supervisor"),
    ("marina", "Марина Белова", "manager", "demo-manager"),
    ("tamara", "Тамара Волкова", "trainer", "demo-trainer"),
    ("anna", "Анна Смирнова", "administrator", "demo-admin-1"),
    ("olga", "Ольга Петрова", "administrator", "demo-admin-2"),
]

#: demo calls: (administrator login, days ago, hour, SHOWCASE key, direction, situation, outcome, lines)
#: lines: (channel 0 = administrator / 1 = caller, text)
CALLS = [
    ("anna", 0, 9, "ivanova_mother", "inbound", "incoming", "booked", [
        (0, "Клиника «Улыбка», администратор Анна, здравствуйте."),
        (1, "Здравствуйте, у меня с утра болит зуб, можно сегодня попасть?"),
        (0, "Сочувствую. Сильно болит? Есть отёк или температура?"),
        (1, "Отёка нет, но ноет постоянно."),
        (0, "Доктор Орлова может принять сегодня в 14:30. Вам удобно?"),
        (1, "Да, подходит. А сколько стоит консультация?"),
        (0, "Консультация бесплатная, снимок 900 рублей. Записываю вас на 14:30."),
        (0, "И у вас есть 1200 бонусов, они действуют до 31 декабря."),
    ]),
    ("olga", 1, 11, "open_complaint", "inbound", "incoming", "complaint", [
        (0, "Клиника «Улыбка», Ольга, слушаю вас."),
        (1, "Мне поставили пломбу неделю назад, она выпала."),
        (0, "Поняла. Когда это случилось?"),
        (1, "Вчера вечером. Я недоволен, хочу чтобы переделали бесплатно."),
        (0, "Пломба на гарантии, переделаем без оплаты. Могу предложить завтра в 10:00."),
        (1, "Хорошо, завтра в десять."),
    ]),
    ("anna", 2, 15, "ivanova_mother", "outbound", "confirmation", "booked", [
        (0, "Добрый день, это клиника «Улыбка». Напоминаю о визите завтра в 11:00."),
        (1, "Да, помню, приду."),
        (0, "Отлично, ждём вас. Возьмите, пожалуйста, паспорт."),
    ]),
    ("olga", 4, 10, "do_not_contact", "inbound", "incoming", "declined", [
        (0, "Клиника «Улыбка», здравствуйте."),
        (1, "Сколько стоит имплант под ключ?"),
        (0, "От 45 000 рублей, точнее скажет хирург на консультации."),
        (1, "Дорого. Есть рассрочка?"),
        (0, "Да, рассрочка на 12 месяцев без переплаты."),
        (1, "Я подумаю, спасибо."),
    ]),
    ("anna", 7, 12, "open_complaint", "outbound", "continued_treatment", "call_back", [
        (0, "Здравствуйте, это клиника «Улыбка». Напоминаю про второй этап лечения."),
        (1, "Сейчас неудобно говорить, перезвоните вечером."),
        (0, "Конечно, перезвоню после шести."),
    ]),
    ("olga", 9, 16, "ivanova_mother", "inbound", "incoming", "info_given", [
        (0, "Клиника «Улыбка», Ольга, здравствуйте."),
        (1, "Подскажите, до скольки вы работаете в субботу?"),
        (0, "В субботу с девяти до пятнадцати."),
        (1, "Спасибо."),
    ]),
    ("anna", 15, 10, "do_not_contact", "inbound", "incoming", "booked", [
        (0, "Клиника «Улыбка», администратор Анна."),
        (1, "Хочу записаться на профессиональную чистку."),
        (0, "Есть окно в четверг в 17:00, записать?"),
        (1, "Да, записывайте."),
    ]),
    ("olga", 22, 13, "open_complaint", "inbound", "incoming", "booked", [
        (0, "Клиника «Улыбка», здравствуйте."),
        (1, "Мне нужна консультация ортодонта для ребёнка."),
        (0, "Ортодонт принимает по вторникам, записываю на 14:00."),
    ]),
]


def _lines_to_segments(lines):
    """Segments with word timings, ~15 characters per second and short pauses."""
    from app.transcription.types import Segment, Word

    t, out = 0.4, []
    for ch, text in lines:
        dur = max(1.2, len(text) / 15)
        words, n = text.split(), 0
        step = dur / max(1, len(words))
        ws = [Word(wd, t + i * step, t + (i + 1) * step - 0.05, 0.95) for i, wd in enumerate(words)]
        n += 1
        out.append(Segment(ch, "administrator" if ch == 0 else "caller", t, t + dur, text, ws, "ru"))
        t += dur + 0.6
    return out, t + 0.4


def _speech_like(segments, seconds: float, sr: int = 16000):
    """Two channels of voiced-sounding noise where the segments are (for the waveform)."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = int(seconds * sr)
    out = np.zeros((n, 2), dtype=np.float32)
    for seg in segments:
        a, b = int(seg.start * sr), min(n, int(seg.end * sr))
        tt = np.arange(b - a) / sr
        f0 = 140 if seg.channel == 0 else 110
        voice = sum(np.sin(2 * np.pi * f0 * k * tt) / k for k in range(1, 6))
        syll = 0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 2.2 * tt + rng.uniform(0, 3)))
        env = np.minimum(1, np.minimum(tt, tt[::-1]) * 8) * syll * rng.uniform(0.6, 1.0)
        out[a:b, seg.channel] += (0.18 * voice * env + 0.01 * rng.standard_normal(b - a)).astype(np.float32)
    return out, sr


def make_review_data(ctx, today):
    """Staff, calls with encrypted recordings and transcripts, analysis, tags, scores, a playlist,
    two calls waiting for transcription. Returns what the shots need."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from app import demo
    from app.review.access import Principal
    from app.review.adapters import analyse_pending
    from app.review.scorecards import Answer
    from app.transcription.crypto import keys_from_keyring
    from app.transcription.queue import JobQueue
    from db.models import Call, PatientPhone
    from db.session import write_session

    rs = ctx.review
    rs.ensure_defaults()
    users = {}
    for login, name, role, password in STAFF:
        users[login] = rs.users.add(None, login, name, role, password)
    sup = rs.auth.sign_in("svetlana", "demo-supervisor")
    store, tkeys = ctx.recordings, keys_from_keyring()
    queue = JobQueue(ctx.sessions, tkeys)
    call_ids, rec_ids = [], []
    for login, days, hour, who, direction, situation, outcome, lines in CALLS:
        e164 = demo.SHOWCASE[who]
        segs, seconds = _lines_to_segments(lines)
        ring = datetime.combine(today - timedelta(days=days), datetime.min.time(), tzinfo=timezone.utc) \
            + timedelta(hours=hour, minutes=7 * days % 50)
        with write_session(ctx.sessions) as s:
            pid = s.scalar(select(PatientPhone.patient_id).where(PatientPhone.e164 == e164).limit(1))
            c = Call(direction=direction, number_raw=e164, number_e164=e164, patient_id=pid,
                     user_id=users[login].id, ring_at=ring, answer_at=ring + timedelta(seconds=6),
                     end_at=ring + timedelta(seconds=6 + seconds), disposition=outcome, situation=situation)
            s.add(c)
            s.flush()
            cid = c.id
        audio, sr = _speech_like(segs, seconds)
        w = store.start(cid, sr, 2)
        for i in range(0, len(audio), sr):
            w.write(audio[i:i + sr])
        rid = w.close()
        queue.enqueue(rid, engine="faster-whisper", model="small")  # the worker's path, segments made here
        job = queue.claim("screenshots")
        queue.complete(job, segs)
        call_ids.append(cid)
        rec_ids.append(rid)
    analyse_pending(rs)
    tags = {t.name: t.id for t in rs.tags.taxonomy()}
    for cid, names in ((call_ids[0], ("care question asked", "good example")), (call_ids[1], ("complaint",)),
                       (call_ids[3], ("lost patient",))):
        for name in names:
            if name in tags:
                rs.tags.apply(sup, cid, tags[name])
    sc = rs.scorecards.scorecards()[0]
    for cid, pts in ((call_ids[0], (1, 2, 1, 2, 3, 1, 0, 0)), (call_ids[1], (1, 1, 0, 1, 3, 0, 0, 0)),
                     (call_ids[3], (1, 0, 1, 2, 0, 0, 0, 0)), (call_ids[6], (1, 2, 1, 1, 3, 0, 0, 0))):
        answers = {it.id: Answer(min(p, it.max_points)) for it, p in zip(sc.items, pts)}
        rs.scorecards.score_call(sup, cid, sc.id, answers)
    rs.scorecards.add_comment(sup, call_ids[0], 8.0, "Хорошо: сначала спросила о самочувствии")
    trainer = rs.auth.sign_in("tamara", "demo-trainer")  # trainers build the playlists
    pl = rs.cases.create_playlist(trainer, "Разбор недели: запись и возражения", today)
    first = rs.cases.add_item(trainer, pl, call_ids[0], "Образец: забота, время, бонусы в конце с дедлайном.")
    rs.cases.add_bookmark(trainer, first, 5.0, 12.0, "вопрос о самочувствии")
    second = rs.cases.add_item(trainer, pl, call_ids[3], "Возражение «дорого»: что ещё можно было предложить?")
    rs.cases.add_bookmark(trainer, second, 9.0, 16.0, "рассрочка")
    rs.cases.add_item(trainer, pl, call_ids[1], "Жалоба: как мы держим гарантию.")
    # two more recordings waiting for transcription (the status bar's queue indicator)
    for who in ("ivanova_mother", "open_complaint"):
        with write_session(ctx.sessions) as s:
            ring = datetime.now(timezone.utc) - timedelta(minutes=20)
            c = Call(direction="inbound", number_raw=demo.SHOWCASE[who], number_e164=demo.SHOWCASE[who],
                     user_id=users["anna"].id, ring_at=ring, answer_at=ring, end_at=ring + timedelta(seconds=40),
                     disposition="info_given", situation="incoming")
            s.add(c)
            s.flush()
            cid = c.id
        audio, sr = _speech_like([], 4.0)
        w = store.start(cid, sr, 2)
        w.write(audio)
        queue.enqueue(w.close())
    return {"call_ids": call_ids, "playlist": pl}


def start_keyring():
    """The recording master key and the transcript keys live in the OS keyring. Without one
    (a headless build box) start the tests' private Secret Service (gnome-keyring in a private
    D-Bus session); returns it so it can be stopped, or None when a keyring is already there."""
    from app.secrets import SecretStoreUnavailable, backend_description

    try:
        backend_description()
        return None
    except SecretStoreUnavailable:
        pass
    import keyring
    from keyring.backends import SecretService

    from tests.keyring_fixture import SecretServiceSession

    svc = SecretServiceSession()
    try:
        svc.start()
    except Exception:
        svc.stop()
        raise
    os.environ.update(svc.env)
    # keyring chose its backend when none was viable yet (its list is made once): set it
    keyring.set_keyring(SecretService.Keyring())
    return svc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--language", default="ru", choices=["ru", "en"])
    ap.add_argument("--patients", type=int, default=400)
    ap.add_argument("--size", default="1366x820", help="window size WxH")
    ap.add_argument("--bare", action="store_true", help="only the foundation window, no other areas' panels")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(x) for x in a.size.split("x"))

    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from app import demo
    from app.context import open_context
    from app.settings import Settings
    from ui.main import install_areas, make_app
    from ui.main_window import MainWindow
    from ui.tasks import SyncRunner

    tmp = Path(tempfile.mkdtemp(prefix="carecall-shots-"))
    settings = Settings()
    settings.logging.directory = str(tmp / "logs")
    settings.audio.storage_dir = str(tmp / "recordings")
    settings.asr.background_worker = False  # the queue stays as made: no model, no worker
    keyring_service = None if a.bare else start_keyring()
    if keyring_service is not None:
        import atexit

        atexit.register(keyring_service.stop)  # also when a shot fails: no daemons left behind
    ctx = open_context(settings, f"sqlite:///{tmp / 'demo.sqlite3'}")
    demo.generate(ctx.engine, a.patients, demo.DEFAULT_SEED, today=TODAY, bonus=settings.bonus)
    made_data = None if a.bare else make_review_data(ctx, TODAY)

    app = make_app(a.language)
    runner = SyncRunner()
    w = MainWindow(ctx.cards, runner, today=lambda: TODAY)
    if not a.bare:
        install_areas(w, ctx, runner)  # the script panel, call lists...: the window as shipped
    w.resize(width, height)
    w.show()
    if not a.bare:
        _find(w, "QueueIndicator").refresh()  # it polls every 3 s; the shots come sooner
    made: list[Path] = []

    def shot(name: str) -> None:
        for _ in range(3):
            # processEvents() outside a running loop leaves deleteLater()'d widgets on screen
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        p = out / f"{name}.png"
        w.grab().save(str(p))
        made.append(p)

    def typed(widget, text: str) -> None:
        for ch in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    S = demo.SHOWCASE
    w.show_incoming(S["ivanova_mother"])
    shot("01_chooser_shared_number")
    w.chooser.choose_number(1)
    shot("02_card_plan_bonus_family")
    w.show_incoming(S["open_complaint"])
    shot("03_card_open_complaint")
    w.show_incoming(S["do_not_contact"])
    shot("04_card_do_not_contact")
    w.show_incoming("+7 999 000-12-34")
    shot("05_new_caller")
    typed(w.new_caller.first_name, "Мария")
    w.new_caller.birth_date.setText("31.02.1990")
    w.new_caller.save()
    shot("06_new_caller_validation")
    w.focus_search()
    typed(w.search_field, "иван")
    w.results.search_now()
    shot("07_search_results")
    if not a.bare:
        other_pages(w, ctx, made_data, shot, app, (width, height), out, made)
    w.close()
    ctx.close()
    for p in made:
        print(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)
    return 0


def _find(w, cls_name: str):
    from PySide6.QtWidgets import QWidget

    return next((c for c in w.findChildren(QWidget) if type(c).__name__ == cls_name), None)


def other_pages(w, ctx, data, shot, app, size, out, made) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from app import demo
    from app.telephony.events import CallEvent, EventKind, Source, utcnow

    def settle() -> None:
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()

    def grab(widget, name: str) -> None:
        settle()
        p = out / f"{name}.png"
        widget.grab().save(str(p))
        made.append(p)

    pages = w.pages
    w.search_field.clear()  # the search and the banner of the last shots do not belong on these pages
    w.back_to_card()
    w.banner.hide()
    # call lists: today's lists built from the demo clinic
    lists = _find(w, "CallListPage")
    lists.build()
    if lists.table.rowCount():
        lists.table.selectRow(0)
    pages.setCurrentWidget(lists)
    shot("08_call_lists")
    # review: the supervisor signs in (this also unlocks the script editor)
    hub = _find(w, "ReviewHub")
    hub.sign_in_form.login.setText("svetlana")
    hub.sign_in_form.password.setText("demo-supervisor")
    hub.sign_in_form.submit()
    while hub.library is None and hub.sign_in_form.busy:  # the Calls page is built in slices
        app.processEvents()
    settle()
    editor = _find(w, "ScriptEditor")
    pages.setCurrentWidget(editor)
    shot("09_script_editor")
    pages.setCurrentWidget(hub)
    lib = hub.library
    lib.text_edit.setText("рассрочка")
    lib.refresh()
    if lib.table.rowCount():
        lib.table.selectRow(0)
    shot("10_review_library_search")
    lib.text_edit.clear()
    lib.refresh()
    lib.select_call(data["call_ids"][0])
    lib.player.seek(9.0)
    shot("11_review_player")
    dlg = lib.open_scorecard()
    grab(dlg, "12_review_scorecard")
    dlg.close()
    cases = hub.cases
    hub.tabs.setCurrentWidget(cases)
    cases.suggest()
    cases.reload_playlists(data["playlist"])
    if cases.items.count():
        cases.items.setCurrentRow(0)
    shot("13_review_case_review")
    meeting = cases.start_meeting(full_screen=False)
    meeting.resize(*size)
    grab(meeting, "14_review_meeting_mode")
    meeting.close()
    hub.tabs.setCurrentWidget(hub.reports)
    hub.reports.refresh()
    shot("15_review_reports")
    # telephony: three missed calls, then a call in progress (recorded, two calls waiting for text)
    tel = ctx.telephony
    now = utcnow()
    for i, (who, minutes) in enumerate((("open_complaint", 12), ("ivanova_mother", 95), (None, 60 * 26))):
        number = demo.SHOWCASE[who] if who else "+7 495 123-45-67"
        at = now - timedelta(minutes=minutes)
        tel._on_event(CallEvent(EventKind.RINGING, f"m{i}", number, source=Source.WEBHOOK, at=at))
        tel._on_event(CallEvent(EventKind.HUNGUP, f"m{i}", number, source=Source.WEBHOOK,
                                at=at + timedelta(seconds=25), reason="no answer"))
    tel.flush()
    settle()
    missed = _find(w, "MissedCallsPage")
    missed.reload()
    pages.setCurrentWidget(missed)
    shot("16_missed_calls")
    # a desk phone behind the PBX (webhook events): answered on the phone, the card pops here
    number = demo.SHOWCASE["ivanova_mother"]
    for kind, ago in ((EventKind.RINGING, 70), (EventKind.ANSWERED, 64)):
        tel._on_event(CallEvent(kind, "c1", number, source=Source.WEBHOOK, at=now - timedelta(seconds=ago)))
    tel.flush()
    settle()
    w.chooser.choose_number(1)
    _find(w, "RecordingIndicator").show_recording()
    q = _find(w, "QueueIndicator")
    q.refresh()
    shot("17_call_in_progress")
    grab(w.statusBar(), "18_status_bar")
    # MIS import: a CSV export from another program, mapped and checked (dry run)
    wiz = _find(w, "ImportWizard")
    csv = out.parent / ".mis_export_demo.csv"
    csv.write_bytes(MIS_CSV.encode("cp1251"))
    try:
        wiz.path_edit.setText(str(csv))
        wiz.read_button.click()
        wiz.save_name.setText("Наша МИС")
        wiz.dry_button.click()
        pages.setCurrentWidget(wiz)
        shot("19_mis_import_dry_run")
    finally:
        csv.unlink(missing_ok=True)


MIS_CSV = (
    "Карта;Фамилия;Имя;Отчество;Д.Р.;Тел;Комментарий\n"
    "5011;Кузнецова;Ирина;Павловна;14.03.1985;8 (916) 555-45-67;аллергия на лидокаин\n"
    "5012;Соколов;Дмитрий;Андреевич;1979-11-02;+7 903 555-22-33;\n"
    "5013;Морозова;Елена;;31.02.1990;8 916 555 00 11;\n"
    "5014;;;;;;пустая строка\n"
    "5015;Волков;Алексей;Игоревич;02.07.2001;телефон не указан;\n"
)


if __name__ == "__main__":
    sys.exit(main())
