"""Benchmark data for jvap: a 20,000-initiative plan and a large upload, generated
deterministically. Used by tools/bench-ingest (and the other benchmarks); not by the tests."""
import os
import random
import shutil

PERIODS = [f"{y}-H{h}" for y in range(2020, 2025) for h in (1, 2)]  # 10 semiannual periods
COUNTRIES_RABAT = "SN ML NE NG GH CI BF GN MA TN MR CM TD".split()
COUNTRIES_KHARTOUM = "ET SD SS ER DJ KE SO UG EG".split()


BUDGETS = {}  # initiative index -> budget in minor units (filled by write_plan)


def initiative_id(i):
    return f"B{i:05d}"


def write_plan(root, plan_dir, initiatives):
    """The reference plan plus `initiatives` generated projects in plan_dir."""
    if os.path.exists(plan_dir):
        shutil.rmtree(plan_dir)
    shutil.copytree(os.path.join(root, "plans", "reference"), os.path.join(plan_dir, "reference"))
    # The benchmark's records start in 2020-H1, and so does its monitoring.
    cal = os.path.join(plan_dir, "reference", "plan.yaml")
    with open(cal) as f:
        text = f.read()
    if "monitoring_from: 2025-H1" not in text:
        raise SystemExit("benchdata: plans/reference/plan.yaml has no 'monitoring_from: 2025-H1' to replace")
    with open(cal, "w") as f:
        f.write(text.replace("monitoring_from: 2025-H1", "monitoring_from: 2020-H1"))
    rnd = random.Random(20000)
    path = os.path.join(plan_dir, "bench", "initiatives.yaml")
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as f:
        f.write("# Generated benchmark initiatives (tools/lib/benchdata.py); not real data.\n")
        f.write("initiatives:\n")
        for i in range(initiatives):
            khartoum = i % 3 == 0
            proc = "khartoum" if khartoum else "rabat"
            countries = rnd.sample(COUNTRIES_KHARTOUM if khartoum else COUNTRIES_RABAT, 2)
            d = 1 + i % 5
            budget = rnd.randrange(50, 2500) * 1000000
            BUDGETS[i] = budget
            f.write(
                f"  - {{id: {initiative_id(i)}, title: Benchmark project {i}, kind: project, "
                f"domains: [D{d}], processes: [{proc}], countries: [{', '.join(countries)}], "
                f"implementers: [IOM], funders: [{{org: EU, amount: {budget // 2}}}], "
                f"budget: {{amount: {budget}, currency: EUR}}, start: 2020-01-01, end: 2025-12-31, "
                f"reporting: [IOM], "
                f"indicators: [{{id: I1, title: People reached, unit: persons, aggregation: cumulative, "
                f"targets: {{2022-H2: 500, 2024-H2: 1000}}}}, "
                f"{{id: I2, title: Sessions held, unit: sessions, aggregation: per_period}}], "
                f"milestones: [{{id: M1, title: Inception, due: 2020-06-30}}]}}\n")
    return path


COMMENTS = [
    '"Figures from the implementing partner\'s quarterly return, verified by the M&E officer"',
    "Provisional; final audited figure expected with the next report",
    '"Reported by the field office in Agadez, cross-checked with the ministry"',
    "Same method as the previous period (attendance sheets)",
]


def write_rows(path, initiatives, rows):
    """`rows` upload rows over the initiatives: per initiative and period, status, disbursed, two
    indicators and a narrative (50 rows per initiative for 10 periods)."""
    rnd = random.Random(1000000)
    measures = ["status", "disbursed", "indicator.I1", "indicator.I2", "narrative"]
    n = 0
    with open(path, "w", newline="") as f:
        f.write("initiative,period,measure,value,comment\n")
        i = 0
        while n < rows:
            ini = initiative_id(i % initiatives)
            for p_index, period in enumerate(PERIODS):
                for m in measures:
                    if n >= rows:
                        break
                    if m == "status":
                        v = "ongoing"
                    elif m == "disbursed":
                        # On pace with time (the initiatives run 2020-2025, 12 periods).
                        budget = BUDGETS.get(i % initiatives, 100_000_000)
                        minor = budget * (p_index + 1) // 12 - rnd.randrange(0, budget // 100)
                        v = f"{minor // 100}.{minor % 100:02d}"
                    elif m == "indicator.I1":
                        v = str((p_index + 1) * 90 + rnd.randrange(0, 20))
                    elif m == "indicator.I2":
                        v = str(rnd.randrange(0, 40))
                    elif p_index == 0:
                        m, v = "milestone.M1", "2020-06-15"  # the inception milestone, on time
                    else:
                        v = f'"Progress in {period}: activities carried out as planned, ""on track"""'
                    # A comment on every row, as focal points write them: ~125 bytes a row in all.
                    c = COMMENTS[n % len(COMMENTS)]
                    f.write(f"{ini},{period},{m},{v},{c}\n")
                    n += 1
            i += 1
            if i >= initiatives and n < rows:
                raise SystemExit("more rows requested than initiatives x periods x measures")
    return n
