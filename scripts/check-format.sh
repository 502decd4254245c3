#!/usr/bin/env bash
# Fails when a C++ file differs from what .clang-format asks for.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h' '*.hpp')
[ "${#files[@]}" -gt 0 ] || exit 0
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/examguard-format.log; then
    grep -m 20 'error:' /tmp/examguard-format.log || true
    echo "check-format: run 'clang-format -i' on the files above" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files formatted"
