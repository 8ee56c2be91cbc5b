// Reads the examples embedded in docs/ (fenced code blocks), so the documentation is tested.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace jvap::test {

inline std::string read_doc(const std::string& relative) {
  std::ifstream in(std::string(JVAP_SOURCE_DIR) + "/" + relative);
  if (!in) throw std::runtime_error("cannot read " + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first ```lang block of a doc.
inline std::string fenced(const std::string& doc, const std::string& lang) {
  auto start = doc.find("```" + lang + "\n");
  if (start == std::string::npos) throw std::runtime_error("no ```" + lang + " block");
  start += 4 + lang.size();
  return doc.substr(start, doc.find("```", start) - start);
}

}  // namespace jvap::test
