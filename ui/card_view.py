"""The caller card: who is calling, what to be careful about, and why the clinic cares.

Read top to bottom in a hurry: alerts (red/amber), the name, age and sex, then contacts,
consents and bonuses on the left, the next appointment and treatment plans on the right,
and the visit history below.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.card import Card, PlanInfo
from ui import labels
from ui.looks import repolish, set_look
from ui.tables import fit_columns


def _label(text: str = "", name: str = "", wrap: bool = True, selectable: bool = True) -> QLabel:
    """A card label. *selectable*: the text can be selected and copied (a name, a phone, a
    comment); that makes the label lay its text out through a text document of its own, which
    for the alerts and the plan stages (many a card, read, never copied) cost 40 % of the
    largest cards' time."""
    lab = QLabel(text)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


class _Labels:
    """The labels of a part of the card that changes length card after card (alerts, plans):
    made once, then reused for the next card, with only what differs set again (a label cost
    ~0.7 ms to make, a plan with stages 2-3 ms a card). Not selectable (see :func:`_label`)."""

    def __init__(self, layout: QVBoxLayout) -> None:
        self.layout = layout
        self.made: list[QLabel] = []
        self.used = 0

    def start(self) -> None:
        self.used = 0

    def next(self, text: str, name: str) -> QLabel:
        if self.used < len(self.made):
            lab = self.made[self.used]
            if lab.objectName() != name:  # a look of its own: the style sheet applied again
                lab.setObjectName(name)
                repolish(lab)
            lab.setText(text)
        else:
            lab = _label(text, name, selectable=False)
            self.layout.addWidget(lab)
            self.made.append(lab)
        self.used += 1
        if lab.isHidden():
            lab.setVisible(True)
        return lab

    def finish(self) -> None:
        for lab in self.made[self.used:]:
            if not lab.isHidden():
                lab.setVisible(False)


class _Section(QFrame):
    def __init__(self, title: str, name: str):
        super().__init__()
        self.setObjectName(name)
        self.setProperty("section", True)
        self.title = QLabel(title)
        self.title.setObjectName("section_title")
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 10)
        lay.addWidget(self.title)
        lay.addLayout(self.body)


