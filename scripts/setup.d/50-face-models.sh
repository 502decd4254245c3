#!/usr/bin/env bash
# Face-model assets for vision/ (issue 5), taken from two pinned npm packages.
# Run by scripts/setup.sh; safe to run alone. Nothing is downloaded at run time: the station
# reads the files this script places in "$EXAMGUARD_ASSETS_DIR/models/".
#
# Every tarball and every extracted file is checked against a SHA-256 pinned here, so a changed
# registry entry or a corrupted cache stops set-up loudly instead of shipping a different model.
# Provenance and licences: docs/models.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
assets="${EXAMGUARD_ASSETS_DIR:-$root/assets}"
models="$assets/models"
cache="${EXAMGUARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/examguard}/npm"

# package spec | tarball file name npm pack writes | tarball SHA-256
packages=(
    "@vladmandic/face-api@1.7.15|vladmandic-face-api-1.7.15.tgz|0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"
    "faceplugin-face-recognition-js@0.0.1|faceplugin-face-recognition-js-0.0.1.tgz|7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba"
)

# tarball | member inside the tarball | installed path under the assets directory | SHA-256
files=(
    "vladmandic-face-api-1.7.15.tgz|package/model/face_recognition_model.bin|models/face_recognition_model.bin|b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"
    "vladmandic-face-api-1.7.15.tgz|package/model/face_recognition_model-weights_manifest.json|models/face_recognition_model-weights_manifest.json|cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"
    "vladmandic-face-api-1.7.15.tgz|package/LICENSE|models/LICENSE.face-api|9a3442b79acaf4fbc7c2e07b7e2d8f84af9bb3871bf08a69d80304ab00640e9a"
    "faceplugin-face-recognition-js-0.0.1.tgz|package/model/fr_feature.onnx|models/fr_feature.onnx|87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581"
    "faceplugin-face-recognition-js-0.0.1.tgz|package/model/fr_liveness.onnx|models/fr_liveness.onnx|afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d"
    "faceplugin-face-recognition-js-0.0.1.tgz|package/LICENSE|models/LICENSE.faceplugin|ceb7e9130f684a8e335940a09ccfb81c2fa18f6aa54975d656c54bb7992aee1a"
    # Photos by face-api's author (same MIT package) for `examguard demo`'s check-ins.
    "vladmandic-face-api-1.7.15.tgz|package/demo/sample5.jpg|demo-faces/sample5.jpg|6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"
    "vladmandic-face-api-1.7.15.tgz|package/demo/sample2.jpg|demo-faces/sample2.jpg|7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691"
    "vladmandic-face-api-1.7.15.tgz|package/demo/sample3.jpg|demo-faces/sample3.jpg|8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936"
    "vladmandic-face-api-1.7.15.tgz|package/demo/sample6.jpg|demo-faces/sample6.jpg|9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87"
)

die() {
    echo "50-face-models: ERROR: $*" >&2
    exit 1
}

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

installed_ok() {
    local entry name sum
    for entry in "${files[@]}"; do
        IFS='|' read -r _ _ name sum <<<"$entry"
        [ -f "$assets/$name" ] && [ "$(sha_of "$assets/$name")" = "$sum" ] || return 1
    done
}

if installed_ok; then
    echo "50-face-models: all files present in $assets with pinned hashes; nothing to do"
    exit 0
fi

# npm is not in scripts/packages/vision.txt: on Debian it is the package `npm`, but NodeSource's
# `nodejs` bundles npm and conflicts with that package, so install it only when it is absent.
if ! command -v npm >/dev/null; then
    echo "50-face-models: npm not found; installing Debian's npm"
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm ||
        die "npm is needed once at set-up (Debian package: npm)"
fi
mkdir -p "$cache" "$models"

for entry in "${packages[@]}"; do
    IFS='|' read -r spec tarball sum <<<"$entry"
    if [ -f "$cache/$tarball" ] && [ "$(sha_of "$cache/$tarball")" = "$sum" ]; then
        continue
    fi
    rm -f "$cache/$tarball"
    echo "50-face-models: npm pack $spec"
    (cd "$cache" && npm pack --silent "$spec" >/dev/null) || die "npm pack $spec failed"
    [ -f "$cache/$tarball" ] || die "npm pack $spec did not produce $tarball"
    got="$(sha_of "$cache/$tarball")"
    if [ "$got" != "$sum" ]; then
        mv "$cache/$tarball" "$cache/$tarball.rejected"
        die "SHA-256 mismatch for $spec: expected $sum, got $got (kept as $cache/$tarball.rejected)"
    fi
done

# Extract into a temporary directory and move each file into place only after its hash
# matches, so an interrupted or failed run never leaves a half-written model behind.
tmp="$(mktemp -d "$models/.extract.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
for entry in "${files[@]}"; do
    IFS='|' read -r tarball member name sum <<<"$entry"
    tar -xzf "$cache/$tarball" -C "$tmp" "$member" || die "$member missing from $tarball"
    got="$(sha_of "$tmp/$member")"
    [ "$got" = "$sum" ] || die "SHA-256 mismatch for $member in $tarball: expected $sum, got $got"
    chmod 0644 "$tmp/$member"
    mkdir -p "$(dirname "$assets/$name")"
    mv -f "$tmp/$member" "$assets/$name"
done
installed_ok || die "installed files do not match their pinned hashes"
echo "50-face-models: installed ${#files[@]} files into $assets"
