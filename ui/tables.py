"""Column widths fitted to their texts without Qt's ``ResizeToContents``.

``QHeaderView.ResizeToContents`` asks the item delegate for the size of every cell of a column on
every layout pass (a text layout per cell); a table refilled on each call (the card's visit
history) or holding a page of 500 calls paid that again and again on the UI thread. Here the
widths are measured once per fill, with the view's font: one ``horizontalAdvance`` per distinct
text, nothing per layout pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import QAbstractItemView, QStyle


def fit_columns(view: QAbstractItemView, texts: Mapping[int, Iterable[str]], max_width: int | None = None) -> None:
    """Each column in *texts* as wide as its header and the widest of its texts, plus the item
    delegate's text margins (QCommonStyle: PM_FocusFrameHMargin + 1 on each side), at most
    *max_width* px. The header's resize mode of those columns must let ``resizeSection`` work
    (Interactive or Fixed)."""
    view.ensurePolished()  # the style sheet's font
    head = view.horizontalHeader()
    fm = view.fontMetrics()
    pad = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + 2
    for c, column in texts.items():
        widest = max((fm.horizontalAdvance(t) for t in set(column) if t), default=0)
        width = max(head.sectionSizeHint(c), widest + pad)
        if max_width is not None:
            width = min(width, max_width)
        if head.sectionSize(c) != width:
            head.resizeSection(c, width)
