#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "plan_fixture.hpp"
#include "store/plan_codec.hpp"
#include "store/store.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

using namespace jvap;

namespace {

calendar::Date day(const char* s) { return *calendar::parse_date(s); }

void write_plan(const test::TempDir& dir) {
  dir.write("plans/base.yaml", test::kBaseFile);
  dir.write("plans/initiatives.yaml", test::kInitiativesFile);
}

store::UploadInfo upload_info(const char* received) {
  store::UploadInfo u;
  u.org = "IOM";
  u.file_name = "u.csv";
  u.sha256 = "x";
  u.format = "csv";
  u.received_on = day(received);
  u.plan_hash = "h";
  return u;
}

// Stores one upload of (period, measure, value) rows for initiative I-1; returns its info.
store::UploadInfo put(store::Store& db, const char* received,
                      std::vector<std::array<std::string, 3>> rows) {
  auto w = db.begin_upload(upload_info(received));
  std::int64_t line = 2;
  for (const auto& r : rows) {
    store::StagedRow s{w.initiative_key("I-1"), w.measure_key(r[1]), r[0], r[2], std::nullopt, "",
                       line++};
    w.add(s);
  }
  w.settle();
  auto info = w.info();
  w.commit();
  return info;
}

// The plan without its source locations, which the snapshot does not keep.
model::Plan without_locations(model::Plan p) {
  auto clear = [](auto& list) {
    for (auto& x : list) x.loc = {};
  };
  clear(p.domains);
  for (auto& d : p.domains) clear(d.priorities);
  clear(p.commitments);
  clear(p.work_plans);
  for (auto& w : p.work_plans) clear(w.activities);
  clear(p.processes);
  for (auto& pr : p.processes) {
    clear(pr.members);
    clear(pr.chairs);
  }
  clear(p.organisations);
  clear(p.indicators);
  clear(p.initiatives);
  for (auto& i : p.initiatives) {
    clear(i.indicators);
    clear(i.milestones);
  }
  return p;
}

}  // namespace

TEST_CASE("plan snapshots round-trip through the codec: the whole plan comes back", "[store]") {
  for (const auto& dir : {"plans", "plans/reference"}) {
    auto loaded = plan::load(std::filesystem::path(JVAP_SOURCE_DIR) / dir);
    REQUIRE(loaded.plan);
    auto back = store::detail::decode_plan(store::detail::encode_plan(*loaded.plan));
    REQUIRE(back);
    INFO(dir);
    CHECK(*back == without_locations(*loaded.plan));  // every field, as model::Plan compares them
  }
}

TEST_CASE("plan snapshots round-trip through the codec", "[store]") {
  auto r = test::load_texts(test::kBaseFile, test::kInitiativesFile);
  REQUIRE(r.plan);
  auto bytes = store::detail::encode_plan(*r.plan);
  auto back = store::detail::decode_plan(bytes);
  REQUIRE(back);
  CHECK(store::detail::encode_plan(*back) == bytes);
  CHECK(*back == without_locations(*r.plan));
  CHECK(back->initiatives[0].indicators[0].targets.size() == 2);
  CHECK(back->process("rabat")->member("GB")->left == r.plan->process("rabat")->member("GB")->left);
  // Corrupt or truncated snapshots are refused, never trusted.
  CHECK_FALSE(store::detail::decode_plan(bytes.substr(0, bytes.size() / 2)));
  CHECK_FALSE(store::detail::decode_plan("JVAPPLAN5\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"));
  CHECK_FALSE(store::detail::decode_plan("not a plan"));
  // Well-formed bytes with values the loader never allows are refused too (a damaged cache).
  auto damaged = *back;
  damaged.calendar.first.year = -2000000000;
  CHECK_FALSE(store::detail::decode_plan(store::detail::encode_plan(damaged)));
  damaged = *back;
  damaged.initiatives[0].kind = static_cast<model::InitiativeKind>(7);
  CHECK_FALSE(store::detail::decode_plan(store::detail::encode_plan(damaged)));
}

TEST_CASE("the store creates its schema and caches the plan", "[store]") {
  test::TempDir dir;
  write_plan(dir);
  {
    store::Store db(dir / "jvap.db", store::Access::write);
    CHECK(db.user_schema_version() == store::Store::schema_version());
    auto first = db.load_plan(dir / "plans");
    REQUIRE(first.plan);
    CHECK_FALSE(first.from_cache);
    auto second = db.load_plan(dir / "plans");
    REQUIRE(second.plan);
    CHECK(second.from_cache);
    CHECK(second.plan->content_hash == first.plan->content_hash);
  }
  // A changed plan is parsed again; a broken one reports its errors.
  dir.write("plans/initiatives.yaml", test::edit(test::kInitiativesFile, "Jobs in Senegal", "Jobs"));
  store::Store db(dir / "jvap.db", store::Access::write);
  auto changed = db.load_plan(dir / "plans");
  REQUIRE(changed.plan);
  CHECK_FALSE(changed.from_cache);
  CHECK(changed.plan->initiatives[0].title == "Jobs");
  dir.write("plans/initiatives.yaml", test::edit(test::kInitiativesFile, "kind: project", "kind: x"));
  auto broken = db.load_plan(dir / "plans");
  CHECK_FALSE(broken.plan);
  CHECK(broken.errors.size() == 1);
}

