"""Shared by the benchmarks (tools/bench*): running a command with its wall time and peak RSS,
medians, and the jvap ingest / check / report measurements at one data size. Not a test."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import benchdata

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AS_OF = "2025-06-30"
PERIOD, PREVIOUS = "2024-H2", "2024-H1"


def run(cmd, **kw):
    """Runs cmd; returns (seconds, peak RSS in MiB). Exits with its stderr when it fails."""
    with tempfile.TemporaryFile() as errf:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=kw.pop("stdout", subprocess.DEVNULL), stderr=errf, **kw)
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read(4000).decode(errors="replace")
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def median_run(cmd, runs, before=None):
    """Median seconds and the largest peak RSS (MiB) over `runs` runs of cmd."""
    times, rss = [], []
    for _ in range(runs):
        if before:
            before()
        t, m = run(cmd)
        times.append(t)
        rss.append(m)
    return statistics.median(times), max(rss)


def release_build():
    """The Release build (build-release/), built when missing or stale."""
    build = os.path.join(root, "build-release")
    subprocess.run([os.path.join(root, "tools", "build"), build, "Release", "-DJVAP_TESTS=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    return build


class Dataset:
    """The benchmark plan and upload at one size: `rows` records over rows/50 initiatives (50 rows
    per initiative: 5 measures over 10 semiannual periods), in work/<rows>/."""

    def __init__(self, work, rows, initiatives=None):
        self.rows = rows
        self.initiatives = initiatives or max(1, rows // 50)
        self.dir = os.path.join(work, str(rows))
        self.plans = os.path.join(self.dir, "plans")
        self.csv = os.path.join(self.dir, f"rows-{rows}.csv")
        self.db = os.path.join(self.dir, "jvap.db")
        stamp = os.path.join(self.dir, "generated")
        if not os.path.exists(stamp):
            print(f"  generating {rows:,} rows over {self.initiatives:,} initiatives ...", file=sys.stderr)
            os.makedirs(self.dir, exist_ok=True)
            benchdata.write_plan(root, self.plans, self.initiatives)
            benchdata.write_rows(self.csv, self.initiatives, rows)
            open(stamp, "w").close()
        self.common = ["--plans", self.plans, "--as-of", AS_OF]

    def remove_db(self, path):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def bench_ingest(jvap, ds, runs):
    """jvap ingest of the whole file into a database holding only the cached plan, against
    `sqlite3 .import` of the same file into a plain table. Leaves ds.db ingested."""
    header = os.path.join(ds.dir, "header.csv")
    with open(header, "w") as f:
        f.write("initiative,period,measure,value,comment\n")
    template = os.path.join(ds.dir, "template.db")
    ds.remove_db(template)
    # Caches the plan (a dry run creates no database): an upload of no rows, logged as unchanged.
    run([jvap, "ingest", header, "--org", "IOM", "--db", template] + ds.common)
    base = os.path.join(ds.dir, "import.db")

    def fresh():
        ds.remove_db(ds.db)
        shutil.copy(template, ds.db)

    ours, rss = median_run([jvap, "ingest", ds.csv, "--org", "IOM", "--received-on", "2025-02-01",
                            "--db", ds.db] + ds.common, runs, fresh)
    theirs, base_rss = median_run(["sqlite3", base, ".mode csv", f".import {ds.csv} t"], runs,
                                  lambda: ds.remove_db(base))
    return {"jvap": ours, "baseline": theirs, "rss": rss, "baseline_rss": base_rss,
            "what": "jvap ingest (validated, atomic) vs sqlite3 .import into a plain table"}


def bench_check(jvap, bench_check_bin, ds, runs):
    """jvap check (whole command: plan from cache, rules, evaluation, stored run) against the
    hand-written SQL queries for the same findings (each resolving current values itself)."""
    rules = os.path.join(root, "rules")
    cmd = [jvap, "check", "--period", PERIOD, "--fail-on", "never", "--rules", rules, "--db", ds.db] + ds.common
    ours, rss = median_run(cmd, runs)
    out = subprocess.run([bench_check_bin, ds.db, ds.plans, rules, PERIOD, AS_OF, str(runs), "--json"],
                         check=True, capture_output=True, text=True).stdout
    import json
    figures = json.loads(out)
    return {"jvap": ours, "baseline": figures["hand_total"], "rss": rss, "baseline_rss": None,
            "same_findings": figures["same"],
            "what": "jvap check vs the hand-written queries of every kind (summed)"}


def bench_report(jvap, ds, runs, formats=("json", "html")):
    """jvap report (joint, the period before and the period checked first, so the stored runs
    are reused) in each format, against the sqlite3 CLI writing the window's current values as
    JSON (the floor for getting the data a report reads out of SQLite)."""
    rules = os.path.join(root, "rules")
    for period in (PREVIOUS, PERIOD):
        run([jvap, "check", "--period", period, "--fail-on", "never", "--rules", rules, "--db", ds.db] + ds.common)
    out = {}
    for fmt in formats:
        target = os.path.join(ds.dir, f"report.{fmt}")
        cmd = [jvap, "report", "--period", PERIOD, "--rules", rules, "--templates",
               os.path.join(root, "reports"), "--format", fmt, "-o", target, "-q", "--db", ds.db] + ds.common
        out[fmt] = median_run(cmd, runs)
    sql = ("SELECT i.code, v.period, m.name, v.value, v.num FROM record_version v "
           "JOIN initiative i ON i.id = v.initiative JOIN measure m ON m.id = v.measure "
           "WHERE v.period >= '2023-H1' AND v.period <= '2024-H2' "
           "AND v.upload_id = (SELECT max(w.upload_id) FROM record_version w WHERE w.initiative = v.initiative "
           "AND w.period = v.period AND w.measure = v.measure)")
    base, base_rss = median_run(["sqlite3", "-readonly", "-json", ds.db, sql], runs)
    return {fmt: {"jvap": t, "baseline": base, "rss": m, "baseline_rss": base_rss,
                  "what": f"jvap report --format {fmt} vs sqlite3 -json of the window's current values"}
            for fmt, (t, m) in out.items()}
