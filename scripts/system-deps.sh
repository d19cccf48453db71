#!/usr/bin/env bash
# Install the Debian packages the app needs: Tesseract (VIN OCR, Spanish data) and fonts
# (PDFs, generated OCR test images); with no argument also Chromium (browser tests, driven by
# Playwright through its executable path). `system-deps.sh runtime` is the Docker image's set.
# Idempotent: does nothing when everything is present.
# Without root/sudo it prints the command to run and fails only if REQUIRE_SYSTEM_DEPS=1.
set -euo pipefail

packages=(tesseract-ocr tesseract-ocr-spa fonts-dejavu-core fonts-liberation2)
[ "${1:-dev}" = runtime ] || packages+=(chromium poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "System packages missing: ${missing[*]} (no apt-get here: install them with your package manager)." >&2
  [ "${REQUIRE_SYSTEM_DEPS:-0}" = 1 ] && exit 1 || exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "System packages missing: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2
    [ "${REQUIRE_SYSTEM_DEPS:-0}" = 1 ] && exit 1 || exit 0
  fi
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
