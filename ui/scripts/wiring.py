"""Puts the script panel, the call lists page and the script editor into the main window.

Called once from the composition root (ui/main.py) with the window, the AppContext and the
task runner. Kept here so ui/main.py needs a single line.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QCoreApplication


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
    page.call_requested.connect(lambda _pid, number: window.show_incoming(number, "outbound", "list"))
    page.refresh()
    editor = ScriptEditor(ctx.scripts, ctx.cards, runner, author=who)
    window.add_page(editor, QCoreApplication.translate("ScriptWiring", "Scripts"), "Ctrl+Shift+E")
    return {"panel": panel, "call_lists": page, "editor": editor}
