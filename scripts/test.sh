#!/usr/bin/env bash
# Runs the whole test suite (SQLite and the PostgreSQL at 127.0.0.1:5432, the real speech
# model, real baresip agents). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
# keyring tests run inside their own D-Bus session with a real gnome-keyring (see tests/).
exec .venv/bin/python -m pytest "$@"
