// The service's HTTP side: limits and refusals before a body is read, sign-in with a bearer
// token, rate limits, dispatch through the endpoint table, JSON errors, the dashboard's files,
// and one log line per request (never a token or file content).
#include <httplib.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "model/error.hpp"
#include "model/text.hpp"
#include "service/impl.hpp"

namespace jvap::service {

struct Service::Impl::Server {
  httplib::Server http;
};

namespace {

const char* kSecurityHeaders[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
};
// The dashboard: its own files only, no inline script, no framing.
const char* kDashboardPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Whatever the API returns (reports in HTML included) runs nothing.
const char* kApiPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'none'";

std::string trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(0, s.find_first_not_of(ws));
  s.erase(s.find_last_not_of(ws) + 1);
  return s;
}

bool contains_token(std::string_view s) { return find_token(s) != std::string_view::npos; }

// The text as it may be shown or logged: printable, and a token's secret replaced.
std::string redact(std::string_view s) {
  std::string out = model::printable(s);
  for (auto at = find_token(out); at != std::string::npos; at = find_token(out, at + 1)) {
    const auto secret = at + 14;  // after "jvap_", the key and "_"
    auto end = out.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", secret);
    out.replace(secret, (end == std::string::npos ? out.size() : end) - secret, "[redacted]");
  }
  return out;
}

Json error_json(const ApiError& e) {
  Json j{{"error", {{"status", e.status}, {"code", e.code}, {"message", e.message}}}};
  if (!e.details.is_null()) j["error"]["details"] = e.details;
  return j;
}

void send(httplib::Response& res, const Reply& r) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
  if (!r.filename.empty()) res.set_header("Content-Disposition", "attachment; filename=\"" + r.filename + "\"");
}

void send_error(httplib::Response& res, const ApiError& e) { send(res, json_reply(error_json(e), e.status)); }

// The client's address: behind a trusted proxy on loopback, the last X-Forwarded-For hop.
std::string client_of(const Config& c, const httplib::Request& req) {
  if (c.trust_forwarded_for && (req.remote_addr == "127.0.0.1" || req.remote_addr == "::1")) {
    auto fwd = req.get_header_value("X-Forwarded-For");
    if (!fwd.empty()) {
      auto comma = fwd.rfind(',');
      auto last = trim(comma == std::string::npos ? fwd : fwd.substr(comma + 1));
      // An address, or the connection's own when the hop is anything else (nginx writes one).
      if (!last.empty() && last.size() <= 45 && last.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos)
        return last;
    }
  }
  return req.remote_addr;
}

// What cpp-httplib 0.11 cannot bound, refused before it reads a body.
std::optional<ApiError> refuse_early(const Config& c, const httplib::Request& req) {
  std::size_t header_bytes = 0;
  for (const auto& [k, v] : req.headers) header_bytes += k.size() + v.size() + 4;
  if (header_bytes > c.max_headers || req.headers.size() > 100)
    return ApiError{431, "headers_too_large",
                    "the request's headers exceed " + std::to_string(c.max_headers / 1024) + " KiB or 100 lines"};
  if (req.has_header("Transfer-Encoding"))
    return ApiError{411, "length_required", "send the body with a Content-Length, not in chunks"};
  if (req.has_header("Content-Encoding"))
    return ApiError{415, "content_encoding", "compressed request bodies are not accepted; send the file as it is"};
  // cpp-httplib 0.11 builds a many-range answer whole in memory: ranges are not served.
  if (req.has_header("Range"))
    return ApiError{416, "range_not_supported", "byte ranges are not served; ask for the whole resource"};
  for (const auto& [k, v] : req.params)
    if (k == "token" || k == "access_token" || contains_token(k) || contains_token(v))
      return ApiError{400, "token_in_url", "a token must never be put in a URL; send it as 'Authorization: Bearer TOKEN'"};
  const bool body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (body && !req.has_header("Content-Length"))
    return ApiError{411, "length_required", "a " + req.method + " request needs a Content-Length"};
  if (body) {
    auto len = req.get_header_value("Content-Length");
    if (len.empty() || len.size() > 15 || len.find_first_not_of("0123456789") != std::string::npos)
      return ApiError{400, "bad_length", "Content-Length is not a number"};
    if (std::stoull(len) > c.max_body)
      return ApiError{413, "too_large", "the body exceeds the service's limit of " +
                                            std::to_string(c.max_body >> 20) + " MiB"};
  }
  return std::nullopt;
}

}  // namespace

