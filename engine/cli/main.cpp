// The jvap executable: a thin main over jvap::cli::run.
#include <csignal>
#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) {
  // Past a file-size limit a write fails (EFBIG) and jvap says so, instead of being killed.
  std::signal(SIGXFSZ, SIG_IGN);
  return jvap::cli::run(argc, argv, std::cout, std::cerr);
}
