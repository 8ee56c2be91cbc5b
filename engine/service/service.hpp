// The partner service (`jvap serve`): an HTTP API under /api/v1 and the dashboard, over the same
// plan, store, ingest, rules and reports as the command line. Partners upload and see what they
// owe and what the checks found about their initiatives; the secretariat reviews each submission
// before its data reaches reports of verified data. docs/api.md is its reference.
//
// It binds to loopback by default and refuses, before a body is read, what cpp-httplib 0.11 cannot
// bound (chunked or length-less bodies, Content-Encoding, oversized headers); production runs it
// behind nginx (share/doc/jvap/examples).
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"

namespace jvap::service {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests), see Service::bind()
  std::string plans = "plans", db = "jvap.db", rules = "rules", templates = "reports";
  std::string web;  // the dashboard's files (index.html, app.js, app.css)
  std::optional<calendar::Date> as_of;  // a fixed evaluation date (tests, demos); else today
  int threads = 32;        // worker threads: each open connection holds one
  int command_slots = 2;   // commands (checks, reports) running at once
  int command_queue = 6;   // requests that may wait for a slot (beyond: 503)
  std::size_t max_body = 20u << 20;  // bytes of an upload
  std::size_t max_headers = 16u << 10;  // bytes of all header lines together
  int uploads_per_minute = 30;          // per token, dry runs included
  int failed_signins_per_minute = 10;   // per client address
  int read_timeout_seconds = 30;
  bool trust_forwarded_for = false;     // behind nginx on loopback: the client is X-Forwarded-For's last
  bool log_requests = true;
};

// Runs a jvap command with these arguments (argv[0] first) and returns its exit code: the CLI
// runs it as a child process of the same binary (injected, so the service does not depend on the
// CLI).
using Command = std::function<int(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err)>;

class Service {
 public:
  // Opens the database (creating and migrating it), loads the plan and the rules: throws
  // model::Error with every problem when one of them is wrong.
  Service(const Config& config, Command command, std::ostream& log);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds the listening socket; returns the port (the one chosen when Config::port is 0). Throws
  // model::Error when the address cannot be bound.
  int bind();
  // Serves until stop() (another thread, or SIGINT/SIGTERM through serve_until_signal).
  void run();
  void stop();

  // Serves on the bound port until SIGINT or SIGTERM.
  void serve_until_signal();

  struct Impl;  // engine/service/impl.hpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jvap::service