// Invalid UTF-8 from anywhere (a path, a stored label) is replaced, never a failure to answer.
Reply json_reply(const Json& j, int status) {
  return {status, j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n", "application/json", ""};
}

std::string param(const httplib::Request& req, const std::string& name) {
  if (req.get_param_value_count(name.c_str()) > 1)
    throw ApiError{400, "bad_parameter", "the parameter '" + name + "' is given more than once"};
  auto v = req.get_param_value(name.c_str());
  std::size_t bad = 0;
  if (!model::valid_utf8(v, bad) || model::find_control(v) != std::string::npos)
    throw ApiError{400, "bad_parameter", "the parameter '" + name + "' is not UTF-8 text"};
  return v;
}

// ---- rate limits ----

void RateLimiter::prune(std::deque<std::chrono::steady_clock::time_point>& q) {
  const auto cutoff = std::chrono::steady_clock::now() - std::chrono::minutes(1);
  while (!q.empty() && q.front() < cutoff) q.pop_front();
}

void RateLimiter::sweep() {
  if (events_.size() < 4096) return;
  for (auto it = events_.begin(); it != events_.end();) {
    prune(it->second);
    it = it->second.empty() ? events_.erase(it) : std::next(it);
  }
}

bool RateLimiter::allow(const std::string& key, int limit) {
  std::lock_guard lock(m_);
  sweep();
  auto& q = events_[key];
  prune(q);
  if (static_cast<int>(q.size()) >= limit) return false;
  q.push_back(std::chrono::steady_clock::now());
  return true;
}

bool RateLimiter::reached(const std::string& key, int limit) {
  std::lock_guard lock(m_);
  auto it = events_.find(key);
  if (it == events_.end()) return false;
  prune(it->second);
  if (it->second.empty()) {
    events_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= limit;
}

void RateLimiter::record(const std::string& key) {
  std::lock_guard lock(m_);
  sweep();
  events_[key].push_back(std::chrono::steady_clock::now());
}

// ---- the service's shared parts ----

calendar::Date Service::Impl::today() const {
  if (config.as_of) return *config.as_of;
  return std::chrono::floor<date::days>(std::chrono::system_clock::now());
}

std::unique_ptr<store::Store> Service::Impl::reader() const {
  return std::make_unique<store::Store>(config.db, store::Access::read);
}

std::string Service::Impl::run_command(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"jvap"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.begin() + 2, {"--plans=" + config.plans, "--db=" + config.db,
                                 "--as-of=" + calendar::to_string(today()), "-q"});
  std::ostringstream out, err;
  int code;
  {
    // A few requests may wait for a slot; beyond that the service says it is busy rather than
    // let waiting requests hold every worker thread.
    std::unique_lock lock(command_mutex);
    if (commands_running + commands_waiting >= config.command_slots + config.command_queue)
      throw ApiError{503, "busy", "the service is building other reports and checks; try again in a minute"};
    ++commands_waiting;
    command_freed.wait(lock, [&] { return commands_running < config.command_slots; });
    --commands_waiting;
    ++commands_running;
  }
  struct Release {
    Impl& im;
    ~Release() {
      {
        std::lock_guard lock(im.command_mutex);
        --im.commands_running;
      }
      im.command_freed.notify_one();
    }
  } release{*this};
  code = command(argv, out, err);
  if (code == model::kOk || code == model::kFailed) return out.str();
  std::string message = trim(err.str());
  for (const auto& p : {config.plans + "/", config.db}) {  // the service's own paths are nobody's business
    for (auto at = message.find(p); at != std::string::npos; at = message.find(p)) message.erase(at, p.size());
  }
  if (code == model::kInputError) throw ApiError{400, "bad_request", message};
  throw ApiError{500, "internal", "the service could not answer: " + message};
}

void Service::Impl::write_log(const std::string& line) {
  if (!config.log_requests) return;
  std::lock_guard lock(log_mutex);
  log << line << '\n' << std::flush;
}

namespace {

using Impl = Service::Impl;

void secure(httplib::Response& res, const char* policy) {
  for (const auto& h : kSecurityHeaders) res.set_header(h[0], h[1]);
  res.set_header("Content-Security-Policy", policy);
  res.set_header("Cache-Control", "no-store");
}

// Signs the caller in with the bearer token of the Authorization header.
Caller sign_in(Impl& im, const httplib::Request& req, const std::string& client) {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty())
    throw ApiError{401, "no_token", "sign in: send your token as 'Authorization: Bearer TOKEN'"};
  // Past the limit of failures from this address, a wrong token is answered 429 (so guessing
  // stops), while a valid one still signs in (so one bad client does not lock out its office).
  const bool limited = im.failed_signins.reached(client, im.config.failed_signins_per_minute);
  auto fail = [&](const std::string& code, const std::string& message) {
    if (limited) return ApiError{429, "too_many_failed_sign_ins", "too many failed sign-ins from this address; wait a minute"};
    im.failed_signins.record(client);
    return ApiError{401, code, message};
  };
  std::string scheme = header.substr(0, 7);
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::string token = scheme == "bearer " ? trim(header.substr(7)) : "";
  auto key = token_key(token);
  if (!key) throw fail("bad_token", "the Authorization header does not hold a jvap token ('Bearer jvap_...')");
  auto row = im.reader()->token(*key);
  if (!row) throw fail("bad_token", "this token is not known to the service");
  switch (check_token(token, *row, im.today())) {
    case TokenCheck::wrong: throw fail("bad_token", "this token is not known to the service");
    case TokenCheck::revoked: throw fail("token_revoked", "this token was revoked on " + calendar::to_string(*row->revoked_on));
    case TokenCheck::expired: throw fail("token_expired", "this token expired on " + calendar::to_string(*row->expires_on));
    case TokenCheck::ok: break;
  }
  auto role = parse_role(row->role);
  if (!role) throw ApiError{500, "internal", "the token's role is not known"};
  return {*row, *role};
}

const Route& route_for(const httplib::Request& req, const std::string& path, std::smatch& m) {
  static const std::vector<std::regex> patterns = [] {
    std::vector<std::regex> v;
    for (const auto& r : routes()) v.emplace_back(r.path);
    return v;
  }();
  bool other_method = false;
  for (std::size_t i = 0; i < routes().size(); ++i) {
    const auto& r = routes()[i];
    if (!std::regex_match(path, m, patterns[i])) continue;
    if (r.method == req.method) return r;
    other_method = true;
  }
  if (other_method) throw ApiError{405, "method_not_allowed", req.method + " is not allowed on " + redact(req.path)};
  throw ApiError{404, "not_found", "there is no endpoint " + redact(req.path) + " (see docs/api.md)"};
}

void check_params(const httplib::Request& req, const Route& r) {
  for (const auto& [k, v] : req.params)
    if (std::find(r.params.begin(), r.params.end(), k) == r.params.end())
      throw ApiError{400, "unknown_parameter",
                     "unknown parameter '" + model::printable(k) + "'" +
                         (r.params.empty() ? std::string(" (this endpoint takes none)")
                                           : model::did_you_mean(k, r.params))};
}

void dispatch(Impl& im, const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  const std::string client = client_of(im.config, req);
  std::string who = "-";
  secure(res, kApiPolicy);
  try {
    std::smatch m;
    const std::string path = req.path.substr(std::string("/api/v1").size());
    const Route& route = route_for(req, path, m);
    Caller caller = sign_in(im, req, client);
    who = caller.token.key + "/" + model::printable(caller.token.org);
    if (caller.role < route.least)
      throw ApiError{403, "forbidden", "a " + to_string(caller.role) + " token cannot use " + req.method + " " +
                                           redact(req.path) + " (it needs " + to_string(route.least) + " or above)"};
    check_params(req, route);
    send(res, route.handle(im, req, caller, m));
  } catch (const ApiError& e) {
    if (e.status == 429 || e.status == 503) res.set_header("Retry-After", "60");
    send_error(res, e);
  } catch (const model::Error& e) {
    send_error(res, {400, "bad_request", model::describe(e)});
  } catch (const std::exception& e) {
    im.write_log(std::string("jvap serve: internal error: ") + e.what());
    send_error(res, {500, "internal", "the service failed to answer; the secretariat can read its log"});
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  im.write_log("jvap serve: " + model::printable(client) + " " + who + " " + req.method + " " + redact(req.path) + " " +
               std::to_string(res.status) + " " + std::to_string(ms.count()) + " ms");
}

void serve_file(Impl& im, const std::string& name, httplib::Response& res) {
  secure(res, kDashboardPolicy);
  auto it = im.web_files.find(name);
  std::ifstream in(it == im.web_files.end() ? "" : it->second, std::ios::binary);
  if (!in) return send_error(res, {404, "not_found", "no such dashboard file"});
  std::ostringstream body;
  body << in.rdbuf();
  const auto ext = name.substr(name.rfind('.') + 1);
  const char* type = ext == "html"  ? "text/html; charset=utf-8"
                     : ext == "js"  ? "text/javascript; charset=utf-8"
                     : ext == "css" ? "text/css; charset=utf-8"
                     : ext == "svg" ? "image/svg+xml"
                                    : "application/octet-stream";
  res.set_content(body.str(), type);
}

void load_web_files(Impl& im) {
  if (im.config.web.empty()) return;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(im.config.web, ec)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file() && std::regex_match(name, std::regex("[a-z0-9][a-z0-9._-]*")))
      im.web_files[name] = e.path().string();
  }
}

