#!/usr/bin/env bash
# Installs everything ExamGuard needs on Debian 12: the packages listed in
# scripts/packages/*.txt, then the pinned assets prepared by scripts/setup.d/*.sh.
# Non-interactive and idempotent: running it twice changes nothing the second time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export EXAMGUARD_ASSETS_DIR="${EXAMGUARD_ASSETS_DIR:-$root/assets}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

mapfile -t packages < <(cat "$here"/packages/*.txt | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    echo "setup: all ${#packages[@]} Debian packages already installed"
fi

mkdir -p "$EXAMGUARD_ASSETS_DIR"
for step in "$here"/setup.d/*.sh; do
    [ -e "$step" ] || continue
    echo "setup: $(basename "$step")"
    bash "$step"
done
echo "setup: done"
