// The zip side of spreadsheet uploads: the guard that checks an archive's declared sizes before
// anything is inflated, and the two repairs liborcus 0.17 (Debian 12) needs for files that
// openpyxl, pandas and other generators write. Its OPC reader cannot follow a relationship whose
// target is an absolute part name ("/xl/worksheets/sheet1.xml", legal OPC) and silently skips the
// sheet: such targets are rewritten relative to their part's folder. It drops inline-string cells
// (t="inlineStr") with a warning: they are rewritten as saved formula results, which it reads.
// The repaired copy stores the rewritten members uncompressed and copies every other member byte
// for byte.
#include <expat.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "ingest/zip.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

namespace {

std::uint32_t le32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}
std::uint16_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}
void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

struct Member {
  std::string name;
  std::uint16_t method = 0, flags = 0, time = 0, date = 0;
  std::uint32_t crc = 0, packed = 0, size = 0, local = 0;
};

// The members listed by the central directory; false when it is damaged.
bool members(std::string_view b, std::vector<Member>& out, std::string& why) {
  why = zip_guard(b);
  if (!why.empty()) return false;
  std::size_t eocd = b.size() - 22;
  while (le32(b, eocd) != 0x06054b50) --eocd;  // zip_guard found it
  std::size_t at = le32(b, eocd + 16);
  for (std::uint32_t n = le16(b, eocd + 10); n > 0; --n) {
    Member m;
    m.flags = le16(b, at + 8), m.method = le16(b, at + 10), m.time = le16(b, at + 12), m.date = le16(b, at + 14);
    m.crc = le32(b, at + 16), m.packed = le32(b, at + 20), m.size = le32(b, at + 24);
    std::size_t name_len = le16(b, at + 28);
    m.local = le32(b, at + 42);
    if (at + 46 + name_len > b.size() || std::size_t{m.local} + 30 > b.size()) {
      why = "damaged zip directory";
      return false;
    }
    m.name = std::string(b.substr(at + 46, name_len));
    // The member's own header and data lie inside the file.
    // liborcus trusts the local header's sizes: they must be the directory's (or 0 with a data
    // descriptor, bit 3), or a forged size makes it allocate gigabytes.
    bool descriptor = (le16(b, m.local + 6) & 8) != 0;
    std::uint32_t lpacked = le32(b, m.local + 18), lsize = le32(b, m.local + 22);
    if ((descriptor && ((lpacked && lpacked != m.packed) || (lsize && lsize != m.size))) ||
        (!descriptor && (lpacked != m.packed || lsize != m.size))) {
      why = "damaged zip member " + model::printable(m.name) + " (its sizes disagree with the directory)";
      return false;
    }
    if (le32(b, m.local) != 0x04034b50 ||
        std::size_t{m.local} + 30 + le16(b, m.local + 26) + le16(b, m.local + 28) + std::uint64_t{m.packed} > b.size()) {
      why = "damaged zip member " + model::printable(m.name);
      return false;
    }
    at += 46 + name_len + le16(b, at + 30) + le16(b, at + 32);
    out.push_back(std::move(m));
  }
  return true;
}

