// Benchmark of the rule engine (not a test): on a database of the ingest benchmark, times the
// evaluation tables, every built-in kind of the rule set against a hand-written query for the
// same findings, and the whole `evaluate`, each as the median of several runs.
// usage: jvap_bench_check DB PLANS RULES PERIOD AS_OF RUNS [--json]
// With --json it prints only the totals, as JSON, for tools/bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <string>

#include "rules/kinds.hpp"
#include "evaluation/view.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"

using namespace jvap;

namespace {

double median_seconds(int runs, const std::function<void()>& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto a = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The current value of a key for the period, resolved directly from the record versions: the
// usual way to write such a query by hand.
const char* kCurrent = R"sql(
cur AS (SELECT i.code AS initiative, v.period, m.name AS measure, v.value, v.num
        FROM record_version v JOIN upload u ON u.id = v.upload_id
        JOIN initiative i ON i.id = v.initiative JOIN measure m ON m.id = v.measure
        WHERE v.period IN (:period, :prev) AND u.received_on <= :as_of
          AND v.upload_id = (SELECT max(w.upload_id) FROM record_version w JOIN upload wu ON wu.id = w.upload_id
                             WHERE w.initiative = v.initiative AND w.period = v.period
                               AND w.measure = v.measure AND wu.received_on <= :as_of)))sql";

// The measures each active initiative's report requires for the period (docs/rules-format.md,
// "Reports and their state"); the benchmark plan monitors every period.
const char* kRequired = R"sql(
req AS (SELECT i.id AS initiative, 'status' AS measure FROM e_initiative i WHERE i.active = 1
        UNION ALL SELECT t.initiative, 'indicator.' || t.indicator FROM e_target t
          JOIN e_initiative i ON i.id = t.initiative WHERE t.period = :period AND i.active = 1
        UNION ALL SELECT i.id, 'disbursed' FROM e_initiative i
          WHERE i.active = 1 AND i.kind = 'project' AND i.budget IS NOT NULL
        UNION ALL SELECT m.initiative, 'milestone.' || m.milestone FROM e_milestone m
          JOIN e_initiative i ON i.id = m.initiative WHERE i.active = 1 AND m.due BETWEEN :start AND :end),
-- When each key first arrived: the period's measures, and milestones reported with any period.
arrived AS (SELECT i.code AS initiative, m.name AS measure, min(u.received_on) AS at
            FROM record_version v JOIN upload u ON u.id = v.upload_id
            JOIN initiative i ON i.id = v.initiative JOIN measure m ON m.id = v.measure
            WHERE u.received_on <= :as_of AND (v.period = :period OR m.name LIKE 'milestone.%')
            GROUP BY v.initiative, v.measure),
reported AS (SELECT DISTINCT i.code AS initiative FROM record_version v JOIN upload u ON u.id = v.upload_id
             JOIN initiative i ON i.id = v.initiative WHERE v.period = :period AND u.received_on <= :as_of),
state AS (SELECT r.initiative, count(a.at) = count(*) AS complete, max(a.at) AS completed_on
          FROM req r LEFT JOIN arrived a ON a.initiative = r.initiative AND a.measure = r.measure
          GROUP BY r.initiative))sql";

