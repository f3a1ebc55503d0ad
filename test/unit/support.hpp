#pragma once
// Shared test helpers: temporary database files that clean up after themselves.

#include <filesystem>
#include <random>
#include <string>

namespace test {

/// A fresh directory under the system temp dir, removed with its contents at scope exit.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("ash_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace test
