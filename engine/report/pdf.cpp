// PDF: the HTML report printed by headless Chromium (A4, from the report's print stylesheet).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include "report/report.hpp"

extern char** environ;

namespace jvap::report {

std::optional<std::filesystem::path> find_chromium() {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
    std::string dirs = path;
    std::size_t start = 0;
    while (start <= dirs.size()) {
      auto end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
      if (!candidate.parent_path().empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  return std::nullopt;
}

namespace {

// Runs argv, output discarded; returns the exit status (or -1 when it could not start).
int run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct TempPath {
  std::filesystem::path path;
  ~TempPath() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

void write_pdf(const std::string& html, const std::filesystem::path& file) {
  auto chromium = find_chromium();
  if (!chromium)
    throw ReportError("PDF needs Chromium, which is not installed (on Debian: apt-get install "
                      "chromium); use --format html and print it instead");
  std::string pattern = (std::filesystem::temp_directory_path() / "jvap-pdf-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw ReportError("cannot create a temporary folder for the PDF");
  TempPath tmp{pattern};
  auto page = tmp.path / "report.html";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out) throw ReportError(page.string() + ": cannot write the page to print");
  }
  auto target = std::filesystem::absolute(file);
  std::filesystem::remove(target);
  int rc = run({"timeout", "300", chromium->string(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
                // No network at all: the page is the report alone (its CSP says so too).
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=<-loopback>", "--disable-component-update", "--disable-sync",
                "--disable-domain-reliability",
                "--disable-extensions", "--user-data-dir=" + (tmp.path / "profile").string(),
                "--no-pdf-header-footer", "--print-to-pdf=" + target.string(), "file://" + page.string()});
  std::error_code ec;
  if (rc != 0 || !std::filesystem::exists(target, ec) || std::filesystem::file_size(target, ec) == 0)
    throw ReportError(
        file.string() + ": Chromium (" + chromium->string() + ") " +
        (rc == 124  ? "did not print the PDF within 300 s"
         : rc == 0  ? "exited without writing the PDF"
                    : "failed to print the PDF (exit status " + std::to_string(rc) + ")") +
        "; for a very large report print a domain or process report, or use the HTML or XLSX");
}

}  // namespace jvap::report
