#!/usr/bin/env bash
# Builds the installable one-folder CareCall (dist/CareCall/CareCall) with PyInstaller, then runs
# its self-test offscreen. Usage: bash scripts/build_bundle.sh [--no-self-test]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build.spec
echo "build: $(( $(date +%s) - start )) s, $(du -sh dist/CareCall | cut -f1) in dist/CareCall"
if [ "${1:-}" != "--no-self-test" ]; then
  QT_QPA_PLATFORM=offscreen dist/CareCall/CareCall --self-test
fi
