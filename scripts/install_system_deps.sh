#!/usr/bin/env bash
# System libraries the Python packages need: Pango (with HarfBuzz and fontconfig) for WeasyPrint
# (PDF client reports) and a font. Installs them with apt-get where they are missing; does
# nothing where they are present. Called by `make install-test`.
set -euo pipefail
need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need+=(libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz.so.0' || need+=(libharfbuzz0b)
fc-list 2>/dev/null | grep -qi 'dejavu' || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: missing ${need[*]} and no apt-get; install Pango for WeasyPrint" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_system_deps: installing ${need[*]}" >&2
$SUDO apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