// Hand-written queries returning the subjects each kind finds (the default rule set's parameters).
std::string hand_written(const std::string& kind) {
  std::string with = std::string("WITH ") + kCurrent;
  std::string reports = std::string("WITH ") + kRequired;
  if (kind == "missing_report")
    return reports + " SELECT s.initiative FROM state s WHERE :as_of > :due AND s.initiative NOT IN "
                     "(SELECT initiative FROM reported)";
  if (kind == "partial_report")
    return reports + " SELECT s.initiative FROM state s WHERE :as_of > :due AND NOT s.complete AND s.initiative IN "
                     "(SELECT initiative FROM reported)";
  if (kind == "late_report")
    return reports + " SELECT s.initiative FROM state s WHERE s.complete AND s.completed_on > :due";
  if (kind == "indicator_off_track")
    return with + " SELECT t.initiative || '/indicator.' || t.indicator FROM e_target t JOIN e_indicator d USING (initiative, indicator) "
                  "JOIN cur c ON c.initiative = t.initiative AND c.period = t.period AND c.measure = 'indicator.' || t.indicator "
                  "WHERE t.period = :period AND t.value > d.baseline AND c.num - d.baseline < 0.8 * (t.value - d.baseline)";
  if (kind == "target_projection")
    return with + " SELECT t.initiative || '/indicator.' || t.indicator FROM e_target t JOIN e_indicator d USING (initiative, indicator) "
                  "JOIN e_initiative i ON i.id = t.initiative JOIN cur c ON c.initiative = t.initiative AND c.period = :period "
                  "AND c.measure = 'indicator.' || t.indicator WHERE d.aggregation = 'cumulative' AND i.active = 1 "
                  "AND :seq >= i.start_seq AND t.value > d.baseline AND t.seq = (SELECT min(x.seq) FROM e_target x "
                  "WHERE x.initiative = t.initiative AND x.indicator = t.indicator AND x.seq > :seq) "
                  "AND d.baseline + (c.num - d.baseline) * (t.seq - i.start_seq + 1) / (:seq - i.start_seq + 1) "
                  "< d.baseline + 0.9 * (t.value - d.baseline)";
  if (kind == "burn_rate")
    return with + " SELECT i.id FROM e_initiative i JOIN cur c ON c.initiative = i.id AND c.period = :period "
                  "AND c.measure = 'disbursed' WHERE i.budget > 0 AND abs(1.0 * c.num / i.budget - i.elapsed_share) > 0.3";
  if (kind == "budget_overrun")
    return with + " SELECT i.id FROM e_initiative i JOIN cur c ON c.initiative = i.id AND c.period = :period "
                  "AND c.measure = 'disbursed' WHERE c.num > i.budget";
  if (kind == "overdue_completion")
    return with + " SELECT i.id FROM e_initiative i JOIN cur c ON c.initiative = i.id AND c.measure = 'status' "
                  "AND c.period = (SELECT max(period) FROM cur x WHERE x.initiative = i.id AND x.measure = 'status') "
                  "WHERE i.end < :as_of AND i.end <= :end AND c.value NOT IN ('completed', 'cancelled')";
  if (kind == "milestone_overdue")
    return "SELECT m.initiative || '/milestone.' || m.milestone FROM e_milestone m JOIN e_initiative i ON i.id = m.initiative "
           "WHERE i.active = 1 AND m.due < :as_of AND m.due <= :end AND NOT EXISTS (SELECT 1 FROM record_version v "
           "JOIN upload u ON u.id = v.upload_id JOIN initiative ii ON ii.id = v.initiative JOIN measure mm ON mm.id = v.measure "
           "WHERE ii.code = m.initiative AND mm.name = 'milestone.' || m.milestone AND u.received_on <= :as_of)";
  if (kind == "uncovered_priority")
    return "SELECT p.id FROM e_priority p WHERE p.id NOT IN (SELECT ip.priority FROM e_initiative_priority ip "
           "JOIN e_initiative i ON i.id = ip.initiative WHERE i.active = 1)";
  if (kind == "country_domain_gap")
    return "SELECT m.process || '/' || m.state || '/' || d.id FROM e_member m, e_domain d WHERE m.role = 'member' "
           "AND m.active = 1 AND m.region != 'europe' AND NOT EXISTS (SELECT 1 FROM e_initiative_country c "
           "JOIN e_initiative_domain x ON x.initiative = c.initiative JOIN e_initiative_process y ON y.initiative = c.initiative "
           "JOIN e_initiative i ON i.id = c.initiative WHERE c.country = m.state AND x.domain = d.id AND y.process = m.process "
           "AND i.active = 1)";
  if (kind == "decreasing_cumulative")
    return with + " SELECT c.initiative || '/' || c.measure FROM cur c JOIN cur p ON p.initiative = c.initiative "
                  "AND p.measure = c.measure AND p.period = :prev WHERE c.period = :period AND c.num < p.num "
                  "AND (c.measure = 'disbursed' OR c.measure IN (SELECT 'indicator.' || indicator FROM e_indicator "
                  "WHERE initiative = c.initiative AND aggregation = 'cumulative'))";
  if (kind == "stale_initiative")  // one signature per period, compared across the window
    return "WITH win AS (SELECT period FROM e_period WHERE seq > :seq - 3 AND seq <= :seq), "
           "sig AS (SELECT initiative, period, group_concat(measure || '=' || value, ';') AS s FROM "
           "(SELECT * FROM e_value WHERE measure != 'narrative' AND period IN (SELECT period FROM win) "
           "ORDER BY initiative, period, measure) GROUP BY initiative, period) "
           "SELECT i.id FROM e_initiative i JOIN sig g ON g.initiative = i.id WHERE i.active = 1 "
           "AND i.start_seq <= :seq - 2 AND NOT EXISTS (SELECT 1 FROM e_value v WHERE v.initiative = i.id "
           "AND v.period = :period AND v.measure = 'status' AND v.value IN ('completed', 'cancelled', 'suspended')) "
           "GROUP BY i.id HAVING count(*) = 3 AND count(DISTINCT g.s) = 1";
  if (kind == "policy_stalled")
    return "SELECT i.id FROM e_initiative i JOIN e_value v ON v.initiative = i.id AND v.measure = 'stage' "
           "AND v.period IN (SELECT period FROM e_period WHERE seq > :seq - 2 AND seq <= :seq) "
           "WHERE i.kind = 'policy' AND i.active = 1 AND i.elapsed_share >= 0.5 GROUP BY i.id "
           "HAVING count(*) = 2 AND count(DISTINCT v.value) = 1 AND min(v.value) IN ('drafted', 'adopted')";
  return "";
}

