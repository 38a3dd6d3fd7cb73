"""Meeting mode is read from across the room: the clinic style sheet makes its text large."""

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.main import style_sheet
from ui.review.player import PlayerWidget


def test_meeting_transcript_is_large_and_the_review_one_is_not(qtbot):
    host = QWidget()
    host.setStyleSheet(style_sheet())
    lay = QVBoxLayout(host)
    meeting, review = PlayerWidget(large=True), PlayerWidget()
    lay.addWidget(meeting)
    lay.addWidget(review)
    qtbot.addWidget(host)
    host.ensurePolished()
    for w in (meeting.transcript, review.transcript):
        w.ensurePolished()
    assert meeting.transcript.font().pixelSize() >= 24
    assert review.transcript.font().pixelSize() == 14
