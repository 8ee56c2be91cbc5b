// Internal to the CLI: one function per command; each returns the process exit code.
#pragma once

#include <string>

#include "cli/context.hpp"

namespace jvap::cli {

int run_plan_check(Context& ctx);
int run_plan_show(Context& ctx);

struct PeriodsArgs {
  std::string from;  // period ids; empty = the calendar's first / the period containing --as-of
  std::string to;
};
int run_periods(Context& ctx, const PeriodsArgs& args);

}  // namespace jvap::cli
