"""Puts the script panel, the call lists page and the script editor into the main window.

Called once from the composition root (ui/main.py) with the window, the AppContext and the
task runner. Kept here so ui/main.py needs a single line.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QCoreApplication, QTimer


def install(window, ctx, runner, who: str | None = None) -> dict:
    from ui.call_lists.page import CallListPage
    from ui.scripts.editor import ScriptEditor
    from ui.scripts.panel import ScriptPanel

    who = who or getpass.getuser()
    panel = ScriptPanel(ctx.scripts, runner)
    window.add_side_panel(panel, QCoreApplication.translate("ScriptWiring", "Script"))
    window.patient_opened.connect(panel.load_patient)

    def on_incoming(_e164: str) -> None:
        lk = getattr(window, "current_lookup", None)
        if lk is not None and lk.is_new_caller:
            panel.load_new_caller(lk.display)

    window.incoming_shown.connect(on_incoming)
    page = CallListPage(ctx.call_lists, runner, who)
    window.add_page(page, QCoreApplication.translate("ScriptWiring", "Call lists"), "Ctrl+L")
    page.call_requested.connect(lambda _pid, number: _dial(window, number))
    page.refresh()
    editor = ScriptEditor(ctx.scripts, ctx.cards, runner, author=who)
    window.add_page(editor, QCoreApplication.translate("ScriptWiring", "Scripts"), "Ctrl+Shift+E")
    # The checklist and the script version go with the call when the outcome is saved on the
    # telephony call bar (another area; found by name once every area is installed).
    QTimer.singleShot(0, panel, lambda: connect_call_bar(window, panel))
    QTimer.singleShot(0, editor, lambda: connect_sign_in(window, editor))
    return {"panel": panel, "call_lists": page, "editor": editor}


def _call_bar(window):
    from PySide6.QtWidgets import QWidget

    bar = window.findChild(QWidget, "call_bar")
    return bar if bar is not None and hasattr(bar, "disposition_saved") else None


def _dial(window, number: str) -> None:
    """Dial through the softphone/PBX when telephony is installed; otherwise show the card."""
    bar = _call_bar(window)
    if bar is not None and hasattr(bar, "dial"):
        bar.dial(number)
    else:
        window.show_incoming(number, "outbound", "list")


def connect_call_bar(window, panel) -> bool:
    bar = _call_bar(window)
    if bar is None:
        return False
    bar.disposition_saved.connect(lambda call_id, _disposition: panel.save_to_call(call_id))
    return True


def connect_sign_in(window, editor) -> bool:
    """Unlock the script editor for a supervisor signed in on the review page (another area)."""
    from PySide6.QtWidgets import QWidget

    hub = next((w for w in window.findChildren(QWidget) if hasattr(w, "signed_in") and hasattr(w, "signed_out")
                and type(w).__name__ == "ReviewHub"), None)
    if hub is None:
        return False
    hub.signed_in.connect(editor.set_principal)
    hub.signed_out.connect(lambda: editor.set_principal(None))
    return True
