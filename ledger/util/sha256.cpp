// SHA-256 over several byte ranges without copying them together.
#include "ledger/util/sha256.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace agtrace {

Hash sha256(std::initializer_list<std::span<const std::uint8_t>> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::logic_error("EVP_DigestInit_ex(sha256) failed");
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
