// The built-in rule kinds: one short function per kind that builds its SQL, and the table that
// names each kind with its parameters and look-back.
#include "rules/kinds.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace jvap::rules::detail {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string in_list(const std::vector<std::string>& items) {
  std::string out = "(";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + sql_quote(items[i]);
  return out + ")";
}

// The initiatives a rule applies to, as a CTE named `scoped`.
std::string scoped_cte(const Scope& s) {
  std::string sql = "scoped(id) AS (SELECT i.id FROM e_initiative i WHERE 1 = 1";
  if (!s.kinds.empty()) sql += " AND i.kind IN " + in_list(s.kinds);
  if (!s.domains.empty())
    sql += " AND EXISTS (SELECT 1 FROM e_initiative_domain d WHERE d.initiative = i.id AND d.domain IN " +
           in_list(s.domains) + ")";
  if (!s.processes.empty())
    sql += " AND EXISTS (SELECT 1 FROM e_initiative_process p WHERE p.initiative = i.id AND p.process IN " +
           in_list(s.processes) + ")";
  return sql + ")";
}

// For kinds whose subject is not an initiative: the scope's kinds restrict the initiatives that
// count as activity.
std::string kinds_filter(const Scope& s) {
  return s.kinds.empty() ? "" : " AND i.kind IN " + in_list(s.kinds);
}


// A JSON evidence item for a value that came from a record.
const char* kValueEvidence =
    "json_object('name', %NAME%, 'value', %VALUE%, 'upload', %UPLOAD%, 'line', %LINE%)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

std::string value_evidence(const std::string& name, const std::string& alias) {
  std::string s = kValueEvidence;
  s = replace_all(s, "%NAME%", name);
  s = replace_all(s, "%VALUE%", alias + ".value");
  s = replace_all(s, "%UPLOAD%", alias + ".upload_id");
  return replace_all(s, "%LINE%", alias + ".line");
}

// A number without a needless ".0".
std::string num(const std::string& e) {
  return "(CASE WHEN (" + e + ") = CAST((" + e + ") AS INTEGER) THEN CAST((" + e + ") AS INTEGER) ELSE (" + e + ") END)";
}

std::string item(const std::string& name, const std::string& value_sql) {
  return "json_object('name', " + sql_quote(name) + ", 'value', " + value_sql + ")";
}


// ---- one function per kind ----

// The three report kinds read e_report, the evaluation view's one definition of a report's state
// (evaluation/view.hpp): missing, partial after the due date, complete after it.
std::string report_findings(const KindRule& r, const std::string& state, const std::string& message,
                            const std::string& evidence) {
  return "WITH " + scoped_cte(r.rule.scope) + R"sql(
SELECT r.initiative AS subject, r.period, )sql" + message + R"sql( AS message,
       json_array()sql" + item("due", "r.due") + ", " + evidence + ", " +
         item("reporting", "(SELECT group_concat(org, ', ') FROM e_reporting g WHERE g.initiative = r.initiative)") +
         R"sql() AS evidence
FROM e_report r JOIN scoped s ON s.id = r.initiative
WHERE r.period = :period AND )sql" + state + R"sql(
ORDER BY subject)sql";
}

std::string missing_report(const KindRule& r) {
  return report_findings(r, "r.state = 'missing'",
                         "'no report for ' || r.period || ' by the due date ' || r.due || "
                         "' (required: ' || r.missing || ')'",
                         item("missing", "r.missing"));
}

std::string partial_report(const KindRule& r) {
  return report_findings(r, "r.state = 'partial' AND :as_of > r.due",
                         "'the report for ' || r.period || ' is incomplete after the due date ' || "
                         "r.due || ': ' || r.missing || ' not reported'",
                         item("missing", "r.missing") + ", " +
                             "json_object('name', 'first received', 'value', r.first_received, "
                             "'upload', r.first_upload)");
}

