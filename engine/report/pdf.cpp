// PDF: the HTML report printed by headless Chromium (A4, from the report's print stylesheet).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <map>
#include <fstream>

#include "report/report.hpp"

extern char** environ;

namespace jvap::report {

std::optional<std::filesystem::path> find_program(std::initializer_list<const char*> names) {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  for (const char* name : names) {
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

std::optional<std::filesystem::path> find_chromium() {
  return find_program({"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"});
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


// Prints `html` to `target` with Chromium; ReportError when it fails.
void print_page(const std::filesystem::path& chromium, const TempPath& tmp, const std::string& html,
                const std::filesystem::path& target, const std::filesystem::path& file) {
  auto page = tmp.path / "report.html";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out) throw ReportError(page.string() + ": cannot write the page to print");
  }
  std::filesystem::remove(target);
  int rc = run({"timeout", "300", chromium.string(), "--headless", "--no-sandbox", "--disable-gpu",
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
        file.string() + ": Chromium (" + chromium.string() + ") " +
        (rc == 124  ? "did not print the PDF within 300 s"
         : rc == 0  ? "exited without writing the PDF"
                    : "failed to print the PDF (exit status " + std::to_string(rc) + ")") +
        "; for a very large report print a domain or process report, or use the HTML or XLSX");
}

// Letters and digits only, lower case: pdftotext breaks lines and spaces where it likes.
std::string squeezed(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

// The start of a page's text: its first three non-empty lines, squeezed.
std::string page_head(const std::string& page) {
  std::string head;
  int lines = 0;
  std::size_t start = 0;
  while (start < page.size() && lines < 3) {
    auto end = page.find('\n', start);
    if (end == std::string::npos) end = page.size();
    auto line = squeezed(std::string_view(page).substr(start, end - start));
    if (!line.empty()) head += line, ++lines;
    start = end + 1;
  }
  return head;
}

// The page (1-based) each section starts on: every section starts a page (the print stylesheet),
// so it is the first page, in report order, whose text begins with the section's title.
std::map<std::string, int> section_pages(const Report& r, const std::vector<std::string>& pages) {
  std::vector<std::string> heads;
  for (const auto& p : pages) heads.push_back(page_head(p));
  std::map<std::string, int> out;
  std::size_t from = 0;
  for (const auto& s : r.sections) {
    auto want = squeezed(s.title).substr(0, 40);
    for (std::size_t i = from; i < heads.size(); ++i)
      if (heads[i].rfind(want, 0) == 0) {
        out[s.id] = static_cast<int>(i) + 1;
        from = i + 1;
        break;
      }
  }
  return out;
}

bool near_empty_last(const std::vector<std::string>& pages) {
  if (pages.size() < 3) return false;
  std::vector<std::size_t> sizes;
  for (const auto& p : pages) sizes.push_back(squeezed(p).size());
  auto last = sizes.back();
  std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2), sizes.end());
  return last * 6 < sizes[sizes.size() / 2];
}

}  // namespace

std::optional<std::vector<std::string>> pdf_pages_text(const std::filesystem::path& pdf) {
  auto tool = find_program({"pdftotext"});
  if (!tool) return std::nullopt;
  auto txt = pdf;
  txt += ".txt";
  if (run({tool->string(), "-layout", "-enc", "UTF-8", pdf.string(), txt.string()}) != 0) return std::nullopt;
  std::ifstream in(txt, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::error_code ec;
  std::filesystem::remove(txt, ec);
  std::vector<std::string> pages;
  std::size_t start = 0;
  for (auto ff = all.find('\f'); ff != std::string::npos; ff = all.find('\f', start)) {
    pages.push_back(all.substr(start, ff - start));
    start = ff + 1;
  }
  if (start < all.size() && all.find_first_not_of(" \n", start) != std::string::npos)
    pages.push_back(all.substr(start));
  return pages;
}

std::vector<std::string> write_pdf(const Report& r, const std::filesystem::path& templates,
                                   const std::filesystem::path& file) {
  auto chromium = find_chromium();
  if (!chromium)
    throw ReportError("PDF needs Chromium, which is not installed (on Debian: apt-get install "
                      "chromium); use --format html and print it instead");
  std::string pattern = (std::filesystem::temp_directory_path() / "jvap-pdf-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw ReportError("cannot create a temporary folder for the PDF");
  TempPath tmp{pattern};
  auto target = std::filesystem::absolute(file);
  auto first = tmp.path / "first.pdf";
  print_page(*chromium, tmp, to_print_html(r, templates, {}), first, file);
  auto pages = pdf_pages_text(first);
  if (!pages) {
    std::filesystem::rename(first, target);
    return {"pdftotext (poppler-utils) is not installed: the PDF's contents page has no page "
            "numbers (on Debian: apt-get install poppler-utils)"};
  }
  // A last page holding a few lines (less than a sixth of the median page's text): print once
  // more with the tables a little smaller, and keep that layout if it is a page shorter.
  bool tight = false;
  if (near_empty_last(*pages)) {
    print_page(*chromium, tmp, to_print_html(r, templates, {}, true), first, file);
    auto again = pdf_pages_text(first);
    if (again && again->size() < pages->size()) {
      pages = std::move(again);
      tight = true;
    }
  }
  print_page(*chromium, tmp, to_print_html(r, templates, section_pages(r, *pages), tight), target, file);
  return {};
}

}  // namespace jvap::report
