#!/usr/bin/env bash
# Starts CareCall on the embedded default: a SQLite database in the user's data directory,
# filled with a generated demo clinic on first start, and the bundled speech model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/carecall "$@"
