# Shared by the crash and disk-full tests: in the current folder, a 2,000-initiative plan
# (plans/), a 100,000-row upload (big.csv), and a small first upload (first.csv) of $1 rows.
make_big_data() {
  python3 - "$src" "$1" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/tools/lib")
import benchdata
benchdata.write_plan(sys.argv[1], "plans", 2000)
benchdata.write_rows("big.csv", 2000, 100000)
with open("first.csv", "w") as f:
    f.write("initiative,period,measure,value\n")
    for i in range(int(sys.argv[2])):
        f.write(f"B{i + 1:05d},2020-H1,status,ongoing\n")
PY
}
