// The service's endpoints under /api/v1: one table (routes()), each entry with its method, path,
// least role, query parameters and handler. What an endpoint shows comes from the same modules as
// the CLI: uploads through ingest, findings through the rules, the rest through the CLI's own
// commands (so a number is counted the same way in the API as in every report).
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>

#include "ingest/ingest.hpp"
#include "model/sha256.hpp"
#include "model/text.hpp"
#include "service/impl.hpp"

namespace jvap::service {

namespace {

using Impl = Service::Impl;
using Request = httplib::Request;

// ---- scoping: nobody reads or writes another organisation's data ----

// The organisation a request is about: a partner's own (asking for another is refused); for the
// secretariat the one asked for ("" = every one), which must be in the plan.
std::string scope_org(const Impl& im, const Caller& c, const std::string& asked) {
  if (!c.secretariat()) {
    if (!asked.empty() && asked != c.token.org)
      throw ApiError{403, "not_your_organisation", "a " + to_string(c.role) + " token of " + c.token.org +
                                                       " cannot act for " + model::printable(asked)};
    return c.token.org;
  }
  if (!asked.empty() && !im.plan->group_of(asked)) {
    std::vector<std::string> known = im.plan->states();
    for (const auto& o : im.plan->organisations) known.push_back(o.id);
    throw ApiError{400, "unknown_organisation",
                   "unknown organisation " + model::quote(asked) + model::did_you_mean(asked, known)};
  }
  return asked;
}

std::string required(const Request& req, const std::string& name) {
  auto v = param(req, name);
  if (v.empty()) throw ApiError{400, "missing_parameter", "the parameter '" + name + "' is required"};
  return v;
}

bool flag(const Request& req, const std::string& name) {
  auto v = param(req, name);
  if (v.empty() || v == "0" || v == "false") return false;
  if (v == "1" || v == "true") return true;
  throw ApiError{400, "bad_parameter", "'" + name + "' is true or false (or 1 or 0)"};
}

// `--name=value` for each parameter given, in the order listed.
std::vector<std::string> pass(const Request& req, std::vector<std::string> args,
                              const std::vector<std::pair<std::string, std::string>>& names) {
  for (const auto& [p, option] : names)
    if (auto v = param(req, p); !v.empty()) args.push_back(option + "=" + v);
  return args;
}

Reply json_text(const std::string& text) { return {200, text, "application/json", ""}; }

// ---- submissions ----

Json to_json(const store::UploadInfo& u) {
  return {{"upload_id", u.id == 0 ? Json() : Json(u.id)}, {"org", u.org}, {"file_name", u.file_name},
          {"format", u.format}, {"sha256", u.sha256}, {"received_on", calendar::to_string(u.received_on)},
          {"outcome", std::string(store::to_string(u.outcome))}, {"rows", u.rows}, {"rows_new", u.rows_new},
          {"rows_changed", u.rows_changed}, {"rows_unchanged", u.rows_unchanged},
          {"rows_rejected", u.rows_rejected}, {"note", u.note}, {"review", u.review},
          {"verified_on", u.verified_on ? Json(calendar::to_string(*u.verified_on)) : Json()}};
}

Json to_json(const store::Submission& s, bool events) {
  Json j{{"id", s.id}, {"org", s.org}, {"state", s.state}, {"upload_id", s.upload_id},
         {"created_on", calendar::to_string(s.created_on)}, {"updated_on", calendar::to_string(s.updated_on)}};
  if (!events) return j;
  Json ev = Json::array();
  for (const auto& e : s.events)
    ev.push_back({{"action", e.action}, {"actor", e.actor}, {"on", calendar::to_string(e.on)},
                  {"upload_id", e.upload_id}, {"comment", e.comment}});
  j["events"] = ev;
  return j;
}

// The submission `id` as the caller may see it: another organisation's is "not found", as if it
// did not exist (its number tells nothing).
store::Submission visible_submission(const Impl& im, const Caller& c, const std::string& id) {
  auto sub = id.size() < 18 ? im.reader()->submission(std::stoll(id)) : std::nullopt;
  if (!sub || (!c.secretariat() && sub->org != c.token.org))
    throw ApiError{404, "no_such_submission", "there is no submission " + id + " of yours"};
  return *sub;
}

Reply list_submissions(Impl& im, const Request& req, const Caller& c, const std::smatch&) {
  auto org = scope_org(im, c, param(req, "org"));
  auto state = param(req, "state");
  if (!state.empty() && state != "submitted" && state != "verified" && state != "returned")
    throw ApiError{400, "bad_parameter", "state is submitted, verified or returned"};
  Json list = Json::array();
  for (const auto& s : im.reader()->submissions(org, state)) list.push_back(to_json(s, false));
  return json_reply({{"submissions", list}});
}

Reply get_submission(Impl& im, const Request&, const Caller& c, const std::smatch& m) {
  auto sub = visible_submission(im, c, m[1]);
  Json j = to_json(sub, true);
  if (auto u = im.reader()->upload(sub.upload_id)) j["upload"] = to_json(*u);
  return json_reply({{"submission", j}});
}

Reply submission_audit(Impl& im, const Request&, const Caller& c, const std::smatch& m) {
  auto sub = visible_submission(im, c, m[1]);
  auto db = im.reader();
  Json trail = Json::array();
  for (const auto& e : sub.events) {
    Json j{{"action", e.action}, {"actor", e.actor}, {"on", calendar::to_string(e.on)}, {"comment", e.comment}};
    if (auto u = db->upload(e.upload_id)) j["upload"] = to_json(*u);
    trail.push_back(j);
  }
  return json_reply({{"submission", sub.id}, {"org", sub.org}, {"state", sub.state}, {"audit", trail}});
}

Reply submission_file(Impl& im, const Request& req, const Caller& c, const std::smatch& m) {
  auto sub = visible_submission(im, c, m[1]);
  std::int64_t upload = sub.upload_id;
  if (auto u = param(req, "upload"); !u.empty()) {  // an earlier file of the same submission
    bool found = false;
    for (const auto& e : sub.events) found = found || std::to_string(e.upload_id) == u;
    if (!found) throw ApiError{404, "no_such_file", "upload " + u + " is not part of submission " + std::string(m[1])};
    upload = std::stoll(u);
  }
  auto file = im.reader()->archived_file(upload);
  if (!file) throw ApiError{404, "no_such_file", "the file of upload " + std::to_string(upload) + " was not archived"};
  return {200, file->bytes, file->media_type, file->name};
}

Reply review(Impl& im, const Request& req, const Caller& c, const std::smatch& m, bool verify) {
  Json body = Json::object();
  if (!req.body.empty()) {
    body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      throw ApiError{400, "bad_json", "the body is a JSON object such as {\"comment\": \"...\"}"};
  }
  std::string comment = body.contains("comment") && body["comment"].is_string() ? body["comment"].get<std::string>() : "";
  std::size_t bad = 0;
  if (!model::valid_utf8(comment, bad) || comment.size() > 4000)
    throw ApiError{400, "bad_comment", "the comment is UTF-8 text of at most 4000 bytes"};
  if (!verify && comment.empty())
    throw ApiError{400, "comment_required", "say in 'comment' what the partner must fix before resubmitting"};
  auto sub = visible_submission(im, c, m[1]);
  std::lock_guard lock(im.writer_mutex);
  if (!im.writer->review_submission(sub.id, verify, c.actor(), im.today(), comment))
    throw ApiError{409, "not_awaiting_review", "submission " + std::to_string(sub.id) + " is " + sub.state +
                                                   ", not awaiting review"};
  return json_reply({{"submission", to_json(*im.writer->submission(sub.id), true)}});
}

// ---- uploads ----

struct Media {
  std::string format, type;
};

Media media_of(const Request& req, bool& windows_1252) {
  std::string type = req.get_header_value("Content-Type");
  std::string lower;
  for (char ch : type) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string base = lower.substr(0, lower.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  windows_1252 = false;
  if (auto at = lower.find("charset="); at != std::string::npos) {
    std::string cs = lower.substr(at + 8);
    cs = cs.substr(0, cs.find(';'));
    while (!cs.empty() && (cs.back() == ' ' || cs.back() == '"')) cs.pop_back();
    while (!cs.empty() && (cs.front() == ' ' || cs.front() == '"')) cs.erase(0, 1);
    windows_1252 = cs == "windows-1252" || cs == "cp1252";
    if (!windows_1252 && cs != "utf-8" && cs != "utf8")
      throw ApiError{415, "unsupported_charset", "the charset is utf-8 (the default) or windows-1252, not " + model::quote(cs)};
  }
  if (base == "text/csv") return {"csv", "text/csv"};
  if (base == "application/json") return {"json", "application/json"};
  if (base == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return {"xlsx", base};
  if (base == "application/vnd.oasis.opendocument.spreadsheet") return {"ods", base};
  throw ApiError{415, "unsupported_media_type",
                 "send the file as text/csv, application/json, an XLSX "
                 "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) or an ODS "
                 "(application/vnd.oasis.opendocument.spreadsheet) body"};
}

// The file's name as shown in messages: the one given (its last path part, safe characters only),
// with the extension of its type.
std::string file_name(const Request& req, const std::string& format) {
  std::string given = param(req, "name");
  given = given.substr(given.find_last_of("/\\") == std::string::npos ? 0 : given.find_last_of("/\\") + 1);
  std::string name;
  for (char ch : given)
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.') name += ch;
  if (name.empty() || name[0] == '.') name = "upload." + format;
  const std::string ext = "." + format;
  if (name.size() < ext.size() || name.compare(name.size() - ext.size(), ext.size(), ext) != 0) name += ext;
  return name.substr(name.size() > 120 ? name.size() - 120 : 0);
}

// A folder of its own for one upload's file, removed afterwards.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& bytes) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("jvap-serve-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directory(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    path_ = dir_ / name;
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw ApiError{500, "internal", "the upload could not be written to a temporary file"};
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_, path_;
};

Json problems_json(const std::string& name, const std::vector<ingest::Problem>& ps) {
  Json out = Json::array();
  for (const auto& p : ps)
    out.push_back({{"line", p.line}, {"col", p.col}, {"record", p.record}, {"sheet", p.sheet}, {"column", p.column},
                   {"message", p.message}, {"whole_file", p.whole_file}, {"not_yours", p.not_theirs},
                   {"text", ingest::format(name, p)}});
  return out;
}

Json findings_json(const Impl& im, const std::vector<rules::Finding>& fs) {
  Json out = Json::array();
  for (const auto& f : fs)
    out.push_back({{"rule", f.rule}, {"severity", std::string(rules::to_string(f.severity))}, {"subject", f.subject},
                   {"period", f.period}, {"message", f.message}, {"fix", rules::fix_for(*im.rules, f)},
                   {"fingerprint", f.fingerprint}});
  return out;
}

// The findings about what the upload touched, over its periods (the service's feedback).
Json feedback(Impl& im, const ingest::Result& r, double& ms) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<rules::Finding> all;
  for (const auto& id : r.periods) {
    auto p = calendar::parse_period(id);
    if (!p || !im.plan->calendar.is_reporting_period(*p)) continue;
    auto fs = rules::find_for(*im.writer, *im.plan, *im.rules, *p, im.today(), r.subjects);
    all.insert(all.end(), fs.begin(), fs.end());
  }
  ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return findings_json(im, all);
}

// A resubmission must be of the caller's own submission (another's is "not found"), returned.
void check_resubmission(Impl& im, const Caller& c, const std::string& org, std::int64_t id) {
  auto sub = im.writer->submission(id);
  if (!sub || (!c.secretariat() && sub->org != c.token.org))
    throw ApiError{404, "no_such_submission", "there is no submission " + std::to_string(id) + " of yours"};
  if (sub->state != "returned")
    throw ApiError{409, "not_returned", "submission " + std::to_string(id) + " is " + sub->state +
                                            "; only a returned submission is resubmitted"};
  if (sub->org != org) throw ApiError{403, "not_your_organisation", "a resubmission is for the submission's organisation"};
}

// The same file as one still awaiting review is a second submission of it.
void check_duplicate(Impl& im, const std::string& org, const std::string& sha) {
  if (auto earlier = im.writer->find_upload(sha, org); earlier && earlier->review == "pending")
    throw ApiError{409, "already_submitted", "this file is already awaiting review as upload " +
                                                 std::to_string(earlier->id) + " (submission " +
                                                 std::to_string(im.writer->submission_of(earlier->id)) + ")"};
}

Reply upload(Impl& im, const Request& req, const Caller& c, std::int64_t resubmits) {
  bool windows_1252 = false;
  const Media media = media_of(req, windows_1252);
  const bool dry_run = flag(req, "dry_run");
  std::string org = scope_org(im, c, param(req, "org"));
  if (org.empty()) throw ApiError{400, "missing_parameter", "the secretariat names the organisation it uploads for: ?org=ORG"};
  if (!im.uploads.allow(c.token.key, im.config.uploads_per_minute))
    throw ApiError{429, "too_many_uploads", "at most " + std::to_string(im.config.uploads_per_minute) +
                                                " uploads a minute for one token; wait a minute"};
  const std::string name = file_name(req, media.format);
  TempFile tmp(name, req.body);
  ingest::Options o;
  o.org = org;
  o.received_on = o.as_of = im.today();
  o.dry_run = dry_run;
  o.windows_1252 = windows_1252;
  o.cumulative = false;
  o.sheet = param(req, "sheet");
  o.review = "pending";
  o.log_rejected = false;  // a refused file leaves nothing behind
  o.before_commit = [&](std::int64_t id) {
    im.writer->add_submission(org, id, c.actor(), im.today(), resubmits);
    im.writer->archive_file(id, media.type, req.body);
  };
  std::lock_guard lock(im.writer_mutex);
  if (resubmits != 0) check_resubmission(im, c, org, resubmits);
  if (!dry_run) check_duplicate(im, org, model::sha256_hex(req.body));
  auto r = ingest::ingest_file(*im.writer, *im.plan, tmp.path(), o);
  Json result{{"dry_run", dry_run}, {"file", name}, {"upload", to_json(r.upload)},
              {"rows_not_reported", r.rows_not_reported}, {"problems", problems_json(name, r.problems)}};
  if (std::any_of(r.problems.begin(), r.problems.end(), [](const auto& p) { return p.not_theirs; }))
    throw ApiError{403, "not_your_initiative", "the file has rows for initiatives " + org +
                                                   " does not report on; nothing was stored", result};
  if (r.file_unreadable || r.upload.outcome == store::Outcome::rejected)
    throw ApiError{400, "rejected", model::count_label(r.upload.rows_rejected, "row has", "rows have") +
                                        " problems; nothing was stored" + (dry_run ? " (dry run)" : ""), result};
  if (dry_run) return json_reply(result);
  double ms = 0;
  result["submission"] = to_json(*im.writer->submission(im.writer->submission_of(r.upload.id)), false);
  result["findings"] = feedback(im, r, ms);
  result["feedback_ms"] = std::round(ms * 10) / 10;
  return json_reply(result, 201);
}

// ---- what the CLI computes, scoped to the caller ----

Reply me(Impl& im, const Request&, const Caller& c, const std::smatch&) {
  const auto& t = c.token;
  return json_reply({{"key", t.key}, {"org", t.org}, {"role", t.role}, {"label", t.label},
                     {"expires_on", t.expires_on ? Json(calendar::to_string(*t.expires_on)) : Json()},
                     {"as_of", calendar::to_string(im.today())}, {"plan", im.plan->info.id}});
}

// What the findings of `period` depend on: the check's inputs, the reviews (a returned upload
// leaves the records) and the secretariat's last stored run (statuses compare with it).
std::string findings_inputs(Impl& im, const calendar::Period& p) {
  auto db = im.reader();
  auto last = db->last_run(calendar::to_string(p));
  return rules::inputs_key(*db, *im.plan, *im.rules, p, im.today()) + "reviews " +
         std::to_string(db->last_review_id()) + "\nbaseline " + std::to_string(last ? last->id : 0) + "\n";
}

// The findings of the period as of now (check --no-store, as JSON): the cached ones when a check
// started after `arrived` or nothing they depend on changed.
Json checked(Impl& im, const std::string& period, std::chrono::steady_clock::time_point arrived) {
  auto p = calendar::parse_period(period);
  if (!p || !im.plan->calendar.is_reporting_period(*p)) {
    im.run_command({"check", "--no-store", "--period=" + period, "--rules=" + im.config.rules});  // says why
    throw ApiError{400, "bad_parameter", "period " + model::quote(period) + " is not a reporting period of the plan"};
  }
  std::lock_guard lock(im.check_mutex);
  auto& c = im.checked[period];
  if (c.json.empty() || c.started < arrived) {
    const auto started = std::chrono::steady_clock::now();
    auto inputs = findings_inputs(im, *p);
    if (c.json.empty() || inputs != c.inputs) {
      c.json = im.run_command({"check", "--no-store", "--fail-on=never", "--period=" + period,
                               "--rules=" + im.config.rules, "--format=json"});
      c.inputs = std::move(inputs);
    }
    c.started = started;
  }
  return Json::parse(c.json);
}

rules::FindingFilter finding_filter(const Impl& im, const Request& req, const Caller& c) {
  rules::FindingFilter f{scope_org(im, c, param(req, "org")), param(req, "severity"), param(req, "rule"),
                  param(req, "domain"), param(req, "status")};
  auto one_of = [](const std::string& name, const std::string& v, const std::vector<std::string>& allowed) {
    if (!v.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end())
      throw ApiError{400, "bad_parameter", "unknown " + name + " " + model::quote(v) + model::did_you_mean(v, allowed)};
  };
  one_of("severity", f.severity, {"error", "warning", "info"});
  one_of("status", f.status, {"open", "new", "carried_over", "waived", "resolved"});
  std::vector<std::string> domains, rule_ids;
  for (const auto& d : im.plan->domains) domains.push_back(d.id);
  for (const auto& r : im.rules->rules) rule_ids.push_back(r.id);
  rule_ids.push_back("waiver-expired");
  one_of("domain", f.domain, domains);
  one_of("rule", f.rule, rule_ids);
  return f;
}

Reply findings(Impl& im, const Request& req, const Caller& c, const std::smatch&) {
  const auto arrived = std::chrono::steady_clock::now();
  const std::string period = required(req, "period");
  const rules::FindingFilter filter = finding_filter(im, req, c), scope{filter.org};
  Json run = checked(im, period, arrived);
  Json shown = Json::array();
  std::int64_t total = 0;
  auto passes = [&](const rules::FindingFilter& by, const Json& f) {
    return by.matches(*im.plan, f["severity"].get<std::string>(), f["rule"].get<std::string>(),
                      f["status"].get<std::string>(), f["subject"].get<std::string>());
  };
  for (auto& f : run["findings"]) {
    if (!passes(scope, f)) continue;  // the caller's scope: what "total" counts
    ++total;
    if (!passes(filter, f)) continue;
    f["fix"] = rules::fix_for(*im.rules, f["rule"].get<std::string>(), f["subject"].get<std::string>(),
                              f["period"].get<std::string>());
    shown.push_back(std::move(f));
  }
  return json_reply({{"period", period}, {"as_of", run["as_of"]}, {"org", filter.org.empty() ? Json() : Json(filter.org)},
                     {"compared_with", run["compared_with"]}, {"total", total}, {"shown", shown.size()},
                     {"findings", shown}});
}

Reply owed(Impl& im, const Request& req, const Caller& c, const std::smatch&) {
  auto args = pass(req, {"owed", "--format=json"}, {{"period", "--period"}});
  if (auto org = scope_org(im, c, param(req, "org")); !org.empty()) args.push_back("--org=" + org);
  return json_text(im.run_command(args));
}

Reply completeness(Impl& im, const Request& req, const Caller& c, const std::smatch&) {
  auto args = pass(req, {"completeness", "--format=json", "--list"}, {{"period", "--period"}});
  if (auto org = scope_org(im, c, param(req, "org")); !org.empty()) args.push_back("--org=" + org);
  return json_text(im.run_command(args));
}

// The plan's organisations and member states (what `org` and `partner` may name).
Reply organisations(Impl& im, const Request&, const Caller&, const std::smatch&) {
  Json orgs = Json::array();
  for (const auto& o : im.plan->organisations) orgs.push_back({{"id", o.id}, {"name", o.name}});
  return json_reply({{"organisations", orgs}, {"states", im.plan->states()}});
}

Reply periods(Impl& im, const Request&, const Caller&, const std::smatch&) {
  return json_text(im.run_command({"periods", "--format=json"}));
}

// A file a command writes (-o), read back.
std::string command_file(Impl& im, std::vector<std::string> args, const std::string& ext) {
  TempFile tmp("out." + ext, "");
  args.push_back("--output=" + tmp.path().string());
  im.run_command(args);
  std::ifstream in(tmp.path(), std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Reply template_file(Impl& im, const Request& req, const Caller& c, const std::smatch&) {
  const std::string period = required(req, "period");
  const std::string org = scope_org(im, c, param(req, "org"));
  if (org.empty()) throw ApiError{400, "missing_parameter", "name the organisation: ?org=ORG"};
  const std::string format = param(req, "format").empty() ? "csv" : param(req, "format");
  if (format != "csv" && format != "xlsx") throw ApiError{400, "bad_parameter", "format is csv or xlsx"};
  auto bytes = command_file(im, {"template", "--period=" + period, "--org=" + org, "--format=" + format}, format);
  return {200, bytes, format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "template-" + org + "-" + period + "." + format};
}

const std::map<std::string, std::string>& report_types() {
  static const std::map<std::string, std::string> k{
      {"html", "text/html; charset=utf-8"}, {"md", "text/markdown; charset=utf-8"}, {"json", "application/json"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, {"pdf", "application/pdf"}};
  return k;
}

// Reports of verified data only: joint, process (?process=), domain (?domain=), partner (the
// caller's own, or ?partner= for the secretariat), work-plan (?process=, ?term=).
Reply report(Impl& im, const Request& req, const Caller& c, const std::smatch& m) {
  const std::string kind = m[1], period = required(req, "period");
  std::string scope;  // in the file's name: which process, domain or partner
  const std::string format = param(req, "format").empty() ? "html" : param(req, "format");
  if (!report_types().count(format)) throw ApiError{400, "bad_parameter", "format is html, md, json, xlsx or pdf"};
  std::vector<std::string> args{"report", "--verified-only", "--period=" + period, "--format=" + format,
                                "--rules=" + im.config.rules, "--templates=" + im.config.templates};
  if (kind == "process") args.push_back("--scope=" + (scope = required(req, "process")));
  else if (kind == "domain") args.push_back("--domain=" + (scope = required(req, "domain")));
  else if (kind == "work-plan") args = pass(req, args, {{"term", "--term"}}), args.push_back("--work-plan=" + (scope = required(req, "process")));
  else if (kind == "partner") {
    if (c.role < Role::focal_point)
      throw ApiError{403, "forbidden", "a partner's report (its pack) is for its focal point and the secretariat"};
    auto org = scope_org(im, c, param(req, "partner"));
    if (org.empty()) throw ApiError{400, "missing_parameter", "name the partner: ?partner=ORG"};
    args.push_back("--partner=" + (scope = org));
  }
  auto bytes = command_file(im, args, format);
  std::string safe;
  for (char ch : scope) safe += std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' ? ch : '_';
  return {200, bytes, report_types().at(format), kind + (safe.empty() ? "" : "-" + safe) + "-" + period + "." + format};
}

Reply upload_new(Impl& im, const Request& req, const Caller& c, const std::smatch&) { return upload(im, req, c, 0); }
Reply resubmit(Impl& im, const Request& req, const Caller& c, const std::smatch& m) {
  auto id = std::string(m[1]);
  if (id.size() > 17) throw ApiError{404, "no_such_submission", "there is no submission " + id + " of yours"};
  return upload(im, req, c, std::stoll(id));
}
Reply verify(Impl& im, const Request& req, const Caller& c, const std::smatch& m) { return review(im, req, c, m, true); }
Reply return_(Impl& im, const Request& req, const Caller& c, const std::smatch& m) { return review(im, req, c, m, false); }

}  // namespace

const std::vector<Route>& routes() {
  const std::vector<std::string> upload_params{"dry_run", "name", "org", "sheet"};
  static const std::vector<Route> k{
      {"GET", "/me", Role::viewer, me, {}},
      {"GET", "/periods", Role::viewer, periods, {}},
      {"GET", "/organisations", Role::viewer, organisations, {}},
      {"POST", "/uploads", Role::contributor, upload_new, upload_params},
      {"GET", "/submissions", Role::contributor, list_submissions, {"org", "state"}},
      {"GET", R"(/submissions/(\d+))", Role::contributor, get_submission, {}},
      {"GET", R"(/submissions/(\d+)/file)", Role::contributor, submission_file, {"upload"}},
      {"GET", R"(/submissions/(\d+)/audit)", Role::focal_point, submission_audit, {}},
      {"POST", R"(/submissions/(\d+)/resubmit)", Role::contributor, resubmit, upload_params},
      {"POST", R"(/submissions/(\d+)/verify)", Role::secretariat, verify, {}},
      {"POST", R"(/submissions/(\d+)/return)", Role::secretariat, return_, {}},
      {"GET", "/findings", Role::focal_point, findings, {"period", "org", "severity", "rule", "domain", "status"}},
      {"GET", "/owed", Role::contributor, owed, {"period", "org"}},
      {"GET", "/template", Role::contributor, template_file, {"period", "org", "format"}},
      {"GET", "/completeness", Role::focal_point, completeness, {"period", "org"}},
      {"GET", R"(/reports/(joint|process|domain|partner|work-plan))", Role::viewer, report,
       {"period", "format", "process", "domain", "partner", "term"}},
  };
  return k;
}

}  // namespace jvap::service