std::string late_report(const KindRule& r) {
  return report_findings(r, "r.state = 'complete' AND r.completed_on > r.due",
                         "'complete on ' || r.completed_on || ', ' || "
                         "CAST(julianday(r.completed_on) - julianday(r.due) AS INTEGER) || "
                         "CASE WHEN julianday(r.completed_on) - julianday(r.due) = 1 THEN ' day' "
                         "ELSE ' days' END || ' after the due date ' || r.due",
                         item("completed on", "r.completed_on") + ", " +
                             "json_object('name', 'first received', 'value', r.first_received, "
                             "'upload', r.first_upload)");
}

std::string indicator_off_track(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  return with + R"sql(
SELECT t.initiative || '/indicator.' || t.indicator AS subject, t.period,
       'indicator ' || t.indicator || ' (' || d.title || ') at ' || v.value || ' against a target of ' ||
       )sql" + num("t.value") + R"sql( || ': ' || CAST(round(100.0 * (v.num - d.baseline) / (t.value - d.baseline)) AS INTEGER) ||
       '% of the way from the baseline, below ' || CAST(round(100 * )sql" + r.param("min_share") +
         R"sql() AS INTEGER) || '%' AS message,
       json_array()sql" + value_evidence("'actual'", "v") + ", " + item("target", num("t.value")) + ", " +
         item("baseline", num("d.baseline")) + R"sql() AS evidence
FROM e_target t JOIN scoped s ON s.id = t.initiative
JOIN e_indicator d ON d.initiative = t.initiative AND d.indicator = t.indicator
JOIN e_value v ON v.initiative = t.initiative AND v.period = t.period
              AND v.measure = 'indicator.' || t.indicator
WHERE t.period = :period AND t.value <> d.baseline
  AND (v.num - d.baseline) / (t.value - d.baseline) < )sql" + r.param("min_share") + R"sql(
ORDER BY subject)sql";
}

std::string target_projection(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  // Pace so far (from the baseline at the start period to the actual now), carried forward to
  // the next target period after the one checked.
  return with + R"sql(, nxt AS (
  SELECT t.initiative, t.indicator, t.period, t.seq, t.value,
         row_number() OVER (PARTITION BY t.initiative, t.indicator ORDER BY t.seq) AS rn
  FROM e_target t WHERE t.seq > :seq)
SELECT n.initiative || '/indicator.' || n.indicator AS subject, :period AS period,
       'at the current pace indicator ' || n.indicator || ' would reach about ' ||
       CAST(round(proj) AS INTEGER) || ' by ' || n.period || ', short of its target of ' || )sql" + num("n.value") + R"sql( AS message,
       json_array()sql" + value_evidence("'actual'", "v") + ", " + item("target", num("n.value")) + ", " +
         item("target period", "n.period") + ", " + item("projected", "round(proj, 1)") + R"sql() AS evidence
FROM (SELECT n.*, d.baseline + (v.num - d.baseline) * (n.seq - i.start_seq + 1) / (:seq - i.start_seq + 1) AS proj,
             d.baseline AS baseline, v.initiative AS vi, v.measure AS vm
      FROM nxt n JOIN scoped s ON s.id = n.initiative
      JOIN e_initiative i ON i.id = n.initiative
      JOIN e_indicator d ON d.initiative = n.initiative AND d.indicator = n.indicator
      JOIN e_value v ON v.initiative = n.initiative AND v.period = :period
                    AND v.measure = 'indicator.' || n.indicator
      WHERE n.rn = 1 AND d.aggregation = 'cumulative' AND i.active = 1 AND :seq >= i.start_seq
        AND n.value <> d.baseline) n
JOIN e_value v ON v.initiative = n.vi AND v.period = :period AND v.measure = n.vm
WHERE (proj - n.baseline) / (n.value - n.baseline) < )sql" + r.param("min_share") + R"sql(
ORDER BY subject)sql";
}

