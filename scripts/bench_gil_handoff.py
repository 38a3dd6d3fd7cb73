"""How long the UI thread waits for the GIL while another Python thread computes, at a given
switch interval: what ``ui.main.UI_SWITCH_INTERVAL_S`` is for.

    .venv/bin/python scripts/bench_gil_handoff.py [--seconds 6] [--intervals 0.005 0.001] [--rounds 2]

Each run is a process of its own (offscreen): a window of 200 Python-made labels, a thread running
a pure-Python loop, and a 5 ms precise QTimer on the UI thread that records the gaps between its
ticks and, every fourth tick, changes 50 labels and repaints the window. Prints JSON: per switch
interval and round, ticks, p50 / p99 / max gap in ms, and the load average. The gaps also include
the box's other load: compare intervals within one run of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time


def child(seconds: float, interval: float) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QWidget

    sys.setswitchinterval(interval)
    app = QApplication([])
    w = QWidget()
    grid = QGridLayout(w)
    labels = [QLabel(f"label {i}") for i in range(200)]
    for i, lab in enumerate(labels):
        grid.addWidget(lab, i // 10, i % 10)
    w.resize(1200, 800)
    w.show()
    stop = threading.Event()

    def compute() -> None:
        x = 0
        while not stop.is_set():
            for i in range(1000):
                x += i * i

    threading.Thread(target=compute, daemon=True).start()
    gaps: list[float] = []
    state = {"last": time.perf_counter(), "n": 0}

    def tick() -> None:
        t = time.perf_counter()
        gaps.append(t - state["last"])
        state["last"] = t
        state["n"] += 1
        if state["n"] % 4 == 0:
            for lab in labels[:50]:
                lab.setText(f"value {state['n']} {id(lab) % 7}")
            w.repaint()

    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(5)
    heart.timeout.connect(tick)
    heart.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    stop.set()
    g = sorted(gaps[10:])
    return {"switch_interval_s": interval, "ticks": len(g), "p50_ms": round(g[len(g) // 2] * 1000, 1),
            "p99_ms": round(g[int(len(g) * 0.99)] * 1000, 1), "max_ms": round(g[-1] * 1000, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--intervals", type=float, nargs="+", default=[0.005, 0.001])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--child", type=float, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child is not None:
        print(json.dumps(child(a.seconds, a.child)))
        return 0
    runs = []
    for _ in range(a.rounds):
        for iv in a.intervals:  # alternated, so the box's load falls on both alike
            out = subprocess.run([sys.executable, __file__, "--seconds", str(a.seconds), "--child", str(iv)],
                                 capture_output=True, text=True, check=True).stdout
            runs.append({**json.loads(out.strip().splitlines()[-1]), "load_average_1min": os.getloadavg()[0]})
    print(json.dumps({"runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
