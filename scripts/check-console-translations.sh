#!/usr/bin/env bash
# The console's zh_CN catalogue must be complete: every message translated, none unfinished or
# obsolete. lupdate (run by the build's examguard_console_lupdate target) keeps it in step with
# the sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ts="$root/console/i18n/examguard_console_zh_CN.ts"
python3 - "$ts" <<'PY'
import sys
import xml.etree.ElementTree as ET
bad = []
for ctx in ET.parse(sys.argv[1]).getroot().iter("context"):
    for m in ctx.iter("message"):
        t = m.find("translation")
        forms = [f.text for f in t.iter("numerusform")] if t is not None else []
        text = "".join(forms) if forms else (t.text if t is not None else None)
        if t is None or t.get("type") in ("unfinished", "obsolete", "vanished") or not (text or "").strip():
            bad.append(f"{ctx.findtext('name')}: {m.findtext('source')}")
if bad:
    print("check-console-translations: untranslated in zh_CN:\n  " + "\n  ".join(bad))
    sys.exit(1)
print("check-console-translations: every console message has a zh_CN translation")
PY
