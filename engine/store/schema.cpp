#include "store/schema.hpp"

namespace jvap::store::detail {

// Forward-only: a released migration is never edited; a change is a new entry.
// long-functions: data
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> k{
      {1, R"sql(
CREATE TABLE schema_migration (
  version INTEGER PRIMARY KEY,
  applied_by TEXT NOT NULL
);

-- Every plan ever used, keyed by content hash; `data` is the plan in the store's binary encoding.
CREATE TABLE plan_snapshot (
  hash TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL,
  initiatives INTEGER NOT NULL,
  data BLOB NOT NULL
);

-- The plan folder last seen at each path: file sizes and modification times, so an unchanged
-- folder is recognised without reading it.
CREATE TABLE plan_folder (
  folder TEXT PRIMARY KEY,
  hash TEXT NOT NULL REFERENCES plan_snapshot(hash),
  files TEXT NOT NULL
);

-- Dictionaries: records refer to initiatives and measures by integer key.
CREATE TABLE initiative (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE
);
CREATE TABLE measure (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- The audit log: every upload attempt that got as far as being read, accepted or not.
CREATE TABLE upload (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'json')),
  received_on TEXT NOT NULL,
  plan_hash TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'unchanged', 'rejected')),
  rows INTEGER NOT NULL,
  rows_new INTEGER NOT NULL,
  rows_changed INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX upload_by_content ON upload (sha256, org);

-- Record versions are only ever added. The current value of a key is its version from the latest
-- upload; "as known on D" is the latest among uploads received on or before D.
-- `initiative` and `measure` are keys of the dictionaries above but carry no REFERENCES clause:
-- only UploadWriter writes them, from those tables, in the same transaction, and the two checks
-- cost a fifth of the time of a million-row ingest (tools/bench-ingest). The integrity test
-- checks them instead.
CREATE TABLE record_version (
  id INTEGER PRIMARY KEY,
  upload_id INTEGER NOT NULL REFERENCES upload(id),
  initiative INTEGER NOT NULL,
  period TEXT NOT NULL,
  measure INTEGER NOT NULL,
  value TEXT NOT NULL,
  num NUMERIC,
  comment TEXT NOT NULL DEFAULT '',
  line INTEGER NOT NULL
);
CREATE UNIQUE INDEX record_by_key ON record_version (initiative, period, measure, upload_id);

-- Readable current values, for ad-hoc SQL and custom rules.
CREATE VIEW record_current AS
SELECT i.code AS initiative, v.period, m.name AS measure, v.value, v.num, v.comment,
       v.upload_id, v.line, u.received_on, u.org
FROM record_version v
JOIN initiative i ON i.id = v.initiative
JOIN measure m ON m.id = v.measure
JOIN upload u ON u.id = v.upload_id
WHERE v.upload_id = (SELECT max(w.upload_id) FROM record_version w
                     WHERE w.initiative = v.initiative AND w.period = v.period
                       AND w.measure = v.measure);
)sql"},
      {2, R"sql(
-- Check runs and their findings, so each run can say what is new, still open or resolved.
CREATE TABLE check_run (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL,
  as_of TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  plan_hash TEXT NOT NULL
);
CREATE INDEX check_run_by_period ON check_run (period, id);
CREATE TABLE finding (
  run_id INTEGER NOT NULL REFERENCES check_run(id),
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved', 'waived')),
  waiver TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, fingerprint)
);
CREATE INDEX finding_by_fingerprint ON finding (fingerprint, run_id);
)sql"},
      {3, R"sql(
-- What a run was computed from (rules, waivers, plan, as-of date, the last upload), so a report
-- can reuse its findings only while they are still exactly what evaluating now would give.
ALTER TABLE check_run ADD COLUMN inputs TEXT NOT NULL DEFAULT '';
CREATE INDEX check_run_by_inputs ON check_run (period, inputs, id);
)sql"},
      {4, R"sql(
-- "Current" is decided by the evaluation view alone (values as known on a date); a second
-- definition in SQL would drift from it. Rules read e_value instead.
DROP VIEW record_current;
)sql"},
      {5, R"sql(
-- One vocabulary for finding statuses: a finding found by the last check of its period too is
-- "carried over" (it was spelled "open", which everywhere else means new or carried over).
CREATE TABLE finding_v5 (
  run_id INTEGER NOT NULL REFERENCES check_run(id),
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  message TEXT NOT NULL,
  evidence TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'carried_over', 'resolved', 'waived')),
  waiver TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, fingerprint)
);
INSERT INTO finding_v5
  SELECT run_id, fingerprint, rule, severity, subject, period, message, evidence,
         CASE status WHEN 'open' THEN 'carried_over' ELSE status END, waiver
  FROM finding;
DROP TABLE finding;
ALTER TABLE finding_v5 RENAME TO finding;
CREATE INDEX finding_by_fingerprint ON finding (fingerprint, run_id);
)sql"},
      {6, R"sql(
-- Spreadsheet uploads: the format check admits XLSX and ODS. Only the CHECK text changes (no
-- stored value does), so the table's schema is edited in place as SQLite documents for it
-- (https://www.sqlite.org/lang_altertable.html#otheralter); Impl::migrate then bumps
-- schema_version so every connection reloads it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'format IN (''csv'', ''json'')', 'format IN (''csv'', ''json'', ''xlsx'', ''ods'')')
  WHERE type = 'table' AND name = 'upload';
PRAGMA writable_schema = OFF;
)sql"},
      {7, R"sql(
-- The partner service (jvap serve). Every upload has a review state: uploads made before this
-- version, like CLI uploads by the secretariat, count as verified on the day they were received.
ALTER TABLE upload ADD COLUMN review TEXT NOT NULL DEFAULT 'verified'
  CHECK (review IN ('verified', 'pending', 'returned'));
ALTER TABLE upload ADD COLUMN verified_on TEXT;
UPDATE upload SET verified_on = received_on WHERE outcome != 'rejected';

-- Access tokens: the secret is never stored, only the SHA-256 of the whole token.
CREATE TABLE access_token (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL,
  org TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('focal-point', 'contributor', 'secretariat', 'viewer')),
  label TEXT NOT NULL DEFAULT '',
  created_on TEXT NOT NULL,
  expires_on TEXT,
  revoked_on TEXT
);

-- A submission follows one upload through review; a resubmission adds an upload to it.
CREATE TABLE submission (
  id INTEGER PRIMARY KEY,
  org TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('submitted', 'verified', 'returned')),
  upload_id INTEGER NOT NULL REFERENCES upload(id),
  created_on TEXT NOT NULL,
  updated_on TEXT NOT NULL
);
CREATE TABLE submission_event (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submission(id),
  action TEXT NOT NULL CHECK (action IN ('submitted', 'resubmitted', 'verified', 'returned')),
  actor TEXT NOT NULL,
  on_date TEXT NOT NULL,
  upload_id INTEGER NOT NULL REFERENCES upload(id),
  comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submission_event_by_submission ON submission_event (submission_id, id);
CREATE INDEX submission_event_by_upload ON submission_event (upload_id);

-- The original file of a service upload, compressed (zlib), with its size and hash.
CREATE TABLE upload_file (
  upload_id INTEGER PRIMARY KEY REFERENCES upload(id),
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  data BLOB NOT NULL
);
)sql"},
  };
  return k;
}

}  // namespace jvap::store::detail