TEST_CASE("record versions: never overwritten, latest wins, as known on a date", "[store]") {
  test::TempDir dir;
  write_plan(dir);
  store::Store db(dir / "jvap.db", store::Access::write);
  REQUIRE(db.load_plan(dir / "plans").plan);

  auto a = put(db, "2025-01-10", {{"2024-H2", "status", "ongoing"}, {"2024-H2", "indicator.jobs", "5"}});
  CHECK(a.outcome == store::Outcome::accepted);
  CHECK(a.rows_new == 2);
  auto b = put(db, "2025-02-10", {{"2024-H2", "status", "ongoing"}, {"2024-H2", "indicator.jobs", "7"}});
  CHECK(b.rows_new == 0);
  CHECK(b.rows_changed == 1);
  CHECK(b.rows_unchanged == 1);
  auto c = put(db, "2025-02-11", {{"2024-H2", "status", "ongoing"}});
  CHECK(c.outcome == store::Outcome::unchanged);
  CHECK(test::count_versions(db) == 3);

  auto now = test::current(db);
  REQUIRE(now.size() == 2);
  CHECK(now[0].measure == "indicator.jobs");
  CHECK(now[0].value == "7");
  CHECK(now[0].upload_id == b.id);
  auto then = test::current(db, day("2025-01-31"));
  REQUIRE(then.size() == 2);
  CHECK(then[0].value == "5");
  CHECK(test::current(db, day("2025-01-01")).empty());
  CHECK(test::current(db, std::nullopt, {"indicator."}).size() == 1);
  CHECK(db.uploads().size() == 3);
}

TEST_CASE("an upload rolled back leaves nothing behind", "[store]") {
  test::TempDir dir;
  write_plan(dir);
  store::Store db(dir / "jvap.db", store::Access::write);
  REQUIRE(db.load_plan(dir / "plans").plan);
  {
    auto w = db.begin_upload(upload_info("2025-01-10"));
    for (int i = 0; i < 200; ++i)
      w.add({w.initiative_key("I-1"), w.measure_key("status"), "2024-H1", "ongoing", std::nullopt,
             "", 2 + i});
    // destroyed without commit
  }
  CHECK(test::count_versions(db) == 0);
  CHECK(db.uploads().empty());
}

TEST_CASE("repeated keys in one upload: equal repeats dropped, conflicts reported", "[store]") {
  test::TempDir dir;
  write_plan(dir);
  store::Store db(dir / "jvap.db", store::Access::write);
  REQUIRE(db.load_plan(dir / "plans").plan);
  auto w = db.begin_upload(upload_info("2025-01-10"));
  std::vector<std::pair<std::int64_t, std::int64_t>> conflicts;
  w.on_conflict([&](std::int64_t line, std::int64_t earlier) { conflicts.emplace_back(line, earlier); });
  auto ini = w.initiative_key("I-1");
  auto m = w.measure_key("status");
  // 150 rows cross a batch boundary; the repeats sit in different batches.
  for (int i = 0; i < 150; ++i)
    w.add({ini, m, i == 100 ? "2024-H1" : "2024-H" + std::string(i % 2 ? "1" : "2"),
           i == 120 ? "completed" : "ongoing", std::nullopt, "", 2 + i});
  w.flush();
  CHECK(conflicts.size() == 1);
  CHECK(conflicts[0].first == 122);
  w.settle();
  CHECK(w.info().rows_new == 2);
}

TEST_CASE("database problems are clear errors", "[store]") {
  test::TempDir dir;
  {
    // Reading a database that does not exist is reading an empty one, and creates nothing.
    store::Store none(dir / "none.db", store::Access::read);
    CHECK(none.uploads().empty());
    CHECK_FALSE(std::filesystem::exists(dir / "none.db"));
  }
  CHECK_THROWS_WITH(store::Store(dir / "no/such/folder/x.db", store::Access::write),
                    Catch::Contains("does not exist"));
  dir.write("garbage.db", std::string(8192, 'x'));
  CHECK_THROWS_WITH(store::Store(dir / "garbage.db", store::Access::write),
                    Catch::Contains("not a jvap database"));
  {
    SQLite::Database other((dir / "other.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t(x)");
  }
  CHECK_THROWS_WITH(store::Store(dir / "other.db", store::Access::write),
                    Catch::Contains("not a jvap database"));
  {
    store::Store db(dir / "new.db", store::Access::write);
    SQLite::Database raw((dir / "new.db").string(), SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH(store::Store(dir / "new.db", store::Access::read),
                    Catch::Contains("newer than this jvap"));
}

TEST_CASE("a writer waits for another writer, then fails clearly", "[store]") {
  test::TempDir dir;
  write_plan(dir);
  store::Store a(dir / "jvap.db", store::Access::write);
  REQUIRE(a.load_plan(dir / "plans").plan);
  auto w = a.begin_upload(upload_info("2025-01-10"));  // holds the write lock
  store::Store b(dir / "jvap.db", store::Access::write, std::chrono::milliseconds(200));
  CHECK_THROWS_WITH(b.begin_upload(upload_info("2025-01-10")), Catch::Contains("locked by another writer"));
  w.rollback();
  auto w2 = b.begin_upload(upload_info("2025-01-10"));
  w2.commit();
  CHECK(b.uploads().size() == 1);
}
