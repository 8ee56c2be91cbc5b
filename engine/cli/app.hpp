// The jvap command line: argument parsing (CLI11) and dispatch to the commands. The `jvap`
// executable is a thin main over run(); tests call run() with their own streams.
#pragma once

#include <iosfwd>

namespace jvap::cli {

// Runs jvap with the given arguments; returns the process exit code (see ExitCode).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace jvap::cli
