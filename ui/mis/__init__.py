"""MIS import in the window: :class:`ui.mis.import_wizard.ImportWizard` (a page for
``MainWindow.add_page``)."""
