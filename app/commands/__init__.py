"""Subcommands of ``carecall``. Each module has ``register(subparsers, common)``.

Add a module to COMMAND_MODULES to add commands; keep each area's commands in its own module.
"""

COMMAND_MODULES = [
    "app.commands.gui",
    "app.commands.card",
    "app.commands.demo",
    "app.commands.secret",
    "app.commands.telephony",  # issue 5
    "app.commands.lists",  # issue 3
    "app.commands.bonus",  # issue 3
    "app.commands.review",
    "app.commands.transcription",
    "app.commands.mis",
    "app.commands.key",
]
