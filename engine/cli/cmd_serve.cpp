// `jvap serve`: the partner service (engine/service) on the project's plan, database and rules.
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "service/service.hpp"

namespace jvap::cli {

namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string rules = "rules", templates = "reports", web;
  int threads = 32, max_upload_mb = 20, uploads_per_minute = 30, failed_sign_ins = 10;
  bool trust_forwarded_for = false, check_config = false, no_log = false;
};

// "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback), "0.0.0.0:80".
std::pair<std::string, int> parse_listen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen " + model::quote(s) + ": expected HOST:PORT");
  std::string host = s.substr(0, colon), port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535)
    throw UsageError("--listen " + model::quote(s) + ": the port is a number from 0 to 65535");
  return {host, std::stoi(port)};
}

// A command for the service: this very binary run as a child process, its output captured in
// files of a private temporary folder. A child's memory goes back to the system when it ends (a
// check at the million-record size needs some 160 MiB), and children run side by side.
int run_child(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("jvap serve: cannot find its own binary: " + ec.message());
  char pattern[] = "/tmp/jvap-serve-cmd-XXXXXX";
  if (!::mkdtemp(pattern)) throw std::runtime_error("jvap serve: cannot make a temporary folder");
  const fs::path dir = pattern;
  const std::string out_file = (dir / "out").string(), err_file = (dir / "err").string();
  std::vector<char*> args;
  const std::string exe = self.string();
  args.push_back(const_cast<char*>(exe.c_str()));
  for (std::size_t i = 1; i < argv.size(); ++i) args.push_back(const_cast<char*>(argv[i].c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc == 0)
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  for (const auto& [file, stream] : {std::pair{out_file, &out}, std::pair{err_file, &err}}) {
    std::ifstream in(file, std::ios::binary);
    *stream << in.rdbuf();
  }
  fs::remove_all(dir, ec);
  if (rc != 0) throw std::runtime_error(std::string("jvap serve: cannot run a command: ") + std::strerror(rc));
  return WIFEXITED(status) ? WEXITSTATUS(status) : kInternal;
}

service::Config config_of(Context& ctx, const ServeArgs& a) {
  namespace fs = std::filesystem;
  service::Config c;
  std::tie(c.host, c.port) = parse_listen(a.listen);
  c.plans = fs::absolute(ctx.opts.plans).string();
  c.db = fs::absolute(ctx.opts.db).string();
  c.rules = fs::absolute(data_folder(a.rules, "rules")).string();
  c.templates = fs::absolute(data_folder(a.templates, "reports")).string();
  if (!a.web.empty()) c.web = a.web;
  else if (std::error_code ec; fs::is_directory(fs::path(c.templates) / "dashboard", ec)) c.web = c.templates + "/dashboard";
  else if (auto d = installed_data("reports/dashboard")) c.web = d->string();
  if (!ctx.opts.as_of.empty()) c.as_of = ctx.as_of;
  c.threads = a.threads;
  c.max_body = static_cast<std::size_t>(a.max_upload_mb) << 20;
  c.uploads_per_minute = a.uploads_per_minute;
  c.failed_signins_per_minute = a.failed_sign_ins;
  c.trust_forwarded_for = a.trust_forwarded_for;
  c.log_requests = !a.no_log;
  return c;
}

int run_serve(Context& ctx, const ServeArgs& a) {
  auto config = config_of(ctx, a);
  // glibc gives each thread that allocates an arena of its own (up to 8 a core) and keeps what it
  // frees there: with dozens of worker threads the service's memory would creep up to the sum of
  // their peaks. Two arenas keep it near what the requests in flight need.
  ::mallopt(M_ARENA_MAX, 2);
  if (a.check_config) {  // what the service would open, read only: nothing is created
    std::error_code ec;
    const auto db = std::filesystem::exists(ctx.opts.db, ec) ? Needs::Db::read : Needs::Db::none;
    open(ctx, {.db = db, .plan = true, .rules = a.rules, .done = "started"});
    if (!ctx.opts.quiet)
      ctx.out << "jvap serve: the plan and the rules are valid, "
              << (db == Needs::Db::read ? "the database opens" : "the database does not exist yet (the service creates it)")
              << "; it would listen on " << config.host << ":" << config.port << "\n";
    return kOk;
  }
  service::Service svc(config, run_child, ctx.err);
  int port = svc.bind();
  if (ctx.json()) print_json(ctx, {{"listening", config.host + ":" + std::to_string(port)}});
  else ctx.out << "jvap serve: listening on http://" << (config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host)
               << ":" << port << "/ (the dashboard; the API is under /api/v1); Ctrl-C stops it\n";
  ctx.out << std::flush;
  svc.serve_until_signal();
  if (!ctx.opts.quiet) ctx.err << "jvap serve: stopped\n";
  return kOk;
}

}  // namespace

CommandSpec serve_command() {
  return {"serve",
          "Run the partner service: uploads with dry runs, submissions and their review, findings, "
          "owed rows, templates, completeness and reports over HTTP, and the dashboard",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<ServeArgs>();
            app.add_option("--listen", a->listen, "Address and port (loopback by default; put nginx in front for others)")
                ->capture_default_str()
                ->type_name("HOST:PORT");
            app.add_option("--rules", a->rules, "Rules folder")->capture_default_str()->type_name("DIR");
            app.add_option("--templates", a->templates, "Report templates folder")->capture_default_str()->type_name("DIR");
            app.add_option("--web", a->web, "The dashboard's files (default: the templates' dashboard/)")->type_name("DIR");
            app.add_option("--threads", a->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 256));
            app.add_option("--max-upload-mb", a->max_upload_mb, "Largest upload body, in MiB")
                ->capture_default_str()
                ->check(CLI::Range(1, 1024));
            app.add_option("--uploads-per-minute", a->uploads_per_minute, "Uploads a token may send a minute (429 beyond)")
                ->capture_default_str()
                ->check(CLI::Range(1, 100000));
            app.add_option("--failed-sign-ins", a->failed_sign_ins,
                           "Failed sign-ins an address may make a minute before it is refused (429)")
                ->capture_default_str()
                ->check(CLI::Range(1, 100000));
            app.add_flag("--trust-forwarded-for", a->trust_forwarded_for,
                         "Behind a proxy on loopback (nginx): take the client's address from X-Forwarded-For");
            app.add_flag("--check-config", a->check_config,
                         "Open the plan, the rules and the database, say whether the service could start, and exit");
            app.add_flag("--no-log", a->no_log, "No line per request on stderr");
            return [a](Context& c) { return run_serve(c, *a); };
          },
          "The API is described in docs/api.md. Tokens: jvap token create.\n"};
}

}  // namespace jvap::cli