std::string burn_rate(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  return with + R"sql(
SELECT i.id AS subject, :period AS period,
       'disbursed ' || CAST(round(100.0 * v.num / i.budget) AS INTEGER) || '% of the budget with ' ||
       CAST(round(100.0 * i.elapsed_share) AS INTEGER) || '% of its time elapsed' AS message,
       json_array()sql" + value_evidence("'disbursed'", "v") + ", " +
         item("budget", "i.budget_text || ' ' || i.currency") + ", " +
         item("elapsed share", "round(i.elapsed_share, 3)") + R"sql() AS evidence
FROM e_initiative i JOIN scoped s ON s.id = i.id
JOIN e_value v ON v.initiative = i.id AND v.period = :period AND v.measure = 'disbursed'
WHERE i.budget > 0 AND abs(1.0 * v.num / i.budget - i.elapsed_share) > )sql" + r.param("max_gap") + R"sql(
ORDER BY subject)sql";
}

std::string budget_overrun(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  return with + R"sql(
SELECT i.id AS subject, :period AS period,
       'disbursed ' || v.value || ' ' || i.currency || ', more than the budget of ' ||
       i.budget_text || ' ' || i.currency AS message,
       json_array()sql" + value_evidence("'disbursed'", "v") + ", " +
         item("budget", "i.budget_text") + R"sql() AS evidence
FROM e_initiative i JOIN scoped s ON s.id = i.id
JOIN e_value v ON v.initiative = i.id AND v.period = :period AND v.measure = 'disbursed'
WHERE v.num > i.budget
ORDER BY subject)sql";
}

std::string overdue_completion(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  return with + R"sql(
SELECT i.id AS subject, :period AS period,
       'ended on ' || i.end || ' but its latest status is ' || ls.value || ' (reported for ' || ls.period || ')' AS message,
       json_array()sql" + item("end", "i.end") + ", " +
         "json_object('name', 'status', 'value', ls.value, 'upload', ls.upload_id, 'line', ls.line)" +
         R"sql() AS evidence
FROM e_initiative i JOIN scoped s ON s.id = i.id
JOIN e_value ls ON ls.initiative = i.id AND ls.measure = 'status'
               AND ls.period = (SELECT max(x.period) FROM e_value x WHERE x.initiative = i.id
                                AND x.measure = 'status' AND x.period <= :period)
WHERE i.end < :as_of AND i.end <= :end AND ls.value NOT IN ('completed', 'cancelled')
ORDER BY subject)sql";
}

std::string milestone_overdue(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  return with + R"sql(
SELECT m.initiative || '/milestone.' || m.milestone AS subject, :period AS period,
       'milestone ' || m.milestone || ' (' || m.title || ') was due on ' || m.due ||
       ' and is not reported as achieved' AS message,
       json_array()sql" + item("due", "m.due") + R"sql() AS evidence
FROM e_milestone m JOIN scoped s ON s.id = m.initiative
JOIN e_initiative i ON i.id = m.initiative
WHERE )sql" + (r.param("grace_days") == "0" ? std::string("m.due") : "date(m.due, '+" + r.param("grace_days") + " days')") + R"sql( < :as_of AND m.due <= :end
  AND i.active = 1
  AND NOT EXISTS (SELECT 1 FROM e_milestone_done d WHERE d.initiative = m.initiative
                  AND d.milestone = m.milestone)
ORDER BY subject)sql";
}

