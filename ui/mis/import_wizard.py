"""The MIS import page: choose a file -> map its columns -> dry run report -> apply.

    wizard = ImportWizard(ctx.sessions, runner, region=settings.phone.default_region,
                          bonus_expiry_days=settings.bonus.expiry_days)
    window.add_page(wizard, wizard.page_title())

Reading the file, the dry run and the apply run through the task runner (never on the UI
thread). ``imported(dict)`` is emitted with the report's JSON after an apply.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.mis import mapping as M
from app.mis.importer import ImportReport, Importer
from app.mis.messages import localize
from app.mis.readers import Table, read_table

PREVIEW_ROWS = 8


class ImportWizard(QWidget):
    imported = Signal(dict)
    # the step on screen changed: 0 file, 1 mapping, 2 dry-run report, 3 done
    step_changed = Signal(int)

    def __init__(self, sessions, runner, region: str = "RU", bonus_expiry_days: int = 180,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._sessions = sessions
        self._runner = runner
        self._region = region
        self._expiry = bonus_expiry_days
        self.table: Table | None = None
        self.report: ImportReport | None = None
        self.stack = QStackedWidget()
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("wizardTitle")
        lay.addWidget(self.title)
        lay.addWidget(self.stack, 1)
        self.error = QLabel()
        self.error.setObjectName("wizardError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        lay.addWidget(self.error)
        self._build_file_page()
        self._build_mapping_page()
        self._build_report_page()
        self._go(0)

    # --- pages ---------------------------------------------------------------------------
    def _build_file_page(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("A CSV or XLSX export of the MIS"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._on_browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("File"), row)
        self.kind_combo = QComboBox()
        for kind, label in self._kinds():
            self.kind_combo.addItem(label, kind)
        form.addRow(self.tr("What it contains"), self.kind_combo)
        self.mapping_combo = QComboBox()
        self.mapping_combo.setEditable(False)
        form.addRow(self.tr("Column mapping"), self.mapping_combo)
        self.kind_combo.currentIndexChanged.connect(self._reload_mapping_names)
        self.read_button = QPushButton(self.tr("Read the file"))
        self.read_button.clicked.connect(self._on_read)
        self.path_edit.textChanged.connect(lambda t: self.read_button.setEnabled(bool(t.strip())))
        self.read_button.setEnabled(False)
        form.addRow(self.read_button)
        self.stack.addWidget(page)
        self._reload_mapping_names()

    def _build_mapping_page(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.file_info = QLabel()
        self.file_info.setWordWrap(True)
        lay.addWidget(self.file_info)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        lay.addWidget(self.preview, 1)
        self.mapping_problems = QLabel()
        self.mapping_problems.setWordWrap(True)
        lay.addWidget(self.mapping_problems)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Save the mapping as")))
        self.save_name = QLineEdit()
        self.save_name.setPlaceholderText(self.tr("e.g. the MIS name"))
        row.addWidget(self.save_name, 1)
        back = QPushButton(self.tr("Back"))
        back.clicked.connect(lambda: self._go(0))
        row.addWidget(back)
        self.dry_button = QPushButton(self.tr("Check (dry run)"))
        self.dry_button.clicked.connect(self._on_dry_run)
        row.addWidget(self.dry_button)
        lay.addLayout(row)
        self.field_combos: list[QComboBox] = []
        self.stack.addWidget(page)

    def _build_report_page(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.report_table = QTableWidget(0, 3)
        self.report_table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Result"), self.tr("Reason / note")])
        self.report_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.report_table.horizontalHeader().setStretchLastSection(True)
        self.report_table.verticalHeader().setVisible(False)
        lay.addWidget(self.report_table, 1)
        row = QHBoxLayout()
        self.back_to_mapping = QPushButton(self.tr("Back to the mapping"))
        self.back_to_mapping.clicked.connect(lambda: self._go(1))
        row.addWidget(self.back_to_mapping)
        row.addStretch(1)
        self.apply_button = QPushButton(self.tr("Import"))
        self.apply_button.clicked.connect(self._on_apply)
        row.addWidget(self.apply_button)
        self.new_button = QPushButton(self.tr("Import another file"))
        self.new_button.clicked.connect(lambda: self._go(0))
        row.addWidget(self.new_button)
        lay.addLayout(row)
        self.stack.addWidget(page)

    # --- helpers ---------------------------------------------------------------------------
    def page_title(self) -> str:
        return self.tr("Import from MIS")

    def _kinds(self) -> list[tuple[str, str]]:
        return [("patients", self.tr("Patients")), ("visits", self.tr("Visits")),
                ("plans", self.tr("Treatment plans")), ("appointments", self.tr("Appointments")),
                ("bonus", self.tr("Bonus ledger"))]

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _go(self, step: int) -> None:
        self.stack.setCurrentIndex(min(step, 2))
        titles = [self.tr("1. Choose the export file"), self.tr("2. Match the columns"),
                  self.tr("3. Check what will happen"), self.tr("Done")]
        self.title.setText(titles[step])
        if step == 2:
            self.apply_button.setVisible(True)
            self.back_to_mapping.setVisible(True)
            self.new_button.setVisible(False)
        if step == 3:
            self.apply_button.setVisible(False)
            self.back_to_mapping.setVisible(False)
            self.new_button.setVisible(True)
        self.step_changed.emit(step)

    def _reload_mapping_names(self) -> None:
        kind = self.kind
        self.mapping_combo.clear()
        self.mapping_combo.addItem(self.tr("Guess from the column names"), "")

        def load():
            with self._sessions() as s:
                return M.names(s, kind)

        def done(names: list[str]) -> None:
            if kind != self.kind:
                return
            for n in names:
                self.mapping_combo.addItem(n, n)

        self._runner.run(load, done, self._fail)

    def _fail(self, exc: BaseException) -> None:
        self.error.setText(str(exc))
        self.read_button.setEnabled(True)
        self.dry_button.setEnabled(True)
        self.apply_button.setEnabled(True)

    def _on_browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("MIS export"), "",
                                              self.tr("Tables (*.csv *.txt *.xlsx);;All files (*)"))
        if path:
            self.path_edit.setText(path)

    # --- step 1 -> 2 -----------------------------------------------------------------------
    def _on_read(self) -> None:
        path, kind, name = self.path_edit.text().strip(), self.kind, self.mapping_combo.currentData() or ""
        self.error.clear()
        self.read_button.setEnabled(False)

        def work():
            table = read_table(path)
            with self._sessions() as s:
                cols = M.load(s, name, kind) if name else None
            if cols is None:
                cols = M.guess(kind, table.headers)
            return table, cols

        self._runner.run(work, self._on_table, self._fail)

    def _on_table(self, result) -> None:
        table, cols = result
        self.read_button.setEnabled(True)
        self.table = table
        enc = {"xlsx": "Excel", "cp1251": "Windows-1251", "utf-8-sig": "UTF-8", "utf-8": "UTF-8"}.get(
            table.encoding, table.encoding)
        self.file_info.setText(self.tr("%n data row(s); encoding: %1", "", len(table.rows)).replace("%1", enc))
        self.save_name.setText(self.mapping_combo.currentData() or "")
        headers = table.headers
        prev = table.preview(PREVIEW_ROWS)
        self.preview.clear()
        self.preview.setColumnCount(len(headers))
        self.preview.setRowCount(len(prev) + 1)
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setVerticalHeaderLabels([self.tr("Field")] + [str(n) for n, _ in table.rows[:PREVIEW_ROWS]])
        self.field_combos = []
        for c, h in enumerate(headers):
            combo = QComboBox()
            combo.addItem(self.tr("(ignore)"), "")
            for spec in M.fields(self.kind):
                combo.addItem(spec.label_en, spec.name)  # translated below through the label map
            for i in range(1, combo.count()):
                combo.setItemText(i, self._field_label(combo.itemData(i)))
            combo.setCurrentIndex(max(0, combo.findData(cols.get(h, ""))))
            combo.currentIndexChanged.connect(self._check_mapping)
            self.preview.setCellWidget(0, c, combo)
            self.field_combos.append(combo)
            for r, vals in enumerate(prev, start=1):
                v = vals[c] if c < len(vals) else ""
                self.preview.setItem(r, c, QTableWidgetItem("" if v is None else str(v)))
        self.preview.resizeColumnsToContents()
        self._check_mapping()
        self._go(1)

    def _field_label(self, name: str) -> str:
        for spec in M.fields(self.kind):
            if spec.name == name:
                return spec.label_ru if self._russian() else spec.label_en
        return name

    def _russian(self) -> bool:
        from PySide6.QtCore import QLocale

        return QLocale().language() == QLocale.Language.Russian

    def columns(self) -> dict[str, str]:
        if self.table is None:
            return {}
        return {h: c.currentData() for h, c in zip(self.table.headers, self.field_combos) if c.currentData()}

    def set_field(self, header: str, field: str) -> None:
        """Map a column (tests and keyboard users)."""
        assert self.table is not None
        combo = self.field_combos[self.table.headers.index(header)]
        combo.setCurrentIndex(combo.findData(field))

    def _check_mapping(self) -> None:
        if self.table is None:
            return
        problems = M.validate(self.kind, self.columns(), self.table.headers)
        self.mapping_problems.setText("\n".join(problems))
        self.dry_button.setEnabled(not problems)

    # --- step 2 -> 3 -> done ---------------------------------------------------------------
    def _run(self, dry: bool) -> None:
        table, kind, cols = self.table, self.kind, self.columns()
        name = self.save_name.text().strip()
        importer = Importer(self._sessions, self._region, self._expiry)
        self.error.clear()
        self.dry_button.setEnabled(False)
        self.apply_button.setEnabled(False)

        def work():
            rep = importer.run(table, kind, cols, dry_run=dry, mapping_name=name)
            if not dry and name:
                with self._sessions() as s, s.begin():
                    M.save(s, name, kind, cols)
            return rep

        self._runner.run(work, self._on_report, self._fail)

    def _on_dry_run(self) -> None:
        self._run(True)

    def _on_apply(self) -> None:
        self._run(False)

    def _on_report(self, rep: ImportReport) -> None:
        self.report = rep
        self.dry_button.setEnabled(True)
        self.apply_button.setEnabled(True)
        head = self.tr("Dry run: nothing is saved yet.") if rep.dry_run else self.tr("Imported.")
        counts = self.tr("Rows: %1. New: %2. Updated: %3. Unchanged: %4. Rejected: %5.")
        for i, n in enumerate((rep.total, rep.created, rep.updated, rep.unchanged, rep.rejected), start=1):
            counts = counts.replace(f"%{i}", str(n))
        self.summary.setText(f"{head} {counts}")
        shown = [r for r in rep.rows if r.action != "unchanged" or r.note]
        shown.sort(key=lambda r: (r.action != "rejected", r.row))
        self.report_table.setRowCount(len(shown))
        labels = {"created": self.tr("new"), "updated": self.tr("updated"), "unchanged": self.tr("unchanged"),
                  "rejected": self.tr("rejected")}
        for i, r in enumerate(shown):
            why = localize(r.reason or r.note, "ru" if self._russian() else "en")
            for c, v in enumerate((str(r.row), labels[r.action], why)):
                item = QTableWidgetItem(v)
                if r.action == "rejected":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.report_table.setItem(i, c, item)
        self.report_table.resizeColumnsToContents()
        if rep.dry_run:
            self.apply_button.setEnabled(rep.created + rep.updated > 0)
            self._go(2)
        else:
            self._go(3)
            self.imported.emit(rep.to_json())
            self._reload_mapping_names()

    def report_rows(self) -> list[tuple[str, str, str]]:
        """What the report table shows (row, result, reason) -- for tests and screenshots."""
        t = self.report_table
        return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]  # type: ignore[misc]
