// A named file's bytes, read with POSIX calls so that every failure has its errno.
#include "ledger/util/read_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ledger/util/error.h"

namespace agtrace {

std::string read_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    throw_bad_input(fmt::format("{}{}: cannot open the file: {}", what, path, std::strerror(err)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    throw_bad_input(fmt::format("{}{}: is a folder, not a file", what, path));
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_environment(fmt::format("{}{}: cannot read the file: {}", what, path, std::strerror(errno)));
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > max_bytes)
      throw_bad_input(fmt::format("{}{}: the file is over the limit of {} bytes; split or shorten it", what, path,
                                  max_bytes));
  }
  return data;
}

}  // namespace agtrace