std::string stale_initiative(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  // Every value of the period (but narratives) is found, equal, in each of the N - 1 periods
  // before, and those periods have no other values.
  std::string n = r.param("periods");
  return with + R"sql(, win AS (SELECT period FROM e_period WHERE seq > :seq - )sql" + n +
         R"sql( AND seq <= :seq),
cur AS (SELECT v.initiative, v.measure, v.value FROM e_value v JOIN scoped s ON s.id = v.initiative
        WHERE v.period = :period AND v.measure != 'narrative'),
same AS (SELECT c.initiative, count(*) AS n, group_concat(c.measure || '=' || c.value, '; ') AS vals,
                sum(NOT EXISTS (SELECT 1 FROM win w WHERE NOT EXISTS (
                      SELECT 1 FROM e_value x WHERE x.initiative = c.initiative AND x.period = w.period
                      AND x.measure = c.measure AND x.value = c.value))) AS kept
         FROM cur c GROUP BY c.initiative)
SELECT i.id AS subject, :period AS period,
       'nothing changed in the last )sql" + n + R"sql( periods (' || (SELECT min(period) FROM win) || ' to ' || :period || ')' AS message,
       json_array()sql" + item("values", "sm.vals") + R"sql() AS evidence
FROM same sm JOIN e_initiative i ON i.id = sm.initiative
WHERE sm.n = sm.kept AND i.active = 1 AND i.start_seq <= :seq - )sql" + n + R"sql( + 1
  AND (SELECT count(*) FROM e_value x WHERE x.initiative = i.id AND x.measure != 'narrative'
       AND x.period IN (SELECT period FROM win)) = )sql" + n + R"sql( * sm.n
  AND NOT EXISTS (SELECT 1 FROM e_value v WHERE v.initiative = i.id AND v.period = :period
                  AND v.measure = 'status' AND v.value IN ('completed', 'cancelled', 'suspended'))
ORDER BY subject)sql";
}

std::string uncovered_priority(const KindRule& r) {
  bool per_process = r.param("per_process") == "true";
  std::string domains = r.rule.scope.domains.empty() ? "" : " AND p.domain IN " + in_list(r.rule.scope.domains);
  std::string processes = r.rule.scope.processes.empty() ? "" : " AND pr.id IN " + in_list(r.rule.scope.processes);
  return std::string("SELECT p.id") + (per_process ? " || '/' || pr.id" : "") +
         R"sql( AS subject, :period AS period,
       'priority ' || p.id || ' (' || p.title || ') has no active initiative)sql" +
         (per_process ? " in the ' || pr.name || '" : "") + R"sql( in ' || :period AS message,
       json_array()sql" + item("domain", "p.domain") + R"sql() AS evidence
FROM e_priority p)sql" + (per_process ? " CROSS JOIN e_process pr" : "") + R"sql(
WHERE 1 = 1)sql" + domains + (per_process ? processes : "") + R"sql(
  AND NOT EXISTS (SELECT 1 FROM e_initiative_priority ip JOIN e_initiative i ON i.id = ip.initiative)sql" +
         (per_process ? " JOIN e_initiative_process x ON x.initiative = i.id AND x.process = pr.id" : "") +
         R"sql(
                  WHERE ip.priority = p.id AND i.active = 1)sql" + kinds_filter(r.rule.scope) + R"sql()
ORDER BY subject)sql";
}

std::string country_domain_gap(const KindRule& r) {
  std::string domains = r.rule.scope.domains.empty() ? "" : " AND d.id IN " + in_list(r.rule.scope.domains);
  std::string processes = r.rule.scope.processes.empty() ? "" : " AND m.process IN " + in_list(r.rule.scope.processes);
  return R"sql(SELECT m.process || '/' || m.state || '/' || d.id AS subject, :period AS period,
       m.state || ', member of the ' || pr.name || ', has no active initiative in ' || d.id ||
       ' (' || d.title || ') in ' || :period AS message,
       json_array()sql" + item("region", "m.region") + R"sql() AS evidence
FROM e_member m JOIN e_process pr ON pr.id = m.process CROSS JOIN e_domain d
WHERE m.role = 'member' AND m.active = 1 AND m.region IN )sql" + in_list(split_list(r.param("regions"))) +
         domains + processes + R"sql(
  AND NOT EXISTS (SELECT 1 FROM e_initiative_country c
                  JOIN e_initiative_domain x ON x.initiative = c.initiative
                  JOIN e_initiative_process y ON y.initiative = c.initiative
                  JOIN e_initiative i ON i.id = c.initiative
                  WHERE c.country = m.state AND x.domain = d.id AND y.process = m.process
                    AND i.active = 1)sql" + kinds_filter(r.rule.scope) + R"sql()
