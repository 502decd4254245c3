#!/usr/bin/env bash
# Set up, build and run the demo: README command (a).
#   scripts/demo.sh [DIR]      the demo's files go to DIR (default ./examguard-demo)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
exec build/release/station/examguard demo --out "${1:-$root/examguard-demo}"
