"""Importing MIS exports: patients, visits (+services), treatment plans (+stages), appointments,
bonus ledger entries.

* One transaction per import; each row in its own savepoint, so a bad row (or a row the
  database refuses) is listed with its row number and reason and never stops the good ones.
* A dry run does exactly the same work and rolls it back: its report is the apply's report.
* Re-importing the same file changes nothing (0 created, 0 updated): patients are matched by
  MIS id, else by normalised name + birth date (+ phone); other records through
  ``import_links`` (MIS id, else a natural key such as patient + time + doctor).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.card import fold, name_key
from app.mis import mapping as mapping_mod
from app.mis import values as V
from app.mis.readers import Table
from db.base import utcnow
from db.models import (
    Appointment,
    BonusEntry,
    Doctor,
    ImportLink,
    ImportRun,
    Patient,
    PatientPhone,
    PlanStage,
    Service,
    TreatmentPlan,
    Visit,
    VisitService,
)

log = logging.getLogger("carecall.mis")


class RowRejected(ValueError):
    """This row cannot be imported; the message is the reason shown in the report."""


@dataclass
class RowOutcome:
    row: int
    action: str  # created, updated, unchanged, rejected
    entity_id: int | None = None
    reason: str = ""  # why rejected
    note: str = ""  # e.g. "same patient as row 3", "phone 'abc' skipped: ..."


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    source: str = ""
    encoding: str = ""
    delimiter: str = ""
    mapping_name: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[RowOutcome] = field(default_factory=list)
    run_id: int | None = None

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    def rejected_rows(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.action == "rejected"]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "dry_run": self.dry_run, "source": self.source, "encoding": self.encoding,
            "delimiter": self.delimiter, "mapping": self.mapping_name, "columns": self.columns,
            "total": self.total, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": self.rejected, "run_id": self.run_id,
            "rows": [asdict(r) for r in self.rows],
        }

    def text(self) -> str:
        head = "DRY RUN (nothing saved)" if self.dry_run else "applied"
        enc = f", encoding {self.encoding}" if self.encoding and self.encoding != "xlsx" else ""
        delim = {";": "semicolon", ",": "comma", "\t": "tab", "|": "bar"}.get(self.delimiter, "")
        lines = [
            f"{self.kind} import from {Path(self.source).name or 'the file'}: {head}{enc}"
            + (f", {delim}-separated" if delim else ""),
            f"  rows: {self.total}  created: {self.created}  updated: {self.updated}  "
            f"unchanged: {self.unchanged}  rejected: {self.rejected}",
        ]
        if self.rejected:
            lines.append("rejected rows:")
            lines += [f"  row {r.row}: {r.reason}" for r in self.rejected_rows()]
        notes = [r for r in self.rows if r.note and r.action != "rejected"]
        if notes:
            lines.append("notes:")
            lines += [f"  row {r.row} ({r.action}): {r.note}" for r in notes]
        return "\n".join(lines)


# --- value helpers ------------------------------------------------------------------------

_VISIT_STATUS = {
    "done": "done", "выполнен": "done", "выполнено": "done", "завершен": "done", "завершён": "done",
    "оказан": "done", "оказано": "done", "состоялся": "done", "принят": "done", "completed": "done",
    "no_show": "no_show", "no show": "no_show", "неявка": "no_show", "не пришел": "no_show",
    "не пришёл": "no_show", "cancelled": "cancelled", "canceled": "cancelled", "отменен": "cancelled",
    "отменён": "cancelled", "отмена": "cancelled",
}
_APPT_STATUS = {
    "scheduled": "scheduled", "запланирован": "scheduled", "записан": "scheduled", "запись": "scheduled",
    "новая": "scheduled", "confirmed": "confirmed", "подтвержден": "confirmed", "подтверждён": "confirmed",
    "подтверждена": "confirmed", **{k: v for k, v in _VISIT_STATUS.items()},
}
_PLAN_STATUS = {
    "active": "active", "активен": "active", "в работе": "active", "открыт": "active",
    "completed": "completed", "завершен": "completed", "завершён": "completed", "выполнен": "completed",
    "declined": "declined", "отказ": "declined", "отклонен": "declined", "отклонён": "declined",
}
_STAGE_STATUS = {
    "done": "done", "выполнен": "done", "выполнено": "done", "завершен": "done", "завершён": "done",
    "due": "due", "запланирован": "due", "ожидает": "due", "не выполнен": "due", "в плане": "due",
    "planned": "due", "declined": "declined", "отказ": "declined", "отказался": "declined",
}
_BONUS_KIND = {
    "accrual": "accrual", "начисление": "accrual", "начислено": "accrual", "+": "accrual",
    "redemption": "redemption", "списание": "redemption", "списано": "redemption", "оплата": "redemption",
    "expiry": "expiry", "сгорание": "expiry", "сгорели": "expiry", "истечение": "expiry",
    "compensation": "compensation", "компенсация": "compensation",
}
_CHANNEL = {
    "phone": "phone", "телефон": "phone", "звонок": "phone", "whatsapp": "whatsapp", "ватсап": "whatsapp",
    "telegram": "telegram", "телеграм": "telegram", "sms": "sms", "смс": "sms", "email": "email",
    "e-mail": "email", "почта": "email",
}


def _enum(v: Any, table: dict[str, str], what: str, default: str | None = None) -> str | None:
    s = V.text(v).lower().replace("ё", "е")
    if not s:
        return default
    for k, out in table.items():
        if s == k.replace("ё", "е"):
            return out
    stem = re.sub(r"[аоыийя]+$", "", s)  # отменена/отменено -> отменен, подтверждена -> подтвержден
    for k, out in table.items():
        if len(stem) >= 4 and stem == re.sub(r"[аоыийя]+$", "", k.replace("ё", "е")):
            return out
    raise RowRejected(f"unknown {what} {V.text(v)!r} (known: {', '.join(sorted(set(table.values())))})")


def _assign(obj: Any, **vals: Any) -> bool:
    changed = False
    for k, v in vals.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    return changed


def _digest(rec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(rec, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


# --- the importer -------------------------------------------------------------------------

class Importer:
    def __init__(self, sessions: sessionmaker[Session], region: str = "RU", bonus_expiry_days: int = 180,
                 today: date | None = None):
        self._sessions = sessions
        self.region = region
        self.bonus_expiry_days = bonus_expiry_days
        self.today = today

    def run(self, table: Table, kind: str, columns: dict[str, str], *, dry_run: bool = False,
            mapping_name: str = "", progress: Callable[[int, int], None] | None = None) -> ImportReport:
        problems = mapping_mod.validate(kind, columns, table.headers)
        if problems:
            raise mapping_mod.MappingError("; ".join(problems))
        report = ImportReport(kind, dry_run, table.source, table.encoding, table.delimiter, mapping_name,
                              {h: f for h, f in columns.items() if f})
        idx: dict[str, list[int]] = {}
        for i, h in enumerate(table.headers):
            f = columns.get(h)
            if f:
                idx.setdefault(f, []).append(i)
        handler = getattr(self, f"_row_{kind}")
        self._state = _RunState()
        with self._sessions() as s:
            if s.get_bind().dialect.name == "sqlite":
                s.connection(execution_options={"sqlite_immediate": True})
            try:
                for n, (rownum, vals) in enumerate(table.rows):
                    rec = _record(vals, idx)
                    try:
                        with s.begin_nested():
                            action, eid, note = handler(s, rec, rownum)
                        report.rows.append(RowOutcome(rownum, action, eid, "", note))
                    except (RowRejected, V.ValueProblem) as e:
                        report.rows.append(RowOutcome(rownum, "rejected", None, str(e)))
                        self._state.forget()
                    except SQLAlchemyError as e:
                        self._state.forget()
                        log.warning("import row %s refused by the database: %s", rownum, e)
                        msg = str(getattr(e, "orig", e)).splitlines()[0][:200]
                        report.rows.append(RowOutcome(rownum, "rejected", None, f"the database refused it: {msg}"))
                    if progress:
                        progress(n + 1, len(table.rows))
                with s.begin_nested():
                    self._finish(s, kind)
                if dry_run:
                    s.rollback()
                    return report
                digest = ""
                if table.source and Path(table.source).is_file():
                    digest = hashlib.sha256(Path(table.source).read_bytes()).hexdigest()
                run = ImportRun(kind=kind, mapping_name=mapping_name, file_name=Path(table.source).name[:300],
                                file_sha256=digest, dry_run=False, total=report.total, created=report.created,
                                updated=report.updated, unchanged=report.unchanged, rejected=report.rejected,
                                report=report.to_json(), finished_at=utcnow())
                s.add(run)
                if report.created or report.updated:
                    from app.sync import record_change

                    record_change(s, "import", entity_id=None, detail=kind)
                s.flush()
                report.run_id = run.id
                s.commit()
            except BaseException:
                s.rollback()
                raise
        return report

    # --- shared pieces ------------------------------------------------------------------
    def _find_patient(self, s: Session, rec: dict[str, Any]) -> Patient:
        ext = V.text(rec.get("patient_external_id"))
        if ext:
            p = s.scalars(select(Patient).where(Patient.external_id == ext)).first()
            if p is None:
                raise RowRejected(f"no patient with MIS id {ext!r} (import patients first)")
            return p
        full = V.text(rec.get("patient_full_name"))
        if not full:
            raise RowRejected("the patient is not identified (no MIS id and no name)")
        last, first, patr = V.split_full_name(full)
        key = name_key(last, first, patr)
        stmt = select(Patient).where(Patient.name_key == key)
        bd = V.parse_date(rec.get("patient_birth_date"), birth=True, today=self.today)
        if bd:
            stmt = stmt.where(Patient.birth_date == bd)
        cands = list(s.scalars(stmt).all())
        if len(cands) > 1:
            good, _ = V.parse_phones(rec.get("patient_phone"), self.region)
            if good:
                nums = {e for e, _ in good}
                cands = [p for p in cands if nums & {ph.e164 for ph in p.phones}]
        if not cands:
            raise RowRejected(f"no patient {full!r}" + (f" born {bd:%d.%m.%Y}" if bd else "") + " (import patients first)")
        if len(cands) > 1:
            raise RowRejected(f"{len(cands)} patients are called {full!r}; add the MIS id or birth date to tell them apart")
        return cands[0]

    def _doctor(self, s: Session, name: Any, specialty: Any = "") -> Doctor:
        full = V.clean_name(name)
        if not full:
            raise RowRejected("the doctor is missing")
        key = fold(full.replace(".", ". ")).replace(" .", ".")
        cache = self._state.doctors
        if key in cache:
            return cache[key]
        for d in s.scalars(select(Doctor)).all():
            if key in (fold(d.full_name), fold(d.short_name), fold(d.short_name).replace(". ", ".")) or \
                    fold(full).replace(" ", "") == fold(d.short_name).replace(" ", ""):
                cache[key] = d
                return d
        parts = full.split()
        d = Doctor(last_name=parts[0], first_name=parts[1] if len(parts) > 1 else "",
                   patronymic=" ".join(parts[2:]), specialty=V.text(specialty)[:100])
        s.add(d)
        s.flush()
        cache[key] = d
        return d

    def _service(self, s: Session, code: str, name: str, specialty: str, price: int | None) -> Service:
        code, name = code.strip(), " ".join(name.split())
        st = self._state
        if st.services_by_name is None:  # the catalogue once per run (SQLite's lower() is ASCII-only)
            st.services_by_name = {}
            for x in s.scalars(select(Service)).all():
                st.services_by_name.setdefault(fold(x.name), x)
        sv = None
        if code:
            sv = s.scalars(select(Service).where(Service.code == code)).first()
        if sv is None and name:
            sv = st.services_by_name.get(fold(name))
        if sv is not None:
            return sv
        if not code and not name:
            raise RowRejected("a service has neither a code nor a name")
        sv = Service(code=(code or "MIS-" + hashlib.sha1(fold(name).encode()).hexdigest()[:10])[:32],
                     name=(name or code)[:200], specialty=specialty[:100], price=price or 0)
        s.add(sv)
        s.flush()
        st.services_by_name.setdefault(fold(sv.name), sv)
        return sv

    def _link(self, s: Session, kind: str, key: str, model) -> tuple[ImportLink | None, Any]:
        link = s.scalars(select(ImportLink).where(ImportLink.kind == kind, ImportLink.key == key)).first()
        obj = s.get(model, link.local_id) if link else None
        return link, obj

    def _save_link(self, s: Session, link: ImportLink | None, kind: str, key: str, obj, rec) -> None:
        h = _digest(rec)
        if link is None:
            s.add(ImportLink(kind=kind, key=key[:300], local_id=obj.id, row_hash=h))
        else:
            _assign(link, local_id=obj.id, row_hash=h)

    def _key(self, prefix: str, ext: str, natural: str, count: bool = False) -> str:
        """The link key: the MIS id, else the natural key; with ``count`` the n-th identical
        natural key in the file is a separate record (two equal bonus lines on one day)."""
        if ext:
            return f"ext:{ext}"
        if not count:
            return f"nat:{natural}"
        self._state.natural[(prefix, natural)] += 1
        return f"nat:{natural}#{self._state.natural[(prefix, natural)]}"

    def _finish(self, s: Session, kind: str) -> None:
        if kind == "plans":
            for plan_id in self._state.plans_without_status:
                pl = s.get(TreatmentPlan, plan_id)
                if pl is None:
                    continue
                sts = {st.status for st in pl.stages}
                pl.status = "completed" if sts and sts <= {"done", "declined"} and "done" in sts else (
                    "declined" if sts == {"declined"} else "active")

    # --- patients ---------------------------------------------------------------------------
    def _row_patients(self, s: Session, rec: dict[str, Any], rownum: int):
        if V.text(rec.get("full_name")) and not V.text(rec.get("last_name")):
            last, first, patr = V.split_full_name(V.clean_name(rec["full_name"]))
        else:
            last, first, patr = (V.clean_name(rec.get(k)) for k in ("last_name", "first_name", "patronymic"))
        problems: list[str] = []  # every reason at once, so one fix of the export is enough
        if not last or not first:
            raise RowRejected("last name and first name are required")
        if re.search(r"\d|[^\w\s\-'.()]", last + first + patr):
            raise RowRejected(f"{' '.join((last, first, patr)).strip()!r} does not look like a person's name")
        bd = None
        try:
            bd = V.parse_date(rec.get("birth_date"), birth=True, today=self.today)
        except V.ValueProblem as e:
            problems.append(str(e))
        sex = None
        try:
            sex = V.parse_sex(rec.get("sex")) or V.guess_sex(last, first, patr)
            if sex is None:
                problems.append("sex is missing and cannot be told from the name")
        except V.ValueProblem as e:
            problems.append(str(e))
        if problems:
            raise RowRejected("; ".join(problems))
        good, bad = V.parse_phones(rec.get("phones"), self.region)
        notes = [f"phone skipped: {b}" for b in bad]
        ext = V.text(rec.get("external_id"))[:64]
        key = name_key(last, first, patr)
        p: Patient | None = None
        how = ""
        if ext:
            p = s.scalars(select(Patient).where(Patient.external_id == ext)).first()
            how = "MIS id"
        if p is None:
            stmt = select(Patient).where(Patient.name_key == key)
            if bd is not None:
                cands = list(s.scalars(stmt.where(Patient.birth_date == bd)).all())
                how = "name and birth date"
            else:
                nums = {e for e, _ in good}
                cands = [c for c in s.scalars(stmt).all() if nums & {ph.e164 for ph in c.phones}]
                how = "name and phone"
            if ext:  # another patient's MIS id means another person
                cands = [c for c in cands if c.external_id in (None, ext)]
            if len(cands) > 1:
                raise RowRejected(f"{len(cands)} patients match {' '.join((last, first, patr))!r} by {how}; "
                                  "add the MIS id to tell them apart")
            p = cands[0] if cands else None
        scalars: dict[str, Any] = {"last_name": last, "first_name": first, "patronymic": patr,
                                   "name_key": key, "sex": sex}
        if bd is not None:
            scalars["birth_date"] = bd
        if ext:
            scalars["external_id"] = ext
        for fname in ("email", "address", "comments"):
            t = V.text(rec.get(fname))
            if t:
                scalars[fname] = t[: 200 if fname == "email" else 300] if fname != "comments" else t
        for fname in ("consent_calls", "consent_messages"):
            b = V.parse_bool(rec.get(fname))
            if b is not None:
                scalars[fname] = b
        ch = _enum(rec.get("preferred_channel"), _CHANNEL, "channel")
        if ch:
            scalars["preferred_channel"] = ch
        seen = self._state.patients
        if p is None:
            p = Patient(**scalars)
            p.phones = [PatientPhone(e164=e, raw=r, is_primary=(i == 0)) for i, (e, r) in enumerate(good)]
            s.add(p)
            s.flush()
            seen[p.id] = rownum
            return "created", p.id, "; ".join(notes)
        changed = _assign(p, **scalars)
        have = {ph.e164 for ph in p.phones}
        for e, r in good:
            if e not in have:
                p.phones.append(PatientPhone(e164=e, raw=r, is_primary=not p.phones))
                have.add(e)
                changed = True
        s.flush()
        if p.id in seen:
            notes.insert(0, f"same patient as row {seen[p.id]}")
        else:
            seen[p.id] = rownum
            if how != "MIS id":
                notes.insert(0, f"matched an existing patient by {how}")
        return ("updated" if changed else "unchanged"), p.id, "; ".join(notes)

    # --- visits -------------------------------------------------------------------------------
    def _row_visits(self, s: Session, rec: dict[str, Any], rownum: int):
        p = self._find_patient(s, rec)
        when = V.parse_datetime(rec.get("date"), rec.get("time"), today=self.today)
        if when is None:
            raise RowRejected("the visit date is missing")
        d = self._doctor(s, rec.get("doctor"), rec.get("specialty"))
        status = _enum(rec.get("status"), _VISIT_STATUS, "visit status", "done")
        amount = V.parse_int_money(rec.get("amount"))
        bonus_paid = V.parse_int_money(rec.get("bonus_paid")) or 0
        codes = [c for c in re.split(r"[,;\s]+", V.text(rec.get("service_codes"))) if c]
        names = [n.strip() for n in re.split(r"[;\n]|\s\+\s", V.text(rec.get("services"))) if n.strip()]
        items: list[Service] = []
        for i in range(max(len(codes), len(names))):
            items.append(self._service(s, codes[i] if i < len(codes) else "", names[i] if i < len(names) else "",
                                       d.specialty, amount if max(len(codes), len(names)) == 1 else None))
        if amount is None:
            amount = sum(sv.price for sv in items)
        if bonus_paid > amount:
            raise RowRejected(f"paid by bonus ({bonus_paid}) is more than the amount ({amount})")
        ext = V.text(rec.get("external_id"))
        key = self._key("visit", ext, f"{p.id}|{when.isoformat()}|{d.id}")
        link, v = self._link(s, "visit", key, Visit)
        if v is None and not ext:  # adopt a visit that is already here (entered by hand, demo data)
            v = s.scalars(select(Visit).where(Visit.patient_id == p.id, Visit.starts_at == when,
                                              Visit.doctor_id == d.id)).first()
        notes = V.text(rec.get("notes"))
        wanted = [(sv.id, (amount if len(items) == 1 else sv.price)) for sv in items]
        if v is None:
            v = Visit(patient_id=p.id, doctor_id=d.id, starts_at=when, status=status, amount=amount,
                      bonus_paid=bonus_paid, notes=notes)
            v.services = [VisitService(service_id=sid, price=pr) for sid, pr in wanted]
            s.add(v)
            s.flush()
            self._save_link(s, link, "visit", key, v, rec)
            return "created", v.id, ""
        changed = _assign(v, patient_id=p.id, doctor_id=d.id, starts_at=when, status=status, amount=amount,
                          bonus_paid=bonus_paid)
        if notes and v.notes != notes:
            v.notes, changed = notes, True
        if [(vs.service_id, vs.price) for vs in v.services] != wanted and items:
            v.services = [VisitService(service_id=sid, price=pr) for sid, pr in wanted]
            changed = True
        s.flush()
        self._save_link(s, link, "visit", key, v, rec)
        return ("updated" if changed else "unchanged"), v.id, ""

    # --- plans (one row per stage) --------------------------------------------------------------
    def _row_plans(self, s: Session, rec: dict[str, Any], rownum: int):
        p = self._find_patient(s, rec)
        d = self._doctor(s, rec.get("doctor"))
        title = V.text(rec.get("title"))[:200]
        if not title:
            raise RowRejected("the plan title is missing")
        created_on = V.parse_date(rec.get("created_on"), today=self.today) or (self.today or date.today())
        plan_status = _enum(rec.get("plan_status"), _PLAN_STATUS, "plan status")
        ext = V.text(rec.get("external_id"))
        pkey = f"ext:{ext}" if ext else f"nat:{p.id}|{fold(title)}|{created_on.isoformat()}"
        changed = False
        created = False
        pl = self._state.plan_by_key.get(pkey)
        if pl is None:
            link, pl = self._link(s, "plan", pkey, TreatmentPlan)
            if pl is None:
                pl = TreatmentPlan(patient_id=p.id, doctor_id=d.id, title=title, created_on=created_on,
                                   status=plan_status or "active")
                s.add(pl)
                s.flush()
                created = True
                self._state.created_plans.add(pl.id)
            self._save_link(s, link, "plan", pkey, pl, {"key": pkey})
            self._state.plan_by_key[pkey] = pl
        changed |= _assign(pl, patient_id=p.id, doctor_id=d.id, title=title, created_on=created_on)
        if plan_status:
            changed |= _assign(pl, status=plan_status)
        else:
            self._state.plans_without_status.add(pl.id)
        seq = V.parse_int(rec.get("stage_seq"))
        code = V.text(rec.get("service_code"))
        stage_title = V.text(rec.get("stage_title"))[:200]
        sv = self._service(s, code, stage_title, d.specialty, None) if code else None
        if not stage_title:
            stage_title = sv.name if sv else ""
        if seq is None:
            same = next((st.seq for st in pl.stages if st.title == stage_title), None)
            seq = same if same is not None else max(
                self._state.next_seq.get(pl.id, 0), max((st.seq for st in pl.stages), default=0)) + 1
        self._state.next_seq[pl.id] = max(seq, self._state.next_seq.get(pl.id, 0))
        price = V.parse_int_money(rec.get("stage_price"))
        due = V.parse_date(rec.get("stage_due"), today=self.today)
        st_status = _enum(rec.get("stage_status"), _STAGE_STATUS, "stage status", "due")
        stage = next((st for st in pl.stages if st.seq == seq), None)
        vals = dict(title=stage_title, price=price if price is not None else (sv.price if sv else 0), due_on=due,
                    status=st_status, service_id=sv.id if sv else None)
        if stage is None:  # the row's stage is new: "created" (the plan too, when it was)
            pl.stages.append(PlanStage(seq=seq, **vals))
            s.flush()
            return "created", pl.id, "" if pl.id in self._state.created_plans else f"stage {seq} added to plan {title!r}"
        changed |= _assign(stage, **vals)
        s.flush()
        return ("updated" if changed else "unchanged"), pl.id, ""

    # --- appointments -------------------------------------------------------------------------
    def _row_appointments(self, s: Session, rec: dict[str, Any], rownum: int):
        p = self._find_patient(s, rec)
        when = V.parse_datetime(rec.get("date"), rec.get("time"), today=self.today)
        if when is None:
            raise RowRejected("the appointment date is missing")
        d = self._doctor(s, rec.get("doctor"), rec.get("specialty"))
        status = _enum(rec.get("status"), _APPT_STATUS, "appointment status", "scheduled")
        svname = V.text(rec.get("service"))
        sv = self._service(s, "", svname, d.specialty, None) if svname else None
        ext = V.text(rec.get("external_id"))
        key = self._key("appt", ext, f"{p.id}|{when.isoformat()}|{d.id}")
        link, a = self._link(s, "appointment", key, Appointment)
        if a is None and not ext:
            a = s.scalars(select(Appointment).where(Appointment.patient_id == p.id, Appointment.starts_at == when,
                                                    Appointment.doctor_id == d.id)).first()
        vals = dict(patient_id=p.id, doctor_id=d.id, starts_at=when, status=status, service_id=sv.id if sv else None)
        if a is None:
            a = Appointment(**vals)
            s.add(a)
            s.flush()
            self._save_link(s, link, "appointment", key, a, rec)
            return "created", a.id, ""
        changed = _assign(a, **vals)
        s.flush()
        self._save_link(s, link, "appointment", key, a, rec)
        return ("updated" if changed else "unchanged"), a.id, ""

    # --- bonus ledger ---------------------------------------------------------------------------
    def _row_bonus(self, s: Session, rec: dict[str, Any], rownum: int):
        p = self._find_patient(s, rec)
        amount = V.parse_int_money(rec.get("amount"))
        if amount is None or amount == 0:
            raise RowRejected("the amount is missing or zero")
        kind = _enum(rec.get("kind"), _BONUS_KIND, "bonus operation")
        if kind is None:
            kind = "accrual" if amount > 0 else "redemption"
        amount = abs(amount)
        on = V.parse_date(rec.get("on_date"), today=self.today)
        if on is None:
            raise RowRejected("the date is missing")
        expires = V.parse_date(rec.get("expires_on"), today=self.today)
        note = ""
        if kind in ("accrual", "compensation") and expires is None:
            expires = on + timedelta(days=self.bonus_expiry_days)
            note = f"no expiry date in the file: set to {expires:%d.%m.%Y} ({self.bonus_expiry_days} days)"
        if expires is not None and expires < on:
            raise RowRejected(f"expires {expires:%d.%m.%Y} before it was given ({on:%d.%m.%Y})")
        if kind not in ("accrual", "compensation"):
            expires = None
        reason = V.text(rec.get("reason"))[:200]
        ext = V.text(rec.get("external_id"))
        key = self._key("bonus", ext, f"{p.id}|{kind}|{amount}|{on.isoformat()}|{fold(reason)}", count=True)
        link, b = self._link(s, "bonus", key, BonusEntry)
        vals = dict(patient_id=p.id, kind=kind, amount=amount, on_date=on, expires_on=expires, reason=reason)
        if b is None:
            b = BonusEntry(**vals)
            s.add(b)
            s.flush()
            self._save_link(s, link, "bonus", key, b, rec)
            return "created", b.id, note
        changed = _assign(b, **vals)
        s.flush()
        self._save_link(s, link, "bonus", key, b, rec)
        return ("updated" if changed else "unchanged"), b.id, ""


@dataclass
class _RunState:
    patients: dict[int, int] = field(default_factory=dict)  # patient id -> first row
    doctors: dict[str, Doctor] = field(default_factory=dict)
    natural: Counter = field(default_factory=Counter)
    plan_by_key: dict[str, TreatmentPlan] = field(default_factory=dict)
    plans_without_status: set[int] = field(default_factory=set)
    created_plans: set[int] = field(default_factory=set)
    services_by_name: dict[str, Service] | None = None
    next_seq: dict[int, int] = field(default_factory=dict)

    def forget(self) -> None:
        """After a rolled-back row: cached objects it created are gone with it."""
        self.doctors.clear()
        self.plan_by_key.clear()
        self.services_by_name = None


def _record(vals: list[Any], idx: dict[str, list[int]]) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for f, cols in idx.items():
        cells = [vals[i] for i in cols if i < len(vals)]
        cells = [c for c in cells if c is not None and not (isinstance(c, str) and not c.strip())]
        if not cells:
            rec[f] = None
        elif len(cells) == 1:
            rec[f] = cells[0]
        else:
            rec[f] = "; ".join(V.text(c) for c in cells)
    return rec


# --- convenience for the CLI and the UI -------------------------------------------------------

def resolve_columns(s: Session, kind: str, headers: list[str], mapping_name: str | None) -> tuple[dict[str, str], str]:
    """The mapping to use: a saved/preset one by name, else a guess from the headers."""
    if mapping_name:
        cols = mapping_mod.load(s, mapping_name, kind)
        if cols is None:
            raise mapping_mod.MappingError(
                f"no mapping {mapping_name!r} for {kind} (saved: {', '.join(mapping_mod.names(s, kind)) or 'none'})")
        return cols, mapping_name
    return mapping_mod.guess(kind, headers), ""