std::set<std::string> subjects(const store::QueryResult& r) {
  std::set<std::string> out;
  for (const auto& row : r.rows) out.insert(store::to_text(row.at(0)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 && !(argc == 8 && std::string(argv[7]) == "--json")) {
    std::fprintf(stderr, "usage: %s DB PLANS RULES PERIOD AS_OF RUNS [--json]\n", argv[0]);
    return 2;
  }
  const bool json = argc == 8;
  // Text goes to stdout unless --json, which prints only the totals at the end.
  auto say = [&](const char* fmt, auto... args) {
    if (!json) std::printf(fmt, args...);
  };
  store::Store db(argv[1], store::Access::write);
  auto plan = db.load_plan(argv[2]).plan;
  auto ruleset = rules::load(argv[3]).rules;
  auto period = *calendar::parse_period(argv[4]);
  auto as_of = *calendar::parse_date(argv[5]);
  int runs = std::atoi(argv[6]);
  if (!plan || !ruleset) return 2;
  calendar::Period first = period;
  for (int i = 1; i < 4 && plan->calendar.first < first; ++i) first = calendar::previous(first);
  double read_view = median_seconds(runs, [&] {
    evaluation::View view(db, {first, period, as_of, as_of}, {"", {}, false, {"milestone."}});
  });
  double prepare = median_seconds(runs, [&] {
    evaluation::View view(db, {first, period, as_of, as_of}, {"", {}, false, {"milestone."}});
    evaluation::materialize(db, *plan, view, period);
  });
  std::string prev;
  for (auto p = plan->calendar.first; p < period; p = calendar::next(p)) prev = calendar::to_string(p);
  std::map<std::string, store::Value> params{
      {"period", calendar::to_string(period)}, {"prev", prev}, {"as_of", calendar::to_string(as_of)},
      {"end", calendar::to_string(calendar::end_of(period))},
      {"due", calendar::to_string(plan->calendar.due(period))}};
  params["seq"] = db.query("SELECT value FROM e_param WHERE name = 'seq'", {}).rows[0][0];

  say("check benchmark: period %s as of %s, %zu initiatives, median of %d runs\n", argv[4], argv[5],
      plan->initiatives.size(), runs);
  say("  evaluation tables (plan, calendar, values as known on the date)  %7.3f s\n", prepare);
  say("    of which the evaluation view (reading the records)              %7.3f s\n", read_view);
  say("  %-22s %9s %10s %10s %7s  %s\n", "kind", "findings", "kind (s)", "hand (s)", "ratio", "same findings");
  bool all_same = true;
  double kinds_total = 0, hand_total = 0;
  for (const auto& r : ruleset->rules) {
    if (r.kind == "sql") continue;
    std::string sql = rules::detail::kind_sql(r);
    store::QueryResult ours;
    double t = median_seconds(runs, [&] { ours = db.query(sql, params); });
    std::string hand = hand_written(r.kind);
    if (hand.empty()) {
      say("  %-22s %9zu %10.3f %10s %7s  %s\n", r.kind.c_str(), ours.rows.size(), t, "-", "-", "(no baseline)");
      continue;
    }
    store::QueryResult theirs;
    double h = median_seconds(runs, [&] { theirs = db.query(hand, params); });
    bool same = subjects(ours) == subjects(theirs);
    all_same = all_same && same;
    kinds_total += t;
    hand_total += h;
    // Below a millisecond both are noise; the ratio is not shown.
    if (t < 0.001 && h < 0.001)
      say("  %-22s %9zu %10.4f %10.4f %7s  %s\n", r.kind.c_str(), ours.rows.size(), t, h, "<1ms",
          same ? "yes" : "NO");
    else
      say("  %-22s %9zu %10.3f %10.3f %6.2fx  %s\n", r.kind.c_str(), ours.rows.size(), t, h,
          h > 0 ? t / h : 0.0, same ? "yes" : "NO");
  }
  double full = median_seconds(runs, [&] { rules::evaluate(db, *plan, *ruleset, period, as_of); });
  say("  full default rule set (tables, %zu rules, statuses, stored run)   %7.3f s   target <= 2 s\n",
      ruleset->rules.size(), full);
  say("%s\n", "  kind ratios exclude the shared evaluation tables (built once per run, above)");
  if (json)
    std::printf("{\"tables\": %.6f, \"kinds_total\": %.6f, \"hand_total\": %.6f, \"evaluate\": %.6f, "
                "\"same\": %s}\n",
                prepare, kinds_total, hand_total, full, all_same ? "true" : "false");
  return all_same ? 0 : 1;
}
