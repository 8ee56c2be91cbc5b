// The jvap executable: a thin main over jvap::cli::run.
#include <iostream>

#include "cli/app.hpp"

int main(int argc, char** argv) { return jvap::cli::run(argc, argv, std::cout, std::cerr); }
