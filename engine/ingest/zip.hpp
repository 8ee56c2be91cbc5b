// Internal to ingest: the zip archives of spreadsheet uploads (zip.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jvap::ingest::detail {

inline constexpr std::uint64_t kMaxUnzippedBytes = 256u << 20;  // every member together
inline constexpr std::uint64_t kMaxZipMembers = 10000;

// Checks the central directory of an archive before anything is inflated: "" when its declared
// sizes and member count are within the limits (a zip bomb is refused here), else what is wrong.
std::string zip_guard(std::string_view bytes);

// A copy of the archive that liborcus 0.17 reads whole: .rels members name their targets
// relatively (it skips parts named by absolute targets) and worksheets hold no inline strings (it
// drops them); "" when nothing needed repair; nullopt (with `why`) when the archive is damaged.
// Whether an XLSX workbook counts dates from 1904 (workbookPr date1904), which liborcus 0.17
// does not read.
bool uses_1904_dates(std::string_view bytes);

std::optional<std::string> repair_for_orcus(std::string_view bytes, std::string& why);

}  // namespace jvap::ingest::detail
