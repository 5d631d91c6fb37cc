#!/usr/bin/env bash
# Make sure a chromium is there for the browser test (make test-browser) and print its path.
# Used by .ci/run; safe to run by hand. Installs Debian's chromium when it is missing and we
# are root with apt-get; otherwise says what to do and fails. (Playwright's own browser
# download does not work offline: the test drives the system chromium.)
set -euo pipefail
found=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$found" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) >&2
    found=$(command -v chromium || true)
  fi
fi
if [ -z "$found" ]; then
  echo "chromium is not installed and cannot be installed here: install Debian's chromium" \
       "(apt-get install chromium) or set FOCUSLEX_CHROMIUM to a chromium binary" >&2
  exit 1
fi
echo "$found"
