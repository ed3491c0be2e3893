#include "ledger/signer_state.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "ledger/ledger.h"
#include "ledger/util/error.h"
#include "ledger/util/read_file.h"

namespace agtrace {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw_environment(fmt::format("the checkpoint signer's memory {}: cannot {} ({}); it was left as it was", path,
                                what, std::strerror(err)));
}

}  // namespace

std::optional<std::string> load_signer_state(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  if (::access(path.c_str(), R_OK | W_OK) != 0) {
    const int err = errno;
    throw_bad_input(fmt::format(
        "签名者的记忆文件 {} 无法读写（{}）：它属于另一个用户。请以日志密钥的所有者身份运行（如 runuser -u "
        "agtrace-signer），或把文件还给该用户（chown）。/ the checkpoint signer's memory {} cannot be read and "
        "written by this user ({}): it belongs to another user (root?). Run the command as the log key's owner "
        "(e.g. runuser -u agtrace-signer), or chown the file back to that user; nothing was signed",
        path, std::strerror(err), path, std::strerror(err)));
  }
  return read_file(path, 64 * 1024, "the checkpoint signer's memory ");
}

void check_signer_state_writable(const std::string& path) {
  const std::string probe = fmt::format("{}.writing-{}", path, ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    throw_bad_input(fmt::format("the checkpoint signer keeps the last checkpoint it signed in {}, beside the log "
                                "key, but cannot create files in that folder ({}): the log key's folder must be "
                                "writable by the user that signs (docs/deploy.md); nothing was signed",
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

std::string sign_remembered(Ledger& ledger, const note::SigningKey& log_key, const std::string& log_key_file) {
  const std::string path = signer_state_path(log_key_file);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    auto latest = ledger.latest_checkpoint_parsed();
    if (latest && latest->size > 1)
      std::cerr << fmt::format(
          "注意：签名者的记忆文件 {} 不存在，但账本已有 {} 条的检查点；将以本账本审计后的状态重新开始——仅当账本"
          "未被恢复或替换时才正确（docs/deploy.md）。/ note: the checkpoint signer's memory {} is missing, but the "
          "ledger already holds a checkpoint of {} entries: it starts again from this ledger's audited state, which "
          "is right only if the ledger was not restored or replaced meanwhile (docs/deploy.md)\n",
          path, latest->size, path, latest->size);
  }
  return ledger.sign_checkpoint(log_key, path);
}

}  // namespace agtrace
