"""Reading a MIS export: CSV in whatever encoding and delimiter it came in, or XLSX.

CSV encoding: a BOM decides (UTF-8/UTF-16); otherwise strict UTF-8; otherwise Windows-1251
(what Russian MIS and Excel write); charset-normalizer only when even that looks wrong.
The delimiter is sniffed among ``;``, ``,`` and tab: the one that splits the first lines into
the same number (>1) of columns wins.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ReadError(ValueError):
    """The file cannot be read as a table; the message is for a person."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, 1-based; values)
    source: str = ""
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    def preview(self, n: int = 10) -> list[list[Any]]:
        return [vals for _, vals in self.rows[:n]]


def read_table(path: str | Path, sheet: str | None = None) -> Table:
    p = Path(path)
    if not p.exists():
        raise ReadError(f"file not found: {p}")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(p, sheet)
    if p.suffix.lower() == ".xls":
        raise ReadError(f"{p.name}: the old Excel format (.xls) is not supported; save it as .xlsx or CSV")
    return read_csv_bytes(p.read_bytes(), source=str(p))


# --- CSV ---------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    # Windows-1251 decodes almost any byte string; if the result is mostly Cyrillic/ASCII we
    # trust it, otherwise ask charset-normalizer (e.g. a KOI8-R or CP866 export).
    letters = sum(1 for ch in text if ch.isalpha())
    cyr_lower = sum(1 for ch in text if "а" <= ch <= "я" or ch == "ё")
    cyr_upper = sum(1 for ch in text if "А" <= ch <= "Я" or ch == "Ё")
    nonascii = sum(1 for ch in text if ord(ch) > 127)
    cyr = cyr_lower + cyr_upper
    if "\ufffd" not in text and (letters == 0 or cyr_upper <= 3 * cyr_lower + 10) \
            and (nonascii == 0 or cyr >= 0.9 * nonascii):
        return text, "cp1251"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best), best.encoding
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    return text, "cp1251"


_DELIMS = [";", ",", "\t", "|"]


def sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    if not lines:
        return ";"
    best, best_score = ";", (-1, -1)
    for d in _DELIMS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_bytes(data: bytes, source: str = "") -> Table:
    if not data.strip():
        raise ReadError(f"{source or 'the file'} is empty")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(f"{source or 'the file'} is not a text (CSV) file")
    text, enc = decode(data)
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    raw: list[tuple[int, list[Any]]] = []
    line = 0
    try:
        for vals in reader:
            start = line + 1
            line = reader.line_num
            if any(v.strip() for v in vals):
                raw.append((start, [v.strip() for v in vals]))
    except csv.Error as e:
        raise ReadError(f"{source or 'the file'}: broken CSV near line {line + 1}: {e}") from None
    headers, rows, notes = _split_header(raw, source)
    return Table(headers, rows, source, enc, delim, notes)


def _split_header(raw: list[tuple[int, list[Any]]], source: str) -> tuple[list[str], list[tuple[int, list[Any]]], list[str]]:
    """The header is the first row (of the first ten) that is nearly as wide as the widest:
    report titles and blank lines above it are skipped."""
    if not raw:
        raise ReadError(f"{source or 'the file'} has no header row")

    def filled(vals):
        return sum(1 for v in vals if v is not None and str(v).strip())

    head = raw[:10]
    widest = max(filled(v) for _, v in head)
    at = next(i for i, (_, v) in enumerate(head) if filled(v) >= max(2, widest * 0.6) or widest < 2)
    headers = [_clean_header(v) for v in raw[at][1]]
    while headers and not headers[-1]:
        headers.pop()
    notes = [f"row {raw[i][0]} above the header skipped" for i in range(at)]
    rows = [(n, vals[: max(len(headers), 1)]) for n, vals in raw[at + 1:]]
    return headers, rows, notes


def _clean_header(v: Any) -> str:
    return " ".join(str(v if v is not None else "").replace("\ufeff", "").split())


# --- XLSX --------------------------------------------------------------------------------

def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise ReadError(f"{path.name} is not a readable Excel (.xlsx) file: {e}") from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        raw: list[tuple[int, list[Any]]] = []
        for rownum, vals in enumerate(ws.iter_rows(values_only=True), start=1):
            if any(v is not None and str(v).strip() for v in vals):
                raw.append((rownum, [v.strip() if isinstance(v, str) else v for v in vals]))
    except KeyError:
        raise ReadError(f"{path.name} has no sheet {sheet!r}") from None
    finally:
        wb.close()
    if not raw:
        raise ReadError(f"{path.name} is empty")
    headers, rows, notes = _split_header(raw, path.name)
    return Table(headers, rows, str(path), "xlsx", "", notes)
