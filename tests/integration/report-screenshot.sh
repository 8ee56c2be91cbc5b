#!/usr/bin/env bash
# The HTML report looked at, not only tested: headless Chromium renders it to a PNG, which must
# not be blank (many colours, much ink, charts drawn); and prints it to an A4 PDF. Debian's own
# python3 reads the PNG (python3-pil, installed by tools/test), whatever python3 is first on PATH.
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is not installed (tools/test installs it)"
rm -rf plans && cp -r "$src/tests/golden/report-fixture/." .
./ingest-all "$jvap" || fail "ingest"
C=(--plans plans --db jvap.db --as-of 2025-09-30 --rules "$src/rules" --templates "$src/reports")
"$jvap" report --period 2025-H1 "${C[@]}" -o report.html >/dev/null || fail "report html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --disable-background-networking --no-first-run --user-data-dir="$work/profile" \
  --hide-scrollbars --window-size=1200,1800 --screenshot="$work/shot.png" "file://$work/report.html" \
  >/dev/null 2>&1 || fail "chromium screenshot"
/usr/bin/python3 - "$work/shot.png" <<'PY' || fail "the screenshot looks blank"
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
w, h = img.size
assert (w, h) == (1200, 1800), (w, h)
px = img.getdata()
colours = len(set(px))
ink = sum(1 for p in px if sum(p) < 600) / (w * h)       # anything clearly not white
blue = sum(1 for r, g, b in px if b > 150 and r < 80) / (w * h)  # headings, cards and bars
print(f"{colours} colours, {ink:.1%} ink, {blue:.2%} blue")
assert colours > 50 and ink > 0.03 and blue > 0.002
PY
"$jvap" report --period 2025-H1 "${C[@]}" --format pdf -o report.pdf >/dev/null || fail "report pdf"
head -c 5 report.pdf | grep -q '%PDF-' || fail "not a PDF"
[ "$(stat -c %s report.pdf)" -gt 20000 ] || fail "PDF too small"
grep -c "/Type /Page\b\|/Type/Page\b" report.pdf >/dev/null || true
echo "report rendered by Chromium: not blank; PDF printed"
