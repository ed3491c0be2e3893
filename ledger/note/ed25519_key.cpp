// Ed25519 keys through OpenSSL 3 EVP, and the KEYFILE (PKCS#8 PEM, 0600) / KEYFILE.pub
// (verifier-key line) pair they are stored in.
#include "ledger/note/ed25519_key.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ledger/i18n/refusal.h"
#include "ledger/note/verifier_key.h"
#include "ledger/util/error.h"

namespace agtrace::note {

void detail::EvpPkeyFree::operator()(evp_pkey_st* p) const { EVP_PKEY_free(p); }

namespace {

using detail::EvpPkeyPtr;

// Larger files are refused unread: a PEM Ed25519 key is 119 bytes, a .pub line about 100.
constexpr std::size_t kMaxKeyFileBytes = std::size_t{16} * 1024;
constexpr std::size_t kMaxPublicFileBytes = std::size_t{4} * 1024;
constexpr std::string_view kPemBegin = "-----BEGIN PRIVATE KEY-----";
constexpr std::string_view kEncryptedPemBegin = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
// OpenSSL wants a non-null message pointer even for an empty message.
constexpr std::uint8_t kEmptyMessage = 0;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// A failure that can only be a bug or out-of-memory; drops OpenSSL's queued errors.
[[noreturn]] void throw_openssl(const char* what) {
  ERR_clear_error();
  throw std::logic_error(std::string("OpenSSL: ") + what + " failed");
}

// A failed system call on a key file. Disk full, I/O errors and resource limits are worth
// retrying (environment); anything else (missing file or directory, permissions, read-only
// filesystem, no hard links) needs another path or a fix by the user (bad_input).
[[noreturn]] void throw_io(const std::string& what_failed, int err) {
  std::string message = fmt::format("{}: {}", what_failed, std::generic_category().message(err));
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EIO:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EAGAIN:
    case EINTR:
    case EBUSY:
      throw_environment(message);
    default:
      throw_bad_input(message);
  }
}

// An owned file descriptor, opened for reading.
class ReadFd {
 public:
  explicit ReadFd(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)) {}
  ReadFd(const ReadFd&) = delete;
  ReadFd& operator=(const ReadFd&) = delete;
  ~ReadFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// A fixed-size buffer wiped with OPENSSL_cleanse when destroyed, for private key bytes. It
// never grows, so no stray copy of the secret is left in freed memory.
class SecretBuffer {
 public:
  explicit SecretBuffer(std::size_t size) : bytes_(size) {}
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  ~SecretBuffer() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  char* data() { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }

 private:
  std::vector<char> bytes_;
};

// Checks that the opened file is a regular file; returns its stat.
struct stat stat_regular_file(const ReadFd& fd, const std::string& path, std::string_view what) {
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    int err = errno;
    throw_io(fmt::format("cannot stat {} {}", what, path), err);
  }
  if (!S_ISREG(st.st_mode)) throw_bad_input(fmt::format("{} {} is not a regular file", what, path));
  return st;
}

// Reads from `fd` until end of file or until `size` bytes; returns the count.
std::size_t read_up_to(int fd, char* buf, std::size_t size, const std::string& path) {
  std::size_t n = 0;
  while (n < size) {
    ssize_t r = ::read(fd, buf + n, size - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int err = errno;
      throw_io(fmt::format("cannot read {}", path), err);
    }
    if (r == 0) break;
    n += static_cast<std::size_t>(r);
  }
  return n;
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t w = ::write(fd, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      int err = errno;
      throw_io(fmt::format("cannot write {}", path), err);
    }
    data.remove_prefix(static_cast<std::size_t>(w));
  }
}

PublicKey raw_public_key(evp_pkey_st* pkey) {
  PublicKey pub;
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey, pub.data(), &len) != 1 || len != pub.size())
    throw_openssl("EVP_PKEY_get_raw_public_key");
  return pub;
}

