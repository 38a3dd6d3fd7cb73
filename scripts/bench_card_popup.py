"""Benchmark: from baresip's CALL_INCOMING to the caller card painted; prints JSON figures.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_card_popup.py --calls 100 --patients 2000

Real parts end to end: a demo clinic in a scratch SQLite file, CareCall's own softphone
(baresip started by app.telephony.baresip.Softphone), a second baresip as the patient with
ctrl_tcp so it can dial again and again, the real MainWindow offscreen.

t0 = the moment the CALL_INCOMING netstring has been read and parsed by CareCall's ctrl_tcp
reader; t1 = the card widget has been rendered (QWidget.grab()) showing the patient's name,
right after MainWindow.incoming_shown. The path measured: ctrl_tcp -> CallEvent -> queued signal
to the UI thread -> show_incoming -> lookup + card on the task runner -> card painted.
The call row is written by the tracker in parallel, as in the product. Every baresip process is
stopped by its pid with a time bound.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CALLER = "+79169990001"


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--patients", type=int, default=2000, help="demo clinic size (app.demo.generate)")
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from app.card import CardService, name_key
    from app.telephony.baresip import CtrlClient, Softphone, SoftphoneConfig, free_port
    from db.models import Call, Patient, PatientPhone
    from db.session import make_engine, session_factory, upgrade
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner
    from ui.telephony.bridge import TelephonyBridge

    sys.path.insert(0, str(ROOT / "tests" / "app" / "telephony"))
    from sip_agents import free_sip_port, silence  # the same helpers the tests use

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="ccb-"))
    engine = make_engine(f"sqlite:///{tmp / 'bench.sqlite3'}")
    upgrade(engine)
    t_gen = time.perf_counter()
    try:
        from app.demo import generate

        generate(engine, args.patients)
    except ImportError:
        pass
    gen_s = time.perf_counter() - t_gen
    sessions = session_factory(engine)
    with sessions() as s, s.begin():
        s.add(Patient(last_name="Бенчмаркова", first_name="Вера", patronymic="Павловна",
                      name_key=name_key("Бенчмаркова", "Вера", "Павловна"), sex="F",
                      phones=[PatientPhone(e164=CALLER, raw=CALLER, is_primary=True)]))
    with sessions() as s:
        n_patients = len(s.scalars(select(Patient.id)).all())

    cards = CardService(sessions)
    runner = TaskRunner()
    w = MainWindow(cards, runner)
    w.show()
    bridge = TelephonyBridge(w)
    from app.settings import Settings
    from app.telephony.service import TelephonyService

    service = TelephonyService(Settings(), sessions, cards, secret=lambda name: None)  # the product's path
    service.events.add(bridge.post_event)
    t0: dict[str, float] = {}
    closed: set[str] = set()
    samples: list[float] = []
    lock = threading.Lock()
    current = {"id": None}

    def on_raw(msg):
        if msg.get("type") == "CALL_INCOMING":
            with lock:
                t0[msg["id"]] = time.perf_counter()
                current["id"] = msg["id"]

    def on_event(ev):
        if os.environ.get("BENCH_NO_TRACKER"):
            bridge.post_event(ev)
        else:
            service._on_event(ev)  # listeners (the bridge) first, then the row on the writer thread
        if ev.kind == "hungup":
            with lock:
                closed.add(ev.call_id)

    def on_shown(_e164):
        w.card_view.grab()  # render the card now, as the screen would
        t1 = time.perf_counter()
        if w.current_card is None or w.current_card.full_name != "Бенчмаркова Вера Павловна":
            raise SystemExit(f"wrong card on screen: {w.current_card and w.current_card.full_name}")
        with lock:
            cid = current["id"]
            if cid in t0:
                samples.append((t1 - t0.pop(cid)) * 1000)

    w.incoming_shown.connect(on_shown)
    ui_hop: list[float] = []

    def on_ui_event(ev):  # connected after the bridge's own slot: show_incoming has returned
        if ev.kind == "ringing":
            with lock:
                if ev.call_id in t0:
                    ui_hop.append((time.perf_counter() - t0[ev.call_id]) * 1000)

    bridge.call_event.connect(on_ui_event)

    port = free_sip_port()
    uri = f"sip:clinic@127.0.0.1:{port}"
    cfg = SoftphoneConfig(sip_uri=uri, sip_options=";regint=0", sip_listen=f"127.0.0.1:{port}",
                          audio_source=f"aufile,{silence(tmp / 'silence.wav', 600)}",
                          audio_player="aufile,/dev/null", record=False)
    phone = Softphone(cfg, on_event, password=lambda: None, runtime_parent=tmp, on_raw=on_raw)

    # the patient: a baresip with ctrl_tcp, so the script can dial 100 times
    pdir = tmp / "patient"
    pdir.mkdir()
    pport, pctrl = free_sip_port(), free_port()
    (pdir / "config").write_text(
        f"poll_method epoll\nsip_listen 127.0.0.1:{pport}\naudio_player aufile,/dev/null\n"
        f"audio_source aufile,{tmp / 'silence.wav'}\naudio_alert aufile,/dev/null\n"
        "module_path /usr/lib/baresip/modules\nmodule g711.so\nmodule aufile.so\n"
        f"module_app account.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:{pctrl}\n")
    (pdir / "accounts").write_text(f"<sip:{CALLER}@127.0.0.1:{pport}>;regint=0\n")
    import subprocess

    patient = None
    pclient = None
    try:
        phone.start(wait=15)
        patient = subprocess.Popen(["baresip", "-f", str(pdir)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pclient = CtrlClient("127.0.0.1", pctrl, lambda m: None)
        pclient.connect(timeout=10)

        def spin_until(pred, timeout):
            deadline = time.monotonic() + timeout
            loop = QEventLoop()
            while not pred():
                if time.monotonic() > deadline:
                    return False
                QTimer.singleShot(2, loop.quit)
                loop.exec()
            return True

        total = args.calls + args.warmup
        for i in range(total):
            before = len(samples)
            with lock:
                current["id"] = None
            # from another thread: the UI thread must stay free, as in the product
            dialer = threading.Thread(target=pclient.command, args=("dial", uri), daemon=True)
            dialer.start()
            if not spin_until(lambda: len(samples) > before, 10):
                raise SystemExit(f"call {i}: the card did not appear within 10 s")
            cid = None
            with lock:
                cid = current["id"]
            dialer.join(10)
            phone.hangup()
            spin_until(lambda: cid in closed, 10)
            if i < args.warmup:
                samples.pop()
                if ui_hop:
                    ui_hop.pop()
        runner.wait(10_000)
    finally:
        if pclient is not None:
            pclient.close()
        if patient is not None and patient.poll() is None:
            patient.terminate()
            try:
                patient.wait(5)
            except subprocess.TimeoutExpired:
                patient.kill()
                patient.wait(5)
        phone.stop()
        service.stop()
    with sessions() as s:
        rows = len(s.scalars(select(Call.id)).all())
    engine.dispose()
    out = {
        "benchmark": "CALL_INCOMING (real baresip ctrl_tcp) -> caller card painted (offscreen grab)",
        "calls": len(samples), "warmup_calls": args.warmup, "patients_in_db": n_patients,
        "backend": "sqlite", "demo_generation_s": round(gen_s, 1), "call_rows_written": rows,
        "p50_ms": round(statistics.median(samples), 2), "p95_ms": round(pct(samples, 95), 2),
        "max_ms": round(max(samples), 2), "mean_ms": round(statistics.mean(samples), 2),
        "to_ui_thread_p50_ms": round(statistics.median(ui_hop), 2) if ui_hop else None,
        "to_ui_thread_p95_ms": round(pct(ui_hop, 95), 2) if ui_hop else None,
        "goal_p95_ms": 50, "cores": os.cpu_count(), "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2), flush=True)
    # tear the window down while Qt is still alive (not in the interpreter's final GC)
    w.incoming_shown.disconnect(on_shown)
    bridge.call_event.disconnect(on_ui_event)
    w.close()
    w.deleteLater()
    bridge.deleteLater()
    runner.wait(10_000)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
