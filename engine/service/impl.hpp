// Internal to the service: what a request handler works with. http.cpp owns the server, the
// limits and the sign-in; api.cpp holds the one table of endpoints (routes()).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.hpp"
#include "rules/rules.hpp"
#include "service/service.hpp"
#include "service/token.hpp"
#include "store/store.hpp"

namespace httplib {
struct Request;
}

namespace jvap::service {

using Json = nlohmann::ordered_json;

// An error answered as {"error": {"status", "code", "message"}}: the code is stable, the message
// says what to do.
struct ApiError {
  int status;
  std::string code;
  std::string message;
  Json details = nullptr;  // e.g. the rejected rows of an upload
};

// Who is calling: their token's row and role.
struct Caller {
  store::Token token;
  Role role = Role::viewer;
  bool secretariat() const { return role == Role::secretariat; }
  std::string actor() const { return token.key + " (" + token.org + ")"; }
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string filename;  // set: sent as an attachment with this name
};
Reply json_reply(const Json& j, int status = 200);

// Counts events per key within a sliding minute.
class RateLimiter {
 public:
  // Whether one more event for `key` stays within `limit` a minute; records it when it does.
  bool allow(const std::string& key, int limit);
  // Whether `key` has reached `limit` events in the last minute (recording nothing).
  bool reached(const std::string& key, int limit);
  void record(const std::string& key);

 private:
  void prune(std::deque<std::chrono::steady_clock::time_point>& q);
  void sweep();  // drops the keys with no event in the last minute, once there are many
  std::mutex m_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> events_;
};

struct Service::Impl {
  Config config;
  Command command;
  std::ostream& log;
  std::mutex log_mutex;
  std::optional<model::Plan> plan;
  std::optional<rules::RuleSet> rules;
  std::mutex writer_mutex;  // uploads and reviews: one writer at a time
  std::unique_ptr<store::Store> writer;
  // Commands run side by side up to `command_slots` at once (each is a child process).
  std::mutex command_mutex;
  std::condition_variable command_freed;
  int commands_running = 0, commands_waiting = 0;
  RateLimiter failed_signins, uploads;
  // Findings: `jvap check --no-store` of a period (the service stores no check run: the stored
  // runs stay the secretariat's, and statuses compare with its last one), kept per period with
  // the inputs it saw. Checks run one at a time, and a request takes the result of any check that
  // started after it arrived (readers during a stream of uploads share checks).
  struct Checked {
    std::string inputs, json;
    std::chrono::steady_clock::time_point started;
  };
  std::mutex check_mutex;
  std::map<std::string, Checked> checked;
  std::map<std::string, std::string> web_files;  // dashboard path -> file
  struct Server;
  std::unique_ptr<Server> server;

  Impl(const Config& c, Command cmd, std::ostream& l);
  ~Impl();
  calendar::Date today() const;
  std::unique_ptr<store::Store> reader() const;
  // Runs a jvap command with the service's plan, database and date; `args` after the command's
  // name, each option as "--name=value". Throws ApiError 400 with its message on a usage or input
  // error, 500 on an internal one.
  std::string run_command(const std::vector<std::string>& args);
  void write_log(const std::string& line);
};

// One endpoint: its method, its path (a regex over the path after /api/v1), the least role that
// may call it, and its handler (with the path's captures).
using Handler = std::function<Reply(Service::Impl&, const httplib::Request&, const Caller&, const std::smatch&)>;
struct Route {
  std::string method;
  std::string path;
  Role least;
  Handler handle;
  std::vector<std::string> params;  // the query parameters it takes (any other is refused)
};
const std::vector<Route>& routes();

// The query parameter `name`, checked to be UTF-8 without control characters ("" when absent).
std::string param(const httplib::Request& req, const std::string& name);

}  // namespace jvap::service
