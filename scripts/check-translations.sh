#!/usr/bin/env bash
# Fails when a string marked for translation in the CLI or the station core has no zh_CN
# translation in station/i18n/zh_CN.po.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pot="$(mktemp)"
trap 'rm -f "$pot"' EXIT
mapfile -t sources < <(git ls-files -co --exclude-standard -- 'station/*.cpp' 'station/*.h' 'agent/cli/*.cpp')
xgettext --language=C++ --from-code=UTF-8 --keyword=tr --keyword=trf --keyword=trNoop -o "$pot" "${sources[@]}"
# msgmerge of the template into the catalogue shows what would be untranslated.
missing="$(msgcmp station/i18n/zh_CN.po "$pot" 2>&1 || true)"
untranslated="$(msgattrib --untranslated --no-obsolete station/i18n/zh_CN.po 2>/dev/null | grep -c '^msgid "..*"' || true)"
if [ -n "$missing" ] || [ "$untranslated" != "0" ]; then
    echo "$missing"
    echo "check-translations: zh_CN.po is incomplete ($untranslated untranslated entries)" >&2
    exit 1
fi
echo "check-translations: every marked string has a zh_CN translation"