// Decodes the PKCS#8 PEM private key in `pem` (RFC 5958 PrivateKeyInfo; RFC 8410 for
// Ed25519): one unencrypted "PRIVATE KEY" block, optionally followed by white space.
EvpPkeyPtr parse_private_pem(std::string_view pem, const std::string& path) {
  if (pem.starts_with(kEncryptedPemBegin))
    i18n::refuse_zh_en("", i18n::Msg::key_file_encrypted, path);
  if (!pem.starts_with(kPemBegin))
    i18n::refuse_zh_en("", i18n::Msg::key_file_not_pem, path, kPemBegin);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw_openssl("BIO_new_mem_buf");
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* der = nullptr;
  long der_len = 0;
  int read_ok = PEM_read_bio(bio.get(), &name, &header, &der, &der_len);
  ERR_clear_error();
  auto free_text = [](char* t) { OPENSSL_free(t); };
  auto clear_free_der = [&der_len](unsigned char* d) {
    OPENSSL_clear_free(d, static_cast<std::size_t>(der_len));
  };
  std::unique_ptr<char, decltype(free_text)> name_owner(name, free_text);
  std::unique_ptr<char, decltype(free_text)> header_owner(header, free_text);
  std::unique_ptr<unsigned char, decltype(clear_free_der)> der_owner(der, clear_free_der);
  if (read_ok != 1)
    i18n::refuse_zh_en("", i18n::Msg::key_file_damaged, path);
  if (header != nullptr && header[0] != '\0')
    throw_bad_input(fmt::format("key file {}: PEM headers are not allowed in a PKCS#8 key", path));
  char* rest = nullptr;
  long rest_len = BIO_get_mem_data(bio.get(), &rest);
  for (long i = 0; i < rest_len; ++i)
    if (rest[i] != '\n' && rest[i] != '\r' && rest[i] != ' ' && rest[i] != '\t')
      throw_bad_input(
          fmt::format("key file {}: unexpected text after the PEM block (one key per file)", path));

  const unsigned char* p = der;
  PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, der_len);
  bool whole = info != nullptr && p == der + der_len;
  EvpPkeyPtr pkey(whole ? EVP_PKCS82PKEY(info) : nullptr);
  PKCS8_PRIV_KEY_INFO_free(info);
  ERR_clear_error();
  if (!pkey)
    throw_bad_input(
        fmt::format("key file {}: the PEM block is not a valid PKCS#8 private key", path));
  if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    const char* type = EVP_PKEY_get0_type_name(pkey.get());
    i18n::refuse_zh_en("", i18n::Msg::key_file_not_ed25519, path, std::string(type != nullptr ? type : "non-Ed25519"));
  }
  return pkey;
}

// Reads KEYFILE.pub: one verifier-key line, optionally ending in a newline.
VerifierKey read_public_file(const std::string& pub_path, const std::string& key_path) {
  ReadFd fd(pub_path);
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT)
      i18n::refuse_zh_en("", i18n::Msg::key_pub_missing, pub_path, key_path);
    throw_io(fmt::format("cannot open public key file {}", pub_path), err);
  }
  stat_regular_file(fd, pub_path, "public key file");
  std::vector<char> buf(kMaxPublicFileBytes + 1);
  std::size_t n = read_up_to(fd.get(), buf.data(), buf.size(), pub_path);
  if (n > kMaxPublicFileBytes)
    throw_bad_input(fmt::format(
        "public key file {} is larger than {} bytes: it must hold one verifier-key line", pub_path,
        kMaxPublicFileBytes));
  std::string_view line(buf.data(), n);
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (line.find('\n') != std::string_view::npos)
    throw_bad_input(
        fmt::format("public key file {} must hold exactly one verifier-key line", pub_path));
  try {
    return parse_verifier_key(line);
  } catch (const Error& e) {
    throw_bad_input(fmt::format("public key file {}: {}", pub_path, e.what()));
  }
}

[[noreturn]] void throw_already_exists(const std::string& path) {
  throw_bad_input(
      fmt::format("{} already exists; agtrace never overwrites a key file: choose "
                  "another name, or move the old key away first",
                  path));
}

// A temporary file FINAL.tmp-XXXXXX next to a key file being saved. It is unlinked when this
// object goes away, whether or not it was published under its final name.
class TempFile {
 public:
  // Creates the file, empty, with mode 0600.
  explicit TempFile(const std::string& final_path)
      : final_path_(final_path), path_(final_path + ".tmp-XXXXXX") {
    fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
    if (fd_ < 0) {
      int err = errno;
      throw_io(fmt::format("cannot create a file next to {}", final_path_), err);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }

  // Writes all of `data`, sets `mode`, fsyncs and closes the file.
  void write_synced(std::string_view data, mode_t mode) {
    if (::fchmod(fd_, mode) != 0) {
      int err = errno;
      throw_io(fmt::format("cannot set the mode of {}", final_path_), err);
    }
    write_all(fd_, data, final_path_);
    if (::fsync(fd_) != 0 || ::close(std::exchange(fd_, -1)) != 0) {
      int err = errno;
      throw_io(fmt::format("cannot write {}", final_path_), err);
    }
  }

  // Gives the written file its final name with link(2), which fails rather than replace an
  // existing file.
  void publish() const {
    if (::link(path_.c_str(), final_path_.c_str()) == 0) return;
    int err = errno;
    if (err == EEXIST) throw_already_exists(final_path_);
    throw_io(fmt::format("cannot create {}", final_path_), err);
  }

 private:
  std::string final_path_;
  std::string path_;
  int fd_ = -1;
};

void fsync_directory_of(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err = fd < 0 ? errno : (::fsync(fd) != 0 ? errno : 0);
  if (fd >= 0) ::close(fd);
  if (err != 0) throw_io(fmt::format("cannot sync directory {}", dir.string()), err);
}

}  // namespace

