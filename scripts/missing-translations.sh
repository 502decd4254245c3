#!/usr/bin/env bash
# Prints, as PO entries with empty msgstr, every marked string that station/i18n/zh_CN.po does
# not translate yet: append them to the catalogue and fill in the translations.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pot="$(mktemp)"
merged="$(mktemp)"
trap 'rm -f "$pot" "$merged"' EXIT
mapfile -t sources < <(git ls-files -co --exclude-standard -- 'station/*.cpp' 'station/*.h')
xgettext --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trf --keyword=trNoop \
    --no-location -o "$pot" "${sources[@]}"
msgmerge --quiet --no-fuzzy-matching --no-location -o "$merged" station/i18n/zh_CN.po "$pot"
msgattrib --untranslated --no-obsolete --no-location "$merged" | sed '/^#/d'
