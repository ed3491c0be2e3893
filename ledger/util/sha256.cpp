// SHA-256 over several byte ranges without copying them together.
#include "ledger/util/sha256.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace agtrace {

namespace {

// OpenSSL 3's SHA-256, fetched from the provider once: EVP_sha256() passed to
// EVP_DigestInit_ex looks the implementation up again on every call, which cost about
// as much as hashing a whole ledger entry.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) throw std::logic_error("EVP_MD_fetch(SHA256) failed");
  return md;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

Hash sha256(std::initializer_list<std::span<const std::uint8_t>> parts) {
  // One context per thread, re-initialised for each hash.
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), sha256_md(), nullptr) != 1)
    throw std::logic_error("EVP_DigestInit_ex2(sha256) failed");
  for (auto part : parts)
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1)
      throw std::logic_error("EVP_DigestUpdate failed");
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size())
    throw std::logic_error("EVP_DigestFinal_ex failed");
  return out;
}

}  // namespace agtrace
