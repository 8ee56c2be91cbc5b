# Shared helpers for the integration tests: a scratch folder with the small test plan.
set -u
jvap=$(realpath "$1")
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/tests/golden/fixtures/ingest-plan/plans" "$work/plans"
cd "$work"
export TZ=UTC
common=(--plans plans --db jvap.db --as-of 2025-03-01)
fail() { echo "FAIL: $*"; exit 1; }
count() { sqlite3 jvap.db "$1"; }
# An upload of `n` indicator rows for I-1 with distinct keys is not possible (one indicator, two
# periods), so big uploads repeat two keys with equal values; `value` sets them.
big_upload() {  # file rows value
  python3 - "$1" "$2" "$3" <<'PY'
import sys
path, rows, value = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("initiative,period,measure,value,comment\n")
    for i in range(rows):
        f.write(f"I-1,2024-H{1 + i % 2},indicator.jobs,{value},row {i % 2}\n")
PY
}