// The member's bytes (stored or deflated); nullopt when they cannot be read.
std::optional<std::string> contents(std::string_view b, const Member& m) {
  std::size_t data = std::size_t{m.local} + 30 + le16(b, m.local + 26) + le16(b, m.local + 28);
  if (data + m.packed > b.size()) return std::nullopt;
  std::string_view packed = b.substr(data, m.packed);
  if (m.method == 0) return std::string(packed);
  if (m.method != 8 || m.size > kMaxUnzippedBytes) return std::nullopt;
  std::string out(m.size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  if (rc != Z_STREAM_END || z.total_out != m.size) return std::nullopt;
  return out;
}

// "xl/_rels/workbook.xml.rels" describes "xl/workbook.xml": targets are relative to "xl/".
std::string source_folder(const std::string& rels) {
  auto folder = rels.substr(0, rels.rfind("_rels/"));
  return folder;
}

// Target="/a/b" made relative to `folder`; the count of targets rewritten.
int relative_targets(std::string& xml, const std::string& folder) {
  int n = 0;
  for (std::size_t at = xml.find("Target=\"/"); at != std::string::npos; at = xml.find("Target=\"/", at + 8)) {
    std::size_t start = at + 8;  // the '/'
    std::string target = xml.substr(start + 1, xml.find('"', start) - start - 1);
    std::string rel;
    if (target.rfind(folder, 0) == 0) {
      rel = target.substr(folder.size());
    } else {
      for (std::size_t d = std::count(folder.begin(), folder.end(), '/'); d > 0; --d) rel += "../";
      rel += target;
    }
    xml.replace(start, target.size() + 1, rel);
    ++n;
  }
  return n;
}

// Inline strings (<c t="inlineStr"><is><t>text</t></is></c>), which liborcus 0.17 drops, written
// as the saved string result of a formula (<c t="str"><f>0</f><v>text</v></c>), which it reads:
// expat streams the worksheet and it is written back unchanged but for those cells.
class InlineStrings {
 public:
  std::optional<std::string> run(const std::string& xml) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    out_.reserve(xml.size());
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
    XML_ParserFree(p);
    if (!ok) return std::nullopt;
    return std::move(out_);
  }

 private:
  static std::string_view local(const char* name) {
    std::string_view n(name);
    auto colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
  }
  void escaped(std::string_view s, bool attribute) {
    for (char c : s) {
      switch (c) {
        case '&': out_ += "&amp;"; break;
        case '<': out_ += "&lt;"; break;
        case '>': out_ += "&gt;"; break;
        case '"': out_ += attribute ? "&quot;" : "\""; break;
        default: out_ += c;
      }
    }
  }
  static void start(void* self, const char* name, const char** attrs) {
    auto& x = *static_cast<InlineStrings*>(self);
    auto n = local(name);
    if (x.inside_is_) {
      x.in_text_ = n == "t" && !x.in_phonetic_;
      if (n == "rPh") x.in_phonetic_ = true;  // phonetic runs are not the cell's text
      return;
    }
    bool inline_cell = false;
    if (n == "c")
      for (auto a = attrs; *a; a += 2) inline_cell = inline_cell || (local(a[0]) == "t" && std::string_view(a[1]) == "inlineStr");
    if (n == "is" && x.in_inline_cell_) {
      std::string prefix(name, std::string_view(name).size() - 2);  // the element's own prefix
      x.value_tag_ = prefix + "v";
      x.out_ += "<" + prefix + "f>0</" + prefix + "f><" + x.value_tag_ + ">";
      x.inside_is_ = true;
      return;
    }
    x.out_ += "<";
    x.out_ += name;
    for (auto a = attrs; *a; a += 2) {
      x.out_ += " ";
      x.out_ += a[0];
      x.out_ += "=\"";
      x.escaped(inline_cell && local(a[0]) == "t" ? "str" : a[1], true);
      x.out_ += "\"";
    }
    x.out_ += ">";
    if (inline_cell) x.in_inline_cell_ = true;
  }
  static void end(void* self, const char* name) {
    auto& x = *static_cast<InlineStrings*>(self);
    auto n = local(name);
    if (x.inside_is_) {
      if (n == "rPh") x.in_phonetic_ = false;
      if (n == "t") x.in_text_ = false;
      if (n != "is") return;
      x.out_ += "</" + x.value_tag_ + ">";
      x.inside_is_ = false;
      return;
    }
    if (n == "c") x.in_inline_cell_ = false;
    x.out_ += "</";
    x.out_ += name;
    x.out_ += ">";
  }
  static void text(void* self, const char* s, int len) {
    auto& x = *static_cast<InlineStrings*>(self);
    if (x.inside_is_ && !x.in_text_) return;
    x.escaped({s, static_cast<std::size_t>(len)}, false);
  }

  std::string out_, value_tag_;
  bool in_inline_cell_ = false, inside_is_ = false, in_text_ = false, in_phonetic_ = false;
};

bool xml_part(const std::string& name) {
  auto ends = [&](const char* e) {
    std::size_t n = std::strlen(e);
    return name.size() >= n && name.compare(name.size() - n, n, e) == 0;
  };
  return ends(".xml") || ends(".rels");
}

// "" when the text is well-formed XML, else where and what is wrong.
std::string well_formed(const std::string& xml) {
  XML_Parser p = XML_ParserCreate(nullptr);
  std::string out;
  if (XML_Parse(p, xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_OK)
    out = "line " + std::to_string(XML_GetCurrentLineNumber(p)) + ": " + XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return out;
}

void local_header(std::string& out, const Member& m) {
  put32(out, 0x04034b50);
  put16(out, 20), put16(out, m.flags & ~8u), put16(out, m.method), put16(out, m.time), put16(out, m.date);
  put32(out, m.crc), put32(out, m.packed), put32(out, m.size);
  put16(out, static_cast<std::uint32_t>(m.name.size())), put16(out, 0);
  out += m.name;
}

void central_header(std::string& out, const Member& m) {
  put32(out, 0x02014b50);
  put16(out, 20), put16(out, 20), put16(out, m.flags & ~8u), put16(out, m.method), put16(out, m.time), put16(out, m.date);
  put32(out, m.crc), put32(out, m.packed), put32(out, m.size);
  put16(out, static_cast<std::uint32_t>(m.name.size())), put16(out, 0), put16(out, 0), put16(out, 0), put16(out, 0);
  put32(out, 0), put32(out, m.local);
  out += m.name;
}

}  // namespace

