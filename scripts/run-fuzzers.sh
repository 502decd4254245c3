#!/usr/bin/env bash
# Runs every libFuzzer target found in BUILD_DIR for SECONDS each, seeded with the corpus in
# tests/fuzz/<target>/corpus when present. Fails on the first crash.
set -euo pipefail
build="$(realpath "${1:?build dir}")"
seconds="${2:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mapfile -t targets < <(find "$build" -type f -name '*_fuzz' -perm -u+x | sort)
if [ "${#targets[@]}" -eq 0 ]; then
    echo "run-fuzzers: no fuzz targets built in $build" >&2
    exit 1
fi
for target in "${targets[@]}"; do
    name="$(basename "$target")"
    work="$(mktemp -d)"
    seeds=()
    for dir in "$root"/tests/fuzz/*/corpus/"$name"; do
        [ -d "$dir" ] && seeds+=("$dir")
    done
    echo "run-fuzzers: $name for ${seconds}s"
    (cd "$work" && "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$work" "${seeds[@]}" 2>&1 | tail -n 12)
    rm -rf "$work"
done
