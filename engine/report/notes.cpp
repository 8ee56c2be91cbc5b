// Secretariat notes: a Markdown file with one '## <section>' heading per report section. Read
// strictly (every problem located, all at once), and rendered so that the report loads nothing
// from outside: images are refused, links are shown as text with their address.
#include <cmark.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "model/text.hpp"
#include "report/report.hpp"

namespace jvap::report {

namespace {

constexpr std::size_t kMaxNotesBytes = 1u << 20;

using Node = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

Node parse_markdown(const std::string& md) {
  return Node(cmark_parse_document(md.c_str(), md.size(), CMARK_OPT_SAFE), &cmark_node_free);
}

// Images in one section's text, located in the file (the section's text starts at `first_line`).
void refuse_images(const std::string& text, const std::string& file, int first_line,
                   std::vector<model::Diagnostic>& problems) {
  Node doc = parse_markdown(text);
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()), &cmark_iter_free);
  for (cmark_event_type ev; (ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(it.get());
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(n);
    problems.push_back({file, first_line + cmark_node_get_start_line(n) - 1, cmark_node_get_start_column(n),
                        "an image (" + model::quote(url ? url : "") +
                            "): a report loads nothing from outside; describe it in words or put it in an annex"});
  }
}

// The file's text line by line: UTF-8, no control characters but tabs.
bool check_text(const std::string& text, const std::string& file, std::vector<model::Diagnostic>& problems) {
  std::size_t pos = 0;
  int n = 1;
  for (; pos <= text.size() && problems.size() < 20; ++n) {
    std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line(text.data() + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t bad = 0;
    if (!model::valid_utf8(line, bad))
      problems.push_back({file, n, static_cast<int>(bad) + 1, "the file is not valid UTF-8 here: save it as UTF-8"});
    else if (auto c = model::find_control(line, "\t"); c != std::string::npos)
      problems.push_back({file, n, static_cast<int>(c) + 1, model::describe_char_at(line, c) + " in the text: remove it"});
    pos = end + 1;
  }
  return problems.empty();
}

}  // namespace

std::map<std::string, std::string> parse_notes(std::string text, const std::string& file,
                                               const model::Plan& plan) {
  std::vector<model::Diagnostic> problems;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte-order mark
  if (!check_text(text, file, problems))
    throw ReportError("the notes in " + file + " have errors; no report was written", model::kInputError,
                      std::nullopt, std::move(problems));
  const std::vector<std::string> ids = note_sections(plan);
  std::map<std::string, std::string> notes;
  std::map<std::string, int> first_line;
  std::istringstream in(text);
  std::string line, current;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("## ", 0) == 0) {
      auto space = line.find(' ', 3);
      std::string id = line.substr(3, space == std::string::npos ? std::string::npos : space - 3);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        std::string known;
        for (const auto& k : ids) known += (known.empty() ? "" : ", ") + k;
        problems.push_back({file, n, 4, "unknown report section " + model::quote(id) +
                                            model::did_you_mean(id, ids) + " (sections: " + known + ")"});
        current.clear();
        continue;
      }
      if (notes.count(id)) problems.push_back({file, n, 4, "a second heading for section " + model::quote(id)});
      current = id;
      notes[id];
      first_line[id] = n + 1;
      continue;
    }
    if (current.empty()) {
      if (line.find_first_not_of(" \t") != std::string::npos && problems.empty())
        problems.push_back({file, n, 1, "text before the first '## <section>' heading"});
      continue;
    }
    notes[current] += line + "\n";
  }
  for (const auto& [id, body] : notes) refuse_images(body, file, first_line[id], problems);
  model::sort_unique(problems);
  if (!problems.empty())
    throw ReportError("the notes in " + file + " have errors; no report was written", model::kInputError,
                      std::nullopt, std::move(problems));
  for (auto& [id, body] : notes) {
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    auto first = body.find_first_not_of('\n');
    body = first == std::string::npos ? "" : body.substr(first) + "\n";
  }
  return notes;
}

std::map<std::string, std::string> read_notes(const std::filesystem::path& path, const model::Plan& plan) {
  const std::string file = model::printable(path.string());
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status))
    throw ReportError("--notes: " + file + " is a folder, not a Markdown file");
  if (!std::filesystem::exists(status)) throw ReportError("--notes: " + file + " does not exist");
  if (!std::filesystem::is_regular_file(status))
    throw ReportError("--notes: " + file + " is not a regular file (a pipe or a device)");
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxNotesBytes)
    throw ReportError("--notes: " + file + " is " + std::to_string(size >> 10) +
                      " KiB; notes may be at most 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw ReportError("--notes: cannot read " + file);
  return parse_notes(std::move(text).str(), file, plan);
}

std::string notes_to_html(const std::string& md) {
  Node doc = parse_markdown(md);
  // Links become their text followed by the address: nothing in a report points or loads
  // outside, and the reader still sees where it was.
  std::vector<cmark_node*> links;
  {
    std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()), &cmark_iter_free);
    for (cmark_event_type ev; (ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE;)
      if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it.get())) == CMARK_NODE_LINK)
        links.push_back(cmark_iter_get_node(it.get()));
  }
  for (auto* link : links) {
    std::string url = cmark_node_get_url(link) ? cmark_node_get_url(link) : "";
    cmark_node* only = cmark_node_first_child(link);
    bool shows_url = only && !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_TEXT &&
                     cmark_node_get_literal(only) && url == cmark_node_get_literal(only);  // <http://...>
    while (cmark_node* child = cmark_node_first_child(link)) cmark_node_insert_before(link, child);
    if (!url.empty() && !shows_url) {
      cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(text, (" (" + url + ")").c_str());
      cmark_node_insert_before(link, text);
    }
    cmark_node_unlink(link);
    cmark_node_free(link);
  }
  std::unique_ptr<char, decltype(&std::free)> html(cmark_render_html(doc.get(), CMARK_OPT_SAFE), &std::free);
  return html ? std::string(html.get()) : std::string();
}

}  // namespace jvap::report
