"""Puts the deployment area into the main window (listed in ui.main.WINDOW_MODULES):

* the "Import from MIS" page;
* cross-workstation freshness: a :class:`ui.sync.ChangeBridge` on the database, so the open
  card reloads when a disposition for its patient is saved on another workstation (LISTEN/NOTIFY
  on PostgreSQL, polling every second on SQLite). Stopped when the application quits.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.mis.import_wizard import ImportWizard
from ui.sync import ChangeBridge, follow_open_card


def install(window, ctx, runner) -> dict:
    s = ctx.settings
    wizard = ImportWizard(ctx.sessions, runner, region=s.phone.default_region,
                          bonus_expiry_days=s.bonus.expiry_days)
    window.add_page(wizard, wizard.page_title())
    bridge = ChangeBridge(ctx.engine, parent=window)
    follow_open_card(bridge, window)
    wizard.imported.connect(lambda _rep: window.reload_card())
    bridge.start()
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(bridge.stop)
    window.destroyed.connect(lambda *_: bridge.stop())
    return {"import_wizard": wizard, "change_bridge": bridge}
