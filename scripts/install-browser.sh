#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser), when it is missing.
# Playwright's own `playwright install` downloads a browser build of its own, which this
# project's machines cannot fetch; Debian's package is the browser the tests drive instead.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install-browser: $CHROMIUM is missing, and installing it needs root (or password-less sudo)." >&2
    echo "install-browser: run as root: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and this machine has no apt-get; install Chromium by hand so that $CHROMIUM exists." >&2
    exit 1
fi

echo "install-browser: $CHROMIUM is missing; installing Debian's chromium package"
echo "install-browser: + apt-get update"
if ! "${SUDO[@]}" apt-get update; then
    echo "install-browser: apt-get update failed; cannot install Chromium." >&2
    exit 1
fi
echo "install-browser: + apt-get install -y --no-install-recommends chromium"
if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium; then
    echo "install-browser: apt-get install chromium failed; the browser tests cannot run." >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: the chromium package installed, but $CHROMIUM is still missing." >&2
    exit 1
fi
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