ORDER BY subject)sql";
}

std::string policy_stalled(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  std::string n = r.param("periods");
  return with + R"sql(, win AS (SELECT period FROM e_period WHERE seq > :seq - )sql" + n +
         R"sql( AND seq <= :seq),
stages AS (SELECT v.initiative, v.period, v.value FROM e_value v
           WHERE v.measure = 'stage' AND v.period IN (SELECT period FROM win))
SELECT i.id AS subject, :period AS period,
       'policy still at stage ' || min(st.value) || ' over the last )sql" + n +
         R"sql( periods, with ' || CAST(round(100.0 * i.elapsed_share) AS INTEGER) || '% of its time elapsed' AS message,
       json_array()sql" + item("stage", "min(st.value)") + ", " + item("elapsed share", "round(i.elapsed_share, 3)") +
         R"sql() AS evidence
FROM e_initiative i JOIN scoped s ON s.id = i.id JOIN stages st ON st.initiative = i.id
WHERE i.kind = 'policy' AND i.active = 1 AND i.elapsed_share >= )sql" + r.param("min_elapsed_share") + R"sql(
GROUP BY i.id
HAVING count(*) = )sql" + n + R"sql( AND count(DISTINCT st.value) = 1 AND min(st.value) IN ('drafted', 'adopted')
ORDER BY subject)sql";
}

std::string decreasing_cumulative(const KindRule& r) {
  const std::string with = "WITH " + scoped_cte(r.rule.scope);
  // Each cumulative value of the period against the same measure's latest earlier value.
  return with + R"sql(, cur AS (
  SELECT v.* FROM e_value v JOIN scoped s ON s.id = v.initiative
  WHERE v.period = :period
    AND (v.measure = 'disbursed'
         OR EXISTS (SELECT 1 FROM e_indicator d WHERE d.initiative = v.initiative
                    AND d.aggregation = 'cumulative' AND v.measure = 'indicator.' || d.indicator)))
SELECT c.initiative || '/' || c.measure AS subject, c.period,
       c.measure || ' went down from ' || p.value || ' in ' || p.period || ' to ' ||
       c.value || ' in ' || c.period || '; a cumulative value cannot decrease' AS message,
       json_array()sql" + value_evidence("p.period", "p") + ", " + value_evidence("c.period", "c") +
         R"sql() AS evidence
FROM cur c JOIN e_value p ON p.initiative = c.initiative AND p.measure = c.measure
  AND p.period = (SELECT max(x.period) FROM e_value x WHERE x.initiative = c.initiative
                  AND x.measure = c.measure AND x.period < c.period)
WHERE c.num < p.num
ORDER BY subject)sql";
}

// ---- commitments and work plans (e_commitment, e_activity, e_work_plan: evaluation::progress) ----

// The commitments in scope: of the scope's domains, made by (or followed by) its processes.
std::string commitment_scope(const Scope& s) {
  std::string sql;
  if (!s.domains.empty())
    sql += " AND EXISTS (SELECT 1 FROM e_commitment_domain d WHERE d.commitment = c.id AND d.domain IN " +
           in_list(s.domains) + ")";
  return sql;
}

std::string date_plus(const std::string& date, const std::string& days) {
  return days == "0" ? date : "date(" + date + ", '+" + days + " days')";
}

std::string progress_evidence() {
  return "json_object('name', 'progress', 'value', coalesce(c.progress, 'not reported'), 'upload', c.upload_id, "
         "'line', c.line)";
}

std::string commitment_unimplemented(const KindRule& r) {
  return R"sql(SELECT c.id AS subject, :period AS period,
       'no initiative in the plan implements commitment ' || c.id || ' (' || c.title || ')' AS message,
       json_array()sql" + item("kind", "c.kind") + ", " + progress_evidence() + R"sql() AS evidence
FROM e_commitment c
WHERE c.initiatives = 0 AND coalesce(c.progress, '') != 'dropped'
  AND (c.declared_on IS NULL OR c.declared_on <= :end))sql" + commitment_scope(r.rule.scope) + R"sql(
ORDER BY subject)sql";
}