void configure(Impl& im) {
  auto& h = im.server->http;
  const auto& c = im.config;
  h.new_task_queue = [n = static_cast<std::size_t>(c.threads)] { return new httplib::ThreadPool(n); };
  h.set_payload_max_length(c.max_body);
  h.set_read_timeout(c.read_timeout_seconds, 0);
  h.set_write_timeout(60, 0);
  h.set_keep_alive_max_count(100);
  h.set_keep_alive_timeout(2);  // an idle connection holds a worker thread
  // "Expect: 100-continue": what would be refused is refused before the client sends the body.
  h.set_expect_100_continue_handler([&im](const httplib::Request& req, httplib::Response& res) {
    auto refusal = refuse_early(im.config, req);
    if (!refusal) return 100;
    secure(res, kApiPolicy);
    send_error(res, *refusal);
    return refusal->status;
  });
  h.set_pre_routing_handler([&im](const httplib::Request& req, httplib::Response& res) {
    auto refusal = refuse_early(im.config, req);
    if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
    secure(res, kApiPolicy);
    send_error(res, *refusal);
    res.set_header("Connection", "close");
    im.write_log("jvap serve: " + model::printable(client_of(im.config, req)) + " - " + req.method + " " + redact(req.path) +
                 " " + std::to_string(refusal->status) + " refused before the body");
    return httplib::Server::HandlerResponse::Handled;
  });
  auto api = [&im](const httplib::Request& req, httplib::Response& res) { dispatch(im, req, res); };
  const std::string all = R"(/api/v1/.*)";
  h.Get(all, api);
  h.Post(all, api);
  h.Put(all, api);
  h.Delete(all, api);
  h.Patch(all, api);
  h.Get("/", [&im](const httplib::Request&, httplib::Response& res) { serve_file(im, "index.html", res); });
  h.Get(R"(/dashboard/([a-z0-9._-]+))", [&im](const httplib::Request& req, httplib::Response& res) {
    serve_file(im, req.matches[1], res);
  });
  h.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    secure(res, kApiPolicy);
    const int s = res.status;
    send_error(res, {s, s == 404 ? "not_found" : s == 413 ? "too_large" : s == 414 ? "uri_too_long" : "bad_request",
                     s == 404 ? "there is nothing at " + redact(req.path) : "the request was refused (HTTP " + std::to_string(s) + ")"});
    return httplib::Server::HandlerResponse::Handled;
  }));
  h.set_exception_handler([&im](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    im.write_log("jvap serve: internal error in a request");
    secure(res, kApiPolicy);
    send_error(res, {500, "internal", "the service failed to answer; the secretariat can read its log"});
  });
}

}  // namespace

