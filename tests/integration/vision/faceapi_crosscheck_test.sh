#!/usr/bin/env bash
# The dlib ResNet weight conversion against @vladmandic/face-api 1.7.15's own TensorFlow.js
# forward pass: the pinned tarball set-up cached (scripts/setup.d/50-face-models.sh) holds the
# network code as well as the weights, so the two implementations run on the same chip here and
# must agree within 1e-5 once face-api is given dlib's input normalisation (see
# tests/bench/vision/faceapi_crosscheck.mjs and docs/models.md).
#
# Usage: faceapi_crosscheck_test.sh MAKE_FACE_REFERENCE CROSSCHECK.mjs ASSETS_DIR
set -euo pipefail

make_reference="$1"
crosscheck="$2"
assets="$3"
cache="${EXAMGUARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/examguard}/npm"
tarball="$cache/vladmandic-face-api-1.7.15.tgz"
pinned=0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031

if [ ! -f "$tarball" ]; then
    echo "FAIL: $tarball is missing: scripts/setup.sh caches it (npm pack, pinned SHA-256)" >&2
    exit 1
fi
if [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$pinned" ]; then
    echo "FAIL: $tarball does not have the pinned SHA-256 $pinned" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/dist/face-api.esm.js
EXAMGUARD_ASSETS_DIR="$assets" "$make_reference" "$work/ref.txt" "$work/chip.rgb"
node "$crosscheck" "$work/package/dist/face-api.esm.js" "$assets/models" "$work/chip.rgb" \
    "$work/ref.txt"
