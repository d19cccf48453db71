#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 runs on 3.10 only), or explain
# how to get one and fail.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in "$root"/versions/3.10*; do [ -x "$d/bin/python3.10" ] && candidates+=("$d/bin/python3.10"); done
fi
for p in /usr/bin/python3.10 /usr/local/bin/python3.10; do [ -x "$p" ] && candidates+=("$p"); done
if command -v uv >/dev/null 2>&1; then
  p=$(uv python find 3.10 2>/dev/null || true)
  [ -n "$p" ] && candidates+=("$p")
fi

for c in "${candidates[@]}"; do
  if is_310 "$c"; then
    # resolve pyenv shims to the real interpreter so the venv does not depend on the shim
    "$c" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done

cat >&2 <<'MSG'
Python 3.10 not found. Rasa 3.6 needs it (the app itself uses Python 3.11).
Install one of:
  - pyenv:  pyenv install 3.10
  - uv:     uv python install 3.10
  - Ubuntu 22.04: apt-get install python3.10 python3.10-venv (other Ubuntus: the deadsnakes PPA)
  - Debian 12 has no python3.10 package: use pyenv or uv (above)
or point PYTHON310 at an interpreter:  make setup PYTHON310=/path/to/python3.10
MSG
exit 1
