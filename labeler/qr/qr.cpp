// libqrencode wrapper: QRcode_encodeData encodes the whole input as one 8-bit segment.
#include "labeler/qr/qr.h"

#include <fmt/format.h>
#include <qrencode.h>

#include <cerrno>
#include <memory>

#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

QRecLevel to_qrencode(EcLevel ec) {
  switch (ec) {
    case EcLevel::L: return QR_ECLEVEL_L;
    case EcLevel::M: return QR_ECLEVEL_M;
    case EcLevel::Q: return QR_ECLEVEL_Q;
    case EcLevel::H: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

// 8-bit mode data capacity (bytes) per version and level, ISO/IEC 18004:2015 Table 7.
constexpr int kByteCapacity[40][4] = {
    {17, 14, 11, 7},         {32, 26, 20, 14},        {53, 42, 32, 24},        {78, 62, 46, 34},
    {106, 84, 60, 44},       {134, 106, 74, 58},      {154, 122, 86, 64},      {192, 152, 108, 84},
    {230, 180, 130, 98},     {271, 213, 151, 119},    {321, 251, 177, 137},    {367, 287, 203, 155},
    {425, 331, 241, 177},    {458, 362, 258, 194},    {520, 412, 292, 220},    {586, 450, 322, 250},
    {644, 504, 364, 280},    {718, 560, 394, 310},    {792, 624, 442, 338},    {858, 666, 482, 382},
    {929, 711, 509, 403},    {1003, 779, 565, 439},   {1091, 857, 611, 461},   {1171, 911, 661, 511},
    {1273, 997, 715, 535},   {1367, 1059, 751, 593},  {1465, 1125, 805, 625},  {1528, 1190, 868, 658},
    {1628, 1264, 908, 698},  {1732, 1370, 982, 742},  {1840, 1452, 1030, 790}, {1952, 1538, 1112, 842},
    {2068, 1628, 1168, 898}, {2188, 1722, 1228, 958}, {2303, 1809, 1283, 983}, {2431, 1911, 1351, 1051},
    {2563, 1989, 1423, 1093}, {2699, 2099, 1499, 1139}, {2809, 2213, 1579, 1219}, {2953, 2331, 1663, 1273},
};

}  // namespace

EcLevel parse_ec_level(std::string_view s, std::string_view field) {
  if (s == "L") return EcLevel::L;
  if (s == "M") return EcLevel::M;
  if (s == "Q") return EcLevel::Q;
  if (s == "H") return EcLevel::H;
  throw_bad_input(fmt::format("{} \"{}\": QR error correction is L, M, Q or H", field, s));
}

char ec_letter(EcLevel ec) { return "LMQH"[static_cast<int>(ec)]; }

int qr_version_for(std::size_t bytes, EcLevel ec) {
  for (int v = 1; v <= 40; ++v)
    if (static_cast<std::size_t>(kByteCapacity[v - 1][static_cast<int>(ec)]) >= bytes) return v;
  throw_bad_input(fmt::format("QR payload of {} bytes is too long for any QR version at level {}", bytes,
                              ec_letter(ec)));
}

QrMatrix encode_qr(std::string_view payload, EcLevel ec) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeData(static_cast<int>(payload.size()), reinterpret_cast<const unsigned char*>(payload.data()),
                        0, to_qrencode(ec)),
      QRcode_free);
  if (!code) {
    if (errno == ERANGE || errno == EINVAL)
      throw_bad_input(fmt::format("QR payload of {} bytes is too long at level {}", payload.size(), ec_letter(ec)));
    throw std::bad_alloc();
  }
  QrMatrix m;
  m.version = code->version;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * m.size);
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;
  return m;
}

}  // namespace agtrace::labeler
