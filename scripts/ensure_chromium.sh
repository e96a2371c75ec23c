#!/usr/bin/env bash
# The dashboard's browser test drives Debian's Chromium (Playwright's own browser download
# cannot work offline). Install it when missing and we may; otherwise the test skips, and
# under CI=true that skip fails.
set -u
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (once)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
    >/tmp/ledgerdesk-chromium-install.log 2>&1 \
    || echo "chromium install failed (see /tmp/ledgerdesk-chromium-install.log); browser tests will skip"
else
  echo "chromium not found and cannot be installed here; browser tests will skip"
fi
exit 0