std::string commitment_overdue(const KindRule& r) {
  return R"sql(SELECT c.id AS subject, :period AS period,
       'commitment ' || c.id || ' was due on ' || c.due || ' and is ' ||
       CASE WHEN c.progress IS NULL THEN 'not reported on' ELSE 'reported ' || replace(c.progress, '_', ' ') ||
            ' (for ' || c.progress_period || ')' END AS message,
       json_array()sql" + item("due", "c.due") + ", " + progress_evidence() + R"sql() AS evidence
FROM e_commitment c
WHERE c.due IS NOT NULL AND )sql" + date_plus("c.due", r.param("grace_days")) + R"sql( < :as_of AND c.due <= :end
  AND coalesce(c.progress, '') NOT IN ('fulfilled', 'dropped'))sql" + commitment_scope(r.rule.scope) + R"sql(
ORDER BY subject)sql";
}

std::string commitment_stalled(const KindRule& r) {
  std::string n = r.param("periods");
  // Nothing reported in the last N periods, all of them monitored and after the declaration.
  return R"sql(SELECT c.id AS subject, :period AS period,
       'no progress reported on commitment ' || c.id || ' in the last )sql" + n + R"sql( periods' ||
       CASE WHEN c.last_reported IS NULL THEN ' (never reported)' ELSE ' (last for ' || c.last_reported || ')' END AS message,
       json_array()sql" + item("last reported", "c.last_reported") + ", " + progress_evidence() + R"sql() AS evidence
FROM e_commitment c
WHERE coalesce(c.progress, '') NOT IN ('fulfilled', 'dropped')
  AND (c.last_seq IS NULL OR c.last_seq <= :seq - )sql" + n + R"sql()
  AND :seq - )sql" + n + R"sql( + 1 >= :monitoring_seq
  AND (c.declared_on IS NULL OR c.declared_on < (SELECT start FROM e_period WHERE seq = :seq - )sql" + n + R"sql( + 1)))sql" +
         commitment_scope(r.rule.scope) + R"sql(
ORDER BY subject)sql";
}

// Activities in scope: of the scope's processes and domains.
std::string activity_scope(const Scope& s) {
  std::string sql;
  if (!s.processes.empty()) sql += " AND a.process IN " + in_list(s.processes);
  if (!s.domains.empty())
    sql += " AND EXISTS (SELECT 1 FROM e_activity_domain d WHERE d.activity = a.id AND d.domain IN " +
           in_list(s.domains) + ")";
  return sql;
}

std::string activity_not_held(const KindRule& r) {
  std::string g = r.param("grace_days");
  return R"sql(SELECT a.id AS subject, :period AS period,
       'activity ' || a.id || ' (' || a.title || ') ' ||
       CASE WHEN a.outcome = 'postponed' THEN 'was postponed to ' || a.postponed_to || ', which has passed with no outcome reported'
            WHEN a.planned_from = a.planned_to THEN 'was planned for ' || a.planned_to || ' and no outcome is reported'
            ELSE 'was planned by ' || a.planned_to || ' and no outcome is reported' END AS message,
       json_array()sql" + item("planned", "a.planned_to") + ", " + item("work plan", "a.work_plan") + ", " +
         "json_object('name', 'outcome', 'value', coalesce(a.outcome, 'not reported'), 'upload', a.upload_id, 'line', a.line)" +
         R"sql() AS evidence
FROM e_activity a
WHERE ((a.outcome IS NULL AND )sql" + date_plus("a.planned_to", g) + R"sql( < :as_of AND a.planned_to <= :end)
    OR (a.outcome = 'postponed' AND a.postponed_to IS NOT NULL AND )sql" + date_plus("a.postponed_to", g) + R"sql( < :as_of
        AND a.postponed_to <= :end)))sql" + activity_scope(r.rule.scope) + R"sql(
ORDER BY subject)sql";
}

