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
colour = sum(1 for p in px if max(p) - min(p) > 80) / (w * h)  # headings, cards, status cells, bars
print(f"{colours} colours, {ink:.1%} ink, {colour:.2%} colour")
assert colours > 50 and ink > 0.03 and colour > 0.002
PY
"$jvap" report --period 2025-H1 "${C[@]}" --format pdf -o report.pdf >/dev/null || fail "report pdf"
head -c 5 report.pdf | grep -q '%PDF-' || fail "not a PDF"
[ "$(stat -c %s report.pdf)" -gt 20000 ] || fail "PDF too small"
# Page numbers on every page but the cover, and a contents page that gives each section's page.
command -v pdftotext >/dev/null || fail "pdftotext is not installed (tools/test installs poppler-utils)"
pdftotext -layout report.pdf report.txt
/usr/bin/python3 - report.txt <<'PY' || fail "the PDF's page numbers or contents are wrong"
import re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
pages = [p for p in pages if p.strip()]
n = len(pages)
assert n >= 4, n
assert "Page 1 of" not in pages[0], "the cover has no page number"
for i, p in enumerate(pages[1:], start=2):
    assert f"Page {i} of {n}" in p, (i, n)
contents = pages[1]
assert "Contents" in contents
entries = re.findall(r"^\s*\d+\.\s+(.+?)\s+(\d+)\s*$", contents, re.M)
assert len(entries) >= 5, entries
for title, page in entries:  # each section starts on the page the contents give
    assert title[:20] in pages[int(page) - 1], (title, page)
print(f"PDF: {n} pages, numbered; contents give {len(entries)} sections' pages")
PY
echo "report rendered by Chromium: not blank; PDF printed with page numbers and contents"
