// Internal to the store: the schema as an ordered list of forward migrations.
#pragma once

#include <vector>

namespace jvap::store::detail {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace jvap::store::detail