std::string zip_guard(std::string_view b) {
  if (b.size() < 22 || b.substr(0, 2) != "PK") return "not a spreadsheet file (not a zip archive)";
  std::size_t eocd = std::string_view::npos;
  for (std::size_t i = b.size() - 22 + 1; i-- > 0 && b.size() - i <= 22 + 65535;)
    if (le32(b, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == std::string_view::npos) return "not a spreadsheet file (no zip directory)";
  std::uint64_t entries = le16(b, eocd + 10), size = le32(b, eocd + 12), offset = le32(b, eocd + 16);
  if (entries == 0xFFFF || offset == 0xFFFFFFFF) return "a zip64 archive: too large for an upload";
  if (entries > kMaxZipMembers) return "the archive has " + std::to_string(entries) + " members; at most " + std::to_string(kMaxZipMembers);
  if (offset + size > eocd) return "damaged zip directory";
  std::uint64_t total = 0;
  for (std::size_t at = offset, n = 0; n < entries; ++n) {
    if (at + 46 > eocd || le32(b, at) != 0x02014b50) return "damaged zip directory";
    total += le32(b, at + 24);
    if (total > kMaxUnzippedBytes)
      return "the file unpacks to more than " + std::to_string(kMaxUnzippedBytes >> 20) +
             " MiB; split it into smaller uploads";
    at += 46 + le16(b, at + 28) + le16(b, at + 30) + le16(b, at + 32);
  }
  return "";
}

bool uses_1904_dates(std::string_view b) {
  std::vector<Member> list;
  std::string why;
  if (!members(b, list, why)) return false;
  for (const auto& m : list) {
    if (m.name != "xl/workbook.xml") continue;
    auto xml = contents(b, m);
    if (!xml) return false;
    auto at = xml->find("date1904=");
    if (at == std::string::npos) return false;
    auto v = xml->substr(at + 10, 4);
    return v.rfind("1", 0) == 0 || v == "true";
  }
  return false;
}

std::optional<std::string> repair_for_orcus(std::string_view b, std::string& why) {
  std::vector<Member> list;
  if (!members(b, list, why)) return std::nullopt;
  std::vector<std::optional<std::string>> rewritten(list.size());
  bool any = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& name = list[i].name;
    // liborcus 0.17 asserts (aborts) on some malformed XML: every XML part is checked first.
    if (xml_part(name)) {
      auto text = contents(b, list[i]);
      if (!text) {
        why = "damaged zip member " + model::printable(name);
        return std::nullopt;
      }
      if (auto bad = well_formed(*text); !bad.empty()) {
        why = "the part " + model::printable(name) + " is not well-formed XML (" + bad + ")";
        return std::nullopt;
      }
    }
    bool rels = name.size() >= 5 && name.compare(name.size() - 5, 5, ".rels") == 0;
    bool sheet = name.rfind("xl/worksheets/", 0) == 0 && name.find('/', 14) == std::string::npos;
    if (!rels && !sheet) continue;
    auto xml = contents(b, list[i]);
    if (!xml) {
      why = "damaged zip member " + name;
      return std::nullopt;
    }
    if (rels && relative_targets(*xml, source_folder(name)) > 0) {
      rewritten[i] = std::move(xml);
      any = true;
    } else if (sheet && xml->find("inlineStr") != std::string::npos) {
      rewritten[i] = InlineStrings().run(*xml);
      if (!rewritten[i]) {
        why = "the sheet " + name + " is not well-formed XML";
        return std::nullopt;
      }
      any = true;
    }
  }
  if (!any) return std::string();  // nothing to repair
  std::string out;
  out.reserve(b.size() + 4096);
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto& m = list[i];
    std::string_view data;
    if (rewritten[i]) {
      data = *rewritten[i];
      m.method = 0, m.size = m.packed = static_cast<std::uint32_t>(data.size());
      m.crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    } else {
      std::size_t at = std::size_t{m.local} + 30 + le16(b, m.local + 26) + le16(b, m.local + 28);
      data = b.substr(at, m.packed);
    }
    m.local = static_cast<std::uint32_t>(out.size());
    local_header(out, m);
    out += data;
  }
  std::size_t directory = out.size();
  for (const auto& m : list) central_header(out, m);
  const auto directory_size = static_cast<std::uint32_t>(out.size() - directory);
  put32(out, 0x06054b50);
  put16(out, 0), put16(out, 0), put16(out, static_cast<std::uint32_t>(list.size())), put16(out, static_cast<std::uint32_t>(list.size()));
  put32(out, directory_size), put32(out, static_cast<std::uint32_t>(directory));
  put16(out, 0);
  return out;
}

}  // namespace jvap::ingest::detail
