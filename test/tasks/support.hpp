#pragma once
// Helpers for the tests that run real tasks binaries: a temporary working directory, plain runs
// (stdin from a file, not a terminal), runs under a pseudo-terminal, and database queries.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ash/sqlite/connection.hpp"

extern char** environ;

namespace tasks_support {

namespace fs = std::filesystem;
using strings = std::vector<std::string>;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

/// The path of a binary the build passes in environment variable `var`.
inline std::string binary_from(const char* var) {
  const char* b = std::getenv(var);
  REQUIRE_MESSAGE(b, "set " << var << " to the binary's path (meson test does)");
  return b;
}

/// The exit of a run: code (-1 when killed) and what it printed.
struct result {
  int code;
  std::string out;
  std::string err;
};

/// A temporary project directory, removed with its contents on destruction.
struct workdir {
  fs::path dir;
  workdir() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("ash_tasks_test_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir);
  }
  ~workdir() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  workdir(const workdir&) = delete;
  workdir& operator=(const workdir&) = delete;

  /// Runs `binary args` in the directory with `env` ("A=1 B=2"), stdin from `input` (a file,
  /// so not a terminal).
  result run(const std::string& binary, const std::string& args, const std::string& env = "",
             const std::string& input = "") const {
    std::ofstream(dir / "stdin.txt") << input;
    const std::string cmd = "cd '" + dir.string() + "' && " + env + " '" + binary + "' " + args +
                            " < stdin.txt > stdout.txt 2> stderr.txt";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "stdout.txt"), slurp(dir / "stderr.txt")};
  }

  strings files(const std::string& rel) const {
    strings out;
    if (!fs::exists(dir / rel)) return out;
    for (const auto& e : fs::directory_iterator(dir / rel)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  /// The rows of `sql` on database `db`, each as its columns joined by "|".
  strings query(const std::string& db, const std::string& sql) const {
    ash::sqlite::connection c((dir / db).string());
    strings out;
    sqlite3_stmt* s = c.prepare(sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        if (i) row += '|';
        auto* v = sqlite3_column_text(s, i);
        row += v ? reinterpret_cast<const char*>(v) : "NULL";
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return out;
  }

  void exec(const std::string& db, const std::string& sql) const {
    ash::sqlite::connection c((dir / db).string());
    c.exec(sql);
  }
};

/// A child process whose stdin, stdout and stderr are the slave side of a new pseudo-terminal
/// (`forkpty`), so `isatty(0)` is true in it, as for a user at a shell. The test reads what the
/// child writes until an expected text appears (with a deadline, never a sleep) and types
/// answers into the terminal.
class pty_session {
 public:
  using clock = std::chrono::steady_clock;

  /// Starts `binary args...` in `cwd`, with `env` ("NAME=value") added to this environment.
  pty_session(const std::string& binary, const strings& args, const fs::path& cwd, const strings& env = {}) {
    // Everything the child needs is built before fork: after it, only exec-safe calls.
    strings argv_s{binary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    strings env_s(env);
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      const auto name = entry.substr(0, entry.find('=') + 1);
      if (std::none_of(env.begin(), env.end(), [&](const std::string& x) { return x.rfind(name, 0) == 0; }))
        env_s.push_back(entry);
    }
    std::vector<char*> argv, envp;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env_s) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string dir = cwd.string();

    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    REQUIRE_MESSAGE(pid_ >= 0, "forkpty failed: " << std::strerror(errno));
    if (pid_ == 0) {
      if (::chdir(dir.c_str()) != 0) ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  }
  ~pty_session() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  pty_session(const pty_session&) = delete;
  pty_session& operator=(const pty_session&) = delete;

  /// Everything the child has written to the terminal so far (with the terminal's CR LF line
  /// ends and the echo of what was typed).
  const std::string& output() const { return output_; }

  /// Reads until `text` has appeared in the output; false if the child ended first or the
  /// deadline passed.
  bool read_until(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = clock::now() + timeout;
    while (!contains(output_, text)) {
      if (eof_ || !read_some(deadline)) return false;
    }
    return true;
  }

  /// Types `text` into the terminal.
  void type(const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      const auto n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      REQUIRE_MESSAGE(n > 0, "writing to the terminal failed: " << std::strerror(errno));
      done += static_cast<std::size_t>(n);
    }
  }

  /// Reads until the child closes the terminal, then reaps it: its exit code, or -1 if it did
  /// not finish in time (it is killed) or died of a signal.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = clock::now() + timeout;
    while (!eof_)
      if (!read_some(deadline)) break;
    if (!eof_) return -1;  // the destructor kills it
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  /// One read of what is available, waiting for it until `deadline`; false on timeout.
  bool read_some(clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    char buf[4096];
    const auto n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      output_.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      eof_ = true;  // Linux reports EIO once the child has closed its side
    }
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  bool eof_ = false;
  std::string output_;
};

}  // namespace tasks_support
