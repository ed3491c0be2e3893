#include "ledger/signer_state.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw_environment(fmt::format("--state {}: cannot {} ({}); the signer's memory was left as it was", path, what,
                                std::strerror(err)));
}

}  // namespace

std::optional<std::string> load_signer_state(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  return read_file(path, 64 * 1024, "--state ");
}

void check_signer_state_writable(const std::string& path) {
  const std::string probe = fmt::format("{}.writing-{}", path, ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    throw_bad_input(fmt::format("--state {}: cannot create files in its folder ({}); the checkpoint signer keeps the "
                                "last checkpoint it signed there: give a folder its user can write (with the log "
                                "key, never beside the ledger); nothing was signed",
                                path, std::strerror(err)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void save_signer_state(const std::string& path, const std::string& signed_note) {
  const std::string tmp = fmt::format("{}.writing-{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("create " + tmp, path, errno);
  std::size_t done = 0;
  while (done < signed_note.size()) {
    ssize_t n = ::write(fd, signed_note.data() + done, signed_note.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail("write " + tmp, path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail("write " + tmp, path, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail("rename " + tmp, path, err);
  }
  std::string folder = std::filesystem::path(path).parent_path().string();
  int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) fail("open its folder", path, errno);
  const int err = ::fsync(dir) != 0 ? errno : 0;
  ::close(dir);
  if (err != 0) fail("sync its folder", path, err);
}

}  // namespace agtrace