std::string activity_outcome_incomplete(const KindRule& r) {
  return R"sql(SELECT a.id AS subject, :period AS period,
       CASE WHEN a.outcome = 'held' THEN a.id || ' is reported held but with no date (held_on)'
            ELSE a.id || ' is reported postponed but with no new date (postponed_to)' END AS message,
       json_array(json_object('name', 'outcome', 'value', a.outcome, 'upload', a.upload_id, 'line', a.line)) AS evidence
FROM e_activity a
WHERE ((a.outcome = 'held' AND a.held_on IS NULL) OR (a.outcome = 'postponed' AND a.postponed_to IS NULL))
  AND a.planned_from <= :end)sql" + activity_scope(r.rule.scope) + R"sql(
ORDER BY subject)sql";
}

std::string work_plan_missing(const KindRule& r) {
  std::string day = date_plus("ch.start", r.param("days"));
  std::string processes = r.rule.scope.processes.empty() ? "" : " AND ch.process IN " + in_list(r.rule.scope.processes);
  // Chair terms in the monitored time: ending (if they end) on or after the monitoring start.
  return R"sql(SELECT ch.process || '/' || ch.state || '/' || ch.start AS subject, :period AS period,
       'the chairmanship of ' || ch.state || ' of the ' || pr.name || ' (from ' || ch.start || ') has no work plan )sql" +
         r.param("days") + R"sql( days into its term' AS message,
       json_array()sql" + item("term", "ch.start || ' to ' || coalesce(ch.end, 'open')") + R"sql() AS evidence
FROM e_chair ch JOIN e_process pr ON pr.id = ch.process
WHERE )sql" + day + R"sql( <= :as_of AND ch.start <= :end AND (ch.end IS NULL OR ch.end >= :monitoring_start))sql" + processes + R"sql(
  AND (ch.end IS NULL OR )sql" + day + R"sql( <= ch.end)
  AND NOT EXISTS (SELECT 1 FROM e_work_plan w WHERE w.process = ch.process AND w.start <= )sql" + day + R"sql(
                  AND (w.end IS NULL OR w.end >= )sql" + day + R"sql())
ORDER BY subject)sql";
}

std::string work_plan_domain_gap(const KindRule& r) {
  std::string domains = r.rule.scope.domains.empty() ? "" : " AND pd.domain IN " + in_list(r.rule.scope.domains);
  std::string processes = r.rule.scope.processes.empty() ? "" : " AND w.process IN " + in_list(r.rule.scope.processes);
  // The work plans current at the end of the period (or on the as-of date, if earlier).
  return R"sql(WITH cur AS (SELECT w.* FROM e_work_plan w
  WHERE w.start <= min(:end, :as_of) AND (w.end IS NULL OR w.end >= min(:end, :as_of)))sql" + processes + R"sql()
SELECT w.process || '/' || pd.domain AS subject, :period AS period,
       'the ' || pr.name || ' work plan ' || w.id || ' has no activity in ' || pd.domain || ' (' || d.title ||
       '), a domain of its framework' AS message,
       json_array()sql" + item("work plan", "w.id") + ", " +
         item("activities", "(SELECT count(*) FROM e_activity a WHERE a.work_plan = w.id)") + R"sql() AS evidence
FROM cur w JOIN e_process_domain pd ON pd.process = w.process
JOIN e_process pr ON pr.id = w.process JOIN e_domain d ON d.id = pd.domain
WHERE NOT EXISTS (SELECT 1 FROM e_activity a JOIN e_activity_domain ad ON ad.activity = a.id
                  WHERE a.work_plan = w.id AND ad.domain = pd.domain))sql" + domains + R"sql(
ORDER BY subject)sql";
}

int one_period(const KindRule&) { return 1; }
int three_periods(const KindRule&) { return 3; }
int param_periods(const KindRule& r) { return r.integer("periods"); }

}  // namespace

