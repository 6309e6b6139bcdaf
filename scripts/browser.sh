#!/usr/bin/env bash
# Print the path of a headless Chromium for the browser tests, installing Debian's
# chromium-headless-shell with apt when none is present (Playwright's own browser
# download is not used). Exit 1 with a message when no browser can be had.
set -euo pipefail
find_browser() {
  for b in /usr/lib/chromium/chromium-headless-shell /usr/bin/chromium-headless-shell \
           /usr/lib/chromium/chromium /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  return 1
}
if find_browser; then exit 0; fi
if [ "$(id -u)" != "0" ] && ! command -v sudo >/dev/null; then
  echo "scripts/browser.sh: no headless Chromium found and not root; install chromium-headless-shell" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
echo "scripts/browser.sh: installing chromium-headless-shell with apt" >&2
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  chromium-headless-shell fonts-dejavu-core >&2 \
  || DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >&2
find_browser || { echo "scripts/browser.sh: installation gave no chromium binary" >&2; exit 1; }
