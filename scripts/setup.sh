#!/usr/bin/env bash
# Prepares this checkout to run CareCall on a fresh Debian machine.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SYSTEM_PACKAGES=(
  baresip-core            # SIP user agent (softphone)
  espeak-ng sox libsox-fmt-all festival festvox-us-slt-hts festvox-ru  # test speech
  libportaudio2 alsa-utils  # sounddevice's PortAudio
  gcc libc6-dev           # tests/benchmarks: the FIFO capture devices' read shim (scripts/alsa_fifo.py)
  libsndfile1             # recordings' Opus encoder: 41 % less CPU than the soundfile wheel's (app/recording/sndlib.py)
  ffmpeg                  # decoding of odd audio formats
  gnome-keyring dbus      # a real Secret Service for keyring tests
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core  # Qt offscreen
)

missing=()
for p in "${SYSTEM_PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating virtual environment in .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.carecall-installed
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  # openai-whisper (selectable engine) needs torch; the CPU build first keeps pip from
  # pulling a multi-GB CUDA build.
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[dev,openai]"
  echo "$want" > "$stamp"
fi
# Compile Qt translations (.ts -> .qm) when a source is newer.
for ts in resources/translations/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
  fi
done