std::string sql_quote(const std::string& s) { return "'" + replace_all(s, "'", "''") + "'"; }

const std::vector<KindSpec>& kind_table() {
  using T = ParamType;
  using S = Subject;
  static const std::vector<KindSpec> k{
      {"activity_not_held", S::activity, {{"grace_days", T::days, "0"}}, one_period, activity_not_held},
      {"activity_outcome_incomplete", S::activity, {}, one_period, activity_outcome_incomplete},
      {"budget_overrun", S::initiative, {}, one_period, budget_overrun},
      {"burn_rate", S::initiative, {{"max_gap", T::share, "0.3"}}, one_period, burn_rate},
      {"commitment_overdue", S::commitment, {{"grace_days", T::days, "0"}}, one_period, commitment_overdue},
      {"commitment_stalled", S::commitment, {{"periods", T::periods, "2"}}, one_period, commitment_stalled},
      {"commitment_unimplemented", S::commitment, {}, one_period, commitment_unimplemented},
      {"country_domain_gap", S::member_domain,
       {{"regions", T::regions, "north_africa,west_africa,central_africa,east_africa"}},
       one_period, country_domain_gap},
      {"decreasing_cumulative", S::initiative_measure, {}, three_periods, decreasing_cumulative},
      {"indicator_off_track", S::initiative_measure, {{"min_share", T::share, "0.8"}}, one_period, indicator_off_track},
      {"late_report", S::initiative, {}, one_period, late_report},
      {"milestone_overdue", S::initiative_measure, {{"grace_days", T::days, "0"}}, one_period, milestone_overdue},
      {"missing_report", S::initiative, {}, one_period, missing_report},
      {"overdue_completion", S::initiative, {}, three_periods, overdue_completion},
      {"partial_report", S::initiative, {}, one_period, partial_report},
      {"policy_stalled", S::initiative, {{"periods", T::periods, "2"}, {"min_elapsed_share", T::share, "0.5"}},
       param_periods, policy_stalled},
      {"stale_initiative", S::initiative, {{"periods", T::periods, "3"}}, param_periods, stale_initiative},
      {"target_projection", S::initiative_measure, {{"min_share", T::share, "0.9"}}, one_period, target_projection},
      {"uncovered_priority", S::priority, {{"per_process", T::boolean, "false"}}, one_period, uncovered_priority},
      {"work_plan_domain_gap", S::process_domain, {}, one_period, work_plan_domain_gap},
      {"work_plan_missing", S::chairmanship, {{"days", T::days, "60"}}, one_period, work_plan_missing},
  };
  return k;
}

const KindSpec* find_kind(std::string_view name) {
  const auto& t = kind_table();
  auto it = std::find_if(t.begin(), t.end(), [&](const KindSpec& k) { return k.name == name; });
  return it == t.end() ? nullptr : &*it;
}

const ParamSpec* find_param(const KindSpec& kind, std::string_view name) {
  auto it = std::find_if(kind.params.begin(), kind.params.end(),
                         [&](const ParamSpec& p) { return p.name == name; });
  return it == kind.params.end() ? nullptr : &*it;
}

std::string KindRule::param(const std::string& name) const {
  if (auto it = rule.params.find(name); it != rule.params.end()) return it->second;
  const auto* kind = find_kind(rule.kind);
  const auto* p = kind ? find_param(*kind, name) : nullptr;
  if (!p) throw std::logic_error("kind " + rule.kind + " has no parameter " + name);
  return p->default_value;
}

std::string kind_sql(const Rule& rule) {
  const auto* kind = find_kind(rule.kind);
  if (!kind) throw std::logic_error("not a built-in kind: " + rule.kind);
  return kind->sql(KindRule(rule));
}

int lookback(const Rule& rule) {
  const auto* kind = find_kind(rule.kind);
  if (!kind) throw std::logic_error("not a built-in kind: " + rule.kind);
  return kind->lookback(KindRule(rule));
}

}  // namespace jvap::rules::detail
