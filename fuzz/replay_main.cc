// Copyright 2026 The xsync Authors.
//
// The fuzz targets' main when libFuzzer is not linked (g++ builds, the
// regression tests): runs LLVMFuzzerTestOneInput on every file named on the
// command line, or in a directory named there, as libFuzzer does on a
// corpus, and fails if there are none.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) inputs += RunFile(entry.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      inputs += RunFile(arg);
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n",
                   argv[i]);
      return 2;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::printf("replay: %d inputs passed\n", inputs);
  return 0;
}