class CardView(QScrollArea):
    """Shows one :class:`app.card.Card`. Emits ``patient_requested(id)`` for a family member."""

    patient_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card_view")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.card: Card | None = None
        root = QWidget()
        root.setObjectName("card")
        self.setWidget(root)
        outer = QVBoxLayout(root)
        outer.setContentsMargins(16, 12, 16, 16)
        outer.setSpacing(10)

        self.alerts_box = QVBoxLayout()
        self.alerts_box.setSpacing(4)
        outer.addLayout(self.alerts_box)
        self.alert_labels: list[QLabel] = []
        self._alert_pool = _Labels(self.alerts_box)

        self.name_label = _label(name="card_name")
        self.facts_label = _label(name="card_facts")
        outer.addWidget(self.name_label)
        outer.addWidget(self.facts_label)

        cols = QHBoxLayout()
        cols.setSpacing(12)
        left = QVBoxLayout()
        right = QVBoxLayout()
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        outer.addLayout(cols)

        # left: contact, bonus, family
        self.contact = _Section(self.tr("Contact"), "contact_section")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.phones_label = _label(name="phones")
        self.channel_label = _label(name="channel")
        self.consents_label = _label(name="consents")
        self.comments_label = _label(name="comments")
        self._field_names: list[QLabel] = []
        for row, (title, widget) in enumerate([
            (self.tr("Phones"), self.phones_label),
            (self.tr("Prefers"), self.channel_label),
            (self.tr("Consents"), self.consents_label),
            (self.tr("Comments"), self.comments_label),
        ]):
            name = QLabel(title)
            name.setObjectName("field_name")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._field_names.append(name)
            grid.addWidget(name, row, 0)
            grid.addWidget(widget, row, 1)
        grid.setColumnStretch(1, 1)
        self.contact.body.addLayout(grid)
        left.addWidget(self.contact)

        self.bonus = _Section(self.tr("Bonus points"), "bonus_section")
        self.bonus_balance = _label(name="bonus_balance")
        self.bonus_expiry = _label(name="bonus_expiry")
        self.bonus_cap = _label(name="bonus_cap")
        for w in (self.bonus_balance, self.bonus_expiry, self.bonus_cap):
            self.bonus.body.addWidget(w)
        left.addWidget(self.bonus)

        self.family = _Section(self.tr("Family"), "family_section")
        self.family_buttons: list[QPushButton] = []
        self._family_made: list[QPushButton] = []
        left.addWidget(self.family)
        left.addStretch(1)

        # right: next appointment, plans
        self.appointment = _Section(self.tr("Next appointment"), "appointment_section")
        self.appointment_label = _label(name="appointment")
        self.appointment.body.addWidget(self.appointment_label)
        right.addWidget(self.appointment)
        self.plans = _Section(self.tr("Treatment plans"), "plans_section")
        self._plan_pool = _Labels(self.plans.body)
        self.stage_labels: list[QLabel] = []
        self.plan_titles: list[QLabel] = []
        right.addWidget(self.plans)
        right.addStretch(1)

        # below: visit history
        self.history = _Section(self.tr("Visit history"), "history_section")
        self.visits_table = QTableWidget(0, 5)
        self.visits_table.setObjectName("visits_table")
        self.visits_table.setHorizontalHeaderLabels([
            self.tr("Date"), self.tr("Doctor"), self.tr("Services"), self.tr("Amount"), self.tr("Status"),
        ])
        self.visits_table.verticalHeader().setVisible(False)
        self.visits_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.visits_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits_table.setAlternatingRowColors(True)
        self.visits_table.setWordWrap(False)
        hh = self.visits_table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fitted to each card's visits (ui.tables)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.visits_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.no_visits_label = _label(self.tr("No visits yet"), "no_visits")
        self.history.body.addWidget(self.visits_table)
        self.history.body.addWidget(self.no_visits_label)
        outer.addWidget(self.history)
        outer.addStretch(1)

    # ------------------------------------------------------------------------------------
    def show_card(self, card: Card, today: date | None = None) -> None:
        today = today or date.today()
        self.card = card
        self._alerts(card)
        self.name_label.setText(card.full_name)
        facts = [labels.age(card.age), labels.sex(card.sex)]
        if card.birth_date:
            facts.append(self.tr("born %1").replace("%1", labels.fmt_date(card.birth_date)))
        self.facts_label.setText(" · ".join(facts))

        lines = []
        for ph in card.phones:
            line = f"<b>{ph.display}</b>"
            extra = [labels.phone_kind(ph.kind)]
            if ph.primary:
                extra.insert(0, "★ " + self.tr("primary"))
            line += " <span style='color:#5b6770'>(" + ", ".join(extra) + ")</span>"
            lines.append(line)
        self.phones_label.setText("<br>".join(lines) or "—")
        self.channel_label.setText(labels.channel(card.preferred_channel))
        self.consents_label.setText(self._consents(card))
        self.comments_label.setText(card.comments or "—")
        set_look(self.comments_label, "empty", not card.comments)

        b = card.bonus
        self.bonus_balance.setText(self.tr("%n point(s)", "", b.balance).replace(str(b.balance), labels.points(b.balance)))
        if b.nearest_expiry_date and b.nearest_expiry_amount:
            n = b.nearest_expiry_amount
            self.bonus_expiry.setText(
                self.tr("%n point(s) expire on %1", "", n).replace(str(n), labels.points(n), 1)
                .replace("%1", labels.fmt_date(b.nearest_expiry_date))
            )
            set_look(self.bonus_expiry, "soon", (b.nearest_expiry_date - today).days <= 30)
        else:
            self.bonus_expiry.setText(self.tr("no expiry coming") if b.balance else "")
            set_look(self.bonus_expiry, "soon", False)
        self.bonus_expiry.setVisible(bool(self.bonus_expiry.text()))
        self.bonus_cap.setText(self.tr("can pay up to %1% of a bill").replace("%1", str(b.redemption_cap_percent)))
        set_look(self.bonus_balance, "zero", b.balance == 0)

        self._family(card)
        a = card.next_appointment
        if a:
            self.appointment_label.setText(
                f"<b>{labels.fmt_datetime(a.starts_at)}</b> — {a.doctor}, {a.service} "
                f"<span style='color:#5b6770'>({labels.visit_status(a.status)})</span>"
            )
        else:
            self.appointment_label.setText(self.tr("none booked"))
        self._plans(card.plans, today)
        self._visits(card)
        self.verticalScrollBar().setValue(0)

    # ------------------------------------------------------------------------------------
    def _alerts(self, card: Card) -> None:
        self._alert_pool.start()
        self.alert_labels = []
        for a in card.alerts:
            detail = card.open_complaints[0][:160] if a.code == "open_complaint" and card.open_complaints else ""
            icon = "✖" if a.code in labels.DANGER_ALERTS else "⚠"
            lab = self._alert_pool.next(f"{icon}  {labels.alert_text(a.code, detail)}",
                                        "alert_danger" if a.code in labels.DANGER_ALERTS else "alert_warning")
            lab.setProperty("code", a.code)
            self.alert_labels.append(lab)
        self._alert_pool.finish()

    def _consents(self, card: Card) -> str:
        def mark(ok: bool, text: str) -> str:
            color = "#1e7d32" if ok else "#c62828"
            return f"<span style='color:{color}'><b>{'✔' if ok else '✘'}</b> {text}</span>"

        return "&nbsp;&nbsp; ".join([
            mark(card.consent_calls and not card.do_not_contact, self.tr("calls")),
            mark(card.consent_messages and not card.do_not_contact, self.tr("messages")),
            mark(card.consent_recording, self.tr("recording")),
        ])

    def _family(self, card: Card) -> None:
        """One button per family member; the buttons are made once and reused card after card
        (a new styled button, polished and laid out, cost more than setting a text)."""
        self.family_buttons = []
        for i, m in enumerate(card.family):
            parts = [m.full_name]
            if m.role:
                parts.append(m.role)
            if m.age is not None:
                parts.append(labels.age(m.age))
            text = ", ".join(parts)
            if m.shares_phone:
                text += "  ·  ☎ " + self.tr("shares this phone")
            if i < len(self._family_made):
                btn = self._family_made[i]
                btn.setText(text)
            else:
                btn = QPushButton(text)
                btn.setObjectName("family_member")
                btn.setCursor(Qt.CursorShape.PointingHandCursor)
                btn.setToolTip(self.tr("Open this card"))
                btn.clicked.connect(lambda _=False, b=btn: self.patient_requested.emit(b.property("patient_id")))
                self.family.body.addWidget(btn)
                self._family_made.append(btn)
            btn.setProperty("patient_id", m.id)
            if btn.isHidden():
                btn.setVisible(True)
            self.family_buttons.append(btn)
        for btn in self._family_made[len(card.family):]:
            if not btn.isHidden():
                btn.setVisible(False)
        self.family.setVisible(bool(card.family))

    def _plans(self, plans: list[PlanInfo], today: date) -> None:
        pool = self._plan_pool
        pool.start()
        self.stage_labels = []
        self.plan_titles = []
        if not plans:
            pool.next(self.tr("No treatment plans"), "no_plans")
            pool.finish()
            return
        for pl in plans:
            title = pool.next(
                f"<b>{pl.title}</b> <span style='color:#5b6770'>— {pl.doctor}, "
                f"{labels.fmt_date(pl.created_on)}, {labels.plan_status(pl.status)}</span>",
                "plan_title",
            )
            self.plan_titles.append(title)
            for st in pl.stages:
                overdue = st.status == "due" and st.due_on is not None and st.due_on < today
                icon = {"done": "✔", "due": "●", "declined": "✘"}.get(st.status, "•")
                text = f"{icon}  {st.title}"
                if st.price:
                    text += f" — {labels.money(st.price)}"
                if st.status == "due":
                    if overdue:
                        text += "  " + self.tr("overdue since %1").replace("%1", labels.fmt_date(st.due_on))
                    elif st.due_on:
                        text += "  " + self.tr("due by %1").replace("%1", labels.fmt_date(st.due_on))
                    else:
                        text += "  " + labels.stage_status("due")
                else:
                    text += f"  ({labels.stage_status(st.status)})"
                lab = pool.next(text, "stage_overdue" if overdue else f"stage_{st.status}")
                lab.setProperty("status", "overdue" if overdue else st.status)
                self.stage_labels.append(lab)
        pool.finish()

    def _visits(self, card: Card) -> None:
        t = self.visits_table
        t.setRowCount(len(card.visits))
        columns: dict[int, list[str]] = {0: [], 1: [], 3: [], 4: []}  # fitted; "Services" stretches
        for r, v in enumerate(card.visits):
            cells = [
                labels.fmt_date(v.starts_at),
                v.doctor + (f" ({v.specialty})" if v.specialty else ""),
                ", ".join(v.services),
                labels.money(v.amount),
                labels.visit_status(v.status),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, c, item)
                if c in columns:
                    columns[c].append(text)
        fit_columns(t, columns)
        shown = min(len(card.visits), 10)
        t.setVisible(bool(card.visits))
        self.no_visits_label.setVisible(not card.visits)
        t.setFixedHeight(t.horizontalHeader().sizeHint().height() + 4 + shown * t.verticalHeader().defaultSectionSize())