Service::Impl::Impl(const Config& c, Command cmd, std::ostream& l) : config(c), command(std::move(cmd)), log(l) {}
Service::Impl::~Impl() = default;

Service::Service(const Config& c, Command command, std::ostream& log)
    : impl_(std::make_unique<Impl>(c, std::move(command), log)) {
  auto& im = *impl_;
  auto loaded_rules = rules::load(c.rules);
  if (!loaded_rules.rules)
    throw model::Error("the rules in " + c.rules + " have " + model::count_label(loaded_rules.errors.size(), "error", "errors") +
                           "; the service did not start",
                       model::kInputError, std::nullopt, std::move(loaded_rules.errors));
  im.rules = std::move(loaded_rules.rules);
  im.writer = std::make_unique<store::Store>(c.db, store::Access::write);
  auto loaded = im.writer->load_plan(c.plans);
  if (!loaded.plan)
    throw model::Error("the plan in " + c.plans + " has " + model::count_label(loaded.errors.size(), "error", "errors") +
                           "; the service did not start",
                       model::kInputError, std::nullopt, std::move(loaded.errors));
  im.plan = std::move(loaded.plan);
  load_web_files(im);
  im.server = std::make_unique<Impl::Server>();
  configure(im);
}

Service::~Service() = default;

int Service::bind() {
  auto& h = impl_->server->http;
  const auto& c = impl_->config;
  int port = c.port == 0 ? h.bind_to_any_port(c.host) : (h.bind_to_port(c.host, c.port) ? c.port : -1);
  if (port <= 0)
    throw model::Error("jvap serve: cannot listen on " + c.host + ":" + std::to_string(c.port) +
                       " (in use, or not an address of this machine)");
  return port;
}

void Service::run() { impl_->server->http.listen_after_bind(); }

void Service::stop() { impl_->server->http.stop(); }

namespace {
std::atomic<httplib::Server*> g_signalled{nullptr};
extern "C" void on_signal(int) {
  if (auto* s = g_signalled.load()) s->stop();
}
}  // namespace

void Service::serve_until_signal() {
  g_signalled = &impl_->server->http;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  run();
  g_signalled = nullptr;
}

}  // namespace jvap::service
