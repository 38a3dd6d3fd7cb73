"""The scorecard dialog: points per checkpoint, instant-fail boxes, live total, a comment
pinned to the current moment of the recording."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.review.access import Principal
from app.review.scorecards import Answer, ScorecardService, compute_score
from ui.review import labels


class ScorecardDialog(QDialog):
    saved = Signal(float)

    def __init__(self, scorecards: ScorecardService, principal: Principal, call_id: int,
                 position_s: float = 0.0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Score call %1").replace("%1", str(call_id)))
        self.svc = scorecards
        self.principal = principal
        self.call_id = call_id
        self.position_s = position_s
        self.cards = scorecards.scorecards()
        self.card_box = QComboBox()
        for c in self.cards:
            self.card_box.addItem(labels.scorecard_text(c.name), c.id)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.total_label = QLabel()
        self.total_label.setObjectName("scoreTotal")
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("Comment at %1 (optional)").replace("%1", _fmt(position_s)))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Scorecard")))
        top.addWidget(self.card_box, 1)
        lay.addLayout(top)
        lay.addWidget(self.form_host)
        lay.addWidget(self.total_label)
        lay.addWidget(self.comment)
        lay.addWidget(self.buttons)
        self.inputs: list = []
        self.card_box.currentIndexChanged.connect(self._build)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self._build()

    def _card(self):
        return self.cards[self.card_box.currentIndex()] if self.cards else None

    def _build(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = []
        card = self._card()
        if card is None:
            return
        mine = {}
        for r in self.svc.reviews(self.principal, self.call_id):
            if r.reviewer_id == self.principal.user_id and r.scorecard_id == card.id:
                mine = r.answers
        for it in card.items:
            prev = mine.get(it.id, Answer())
            if it.instant_fail:
                w = QCheckBox(self.tr("instant fail"))
                w.setChecked(prev.failed)
                w.toggled.connect(self._update)
            else:
                w = QSpinBox()
                w.setRange(0, it.max_points)
                w.setValue(prev.points)
                w.setSuffix(f" / {it.max_points}")
                w.valueChanged.connect(self._update)
            label = labels.scorecard_text(it.text) + (f"  (×{it.weight:g})" if not it.instant_fail else "")
            self.form.addRow(label, w)
            self.inputs.append((it, w))
        self._update()

    def answers(self) -> dict[int, Answer]:
        out = {}
        for it, w in self.inputs:
            out[it.id] = Answer(failed=w.isChecked()) if it.instant_fail else Answer(points=w.value())
        return out

    def total(self) -> tuple[float, bool]:
        card = self._card()
        ans = self.answers()
        return compute_score(card.items, {i: ans[it.id] for i, it in enumerate(card.items)})

    def _update(self) -> None:
        total, failed = self.total()
        self.total_label.setText(self.tr("Score: %1 / 100").replace("%1", f"{total:.0f}")
                                 + (self.tr(" — instant fail") if failed else ""))

    def _on_save(self) -> None:
        card = self._card()
        try:
            total = self.svc.score_call(self.principal, self.call_id, card.id, self.answers())
            if self.comment.text().strip():
                self.svc.add_comment(self.principal, self.call_id, self.position_s, self.comment.text())
        except Exception as e:  # noqa: BLE001
            QMessageBox.warning(self, self.windowTitle(), str(e))
            return
        self.saved.emit(total)
        self.accept()


def _fmt(t: float) -> str:
    t = max(0, int(t))
    return f"{t // 60}:{t % 60:02d}"