SigningKey::SigningKey(std::string name, EvpPkeyPtr pkey)
    : name_(std::move(name)), pkey_(std::move(pkey)) {
  check_key_name(name_, "key name");
  public_key_ = raw_public_key(pkey_.get());
}

SigningKey SigningKey::generate(std::string name) {
  EvpPkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) throw_openssl("EVP_PKEY_Q_keygen(ED25519)");
  return SigningKey(std::move(name), std::move(pkey));
}

SigningKey SigningKey::from_seed(std::string name, std::span<const std::uint8_t, 32> seed) {
  EvpPkeyPtr pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!pkey) throw_openssl("EVP_PKEY_new_raw_private_key(ED25519)");
  return SigningKey(std::move(name), std::move(pkey));
}

SigningKey SigningKey::load(const std::string& path) {
  ReadFd fd(path);
  if (fd.get() < 0) {
    int err = errno;
    // A wrong path (the usual mistake) is the user's to fix; anything else as throw_io judges it.
    if (err == ENOENT || err == ENOTDIR || err == EACCES)
      i18n::refuse_zh_en("", i18n::Msg::key_file_missing, path, std::generic_category().message(err));
    throw_io(fmt::format("cannot open key file {}", path), err);
  }
  struct stat st = stat_regular_file(fd, path, "key file");
  mode_t mode = st.st_mode & 07777;
  if ((mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0)
    i18n::refuse_zh_en("", i18n::Msg::key_file_mode, path, fmt::format("{:04o}", mode));
  SecretBuffer pem(kMaxKeyFileBytes + 1);
  std::size_t n = read_up_to(fd.get(), pem.data(), pem.size(), path);
  if (n > kMaxKeyFileBytes)
    throw_bad_input(fmt::format("key file {} is larger than {} bytes: not a PEM Ed25519 key", path,
                                kMaxKeyFileBytes));
  EvpPkeyPtr pkey = parse_private_pem(std::string_view(pem.data(), n), path);
  const std::string pub_path = path + ".pub";
  VerifierKey vkey = read_public_file(pub_path, path);
  if (vkey.public_key != raw_public_key(pkey.get()))
    i18n::refuse_zh_en("", i18n::Msg::key_pub_mismatch, pub_path, path, vkey.key_id());
  return SigningKey(std::move(vkey.name), std::move(pkey));
}

void SigningKey::save(const std::string& path) const {
  const std::string pub_path = path + ".pub";
  for (const std::string* p : {&path, &pub_path}) {
    struct stat st {};
    if (::lstat(p->c_str(), &st) == 0) throw_already_exists(*p);
  }

  BioPtr pem(BIO_new(BIO_s_secmem()));  // its buffer is wiped when freed
  if (!pem ||
      PEM_write_bio_PrivateKey(pem.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw_openssl("PEM_write_bio_PrivateKey");
  char* pem_data = nullptr;
  long pem_len = BIO_get_mem_data(pem.get(), &pem_data);

  TempFile key_file(path);
  key_file.write_synced(std::string_view(pem_data, static_cast<std::size_t>(pem_len)), 0600);
  TempFile pub_file(pub_path);
  pub_file.write_synced(verifier_key_of(*this).to_string() + "\n", 0644);

  pub_file.publish();
  try {
    key_file.publish();
  } catch (...) {
    ::unlink(pub_path.c_str());
    throw;
  }
  try {
    fsync_directory_of(path);
  } catch (...) {
    ::unlink(path.c_str());
    ::unlink(pub_path.c_str());
    throw;
  }
}

Bytes SigningKey::sign(std::span<const std::uint8_t> msg) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1)
    throw_openssl("EVP_DigestSignInit(ED25519)");
  Bytes sig(64);
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, msg.empty() ? &kEmptyMessage : msg.data(),
                     msg.size()) != 1 ||
      len != sig.size())
    throw_openssl("EVP_DigestSign(ED25519)");
  return sig;
}

bool ed25519_verify(const PublicKey& public_key, std::span<const std::uint8_t> msg,
                    std::span<const std::uint8_t> sig) {
  if (sig.size() != 64) return false;
  EvpPkeyPtr pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!pkey) throw_openssl("EVP_PKEY_new_raw_public_key(ED25519)");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1)
    throw_openssl("EVP_DigestVerifyInit(ED25519)");
  int ok = EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                            msg.empty() ? &kEmptyMessage : msg.data(), msg.size());
  ERR_clear_error();
  return ok == 1;
}

}  // namespace agtrace::note
