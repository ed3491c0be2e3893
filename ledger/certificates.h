// What the ledger says about a 承诺达标合格证 (docs/certificate.md): the signed entry, its
// status, and the evidence behind it, read from a Store's derived tables and entries — the
// verifier calls these on its own verified state (DESIGN §5), the CLI and exports on the
// ledger file. Reads only; the caller holds a read transaction for a consistent snapshot.
//
// Status (the certificate itself stays in the log for good):
// - 已作废 voided: a certificate_voided entry names it (the reason is the void's);
// - 已失效 invalidated: a recall, or a failed inspection, of the certificate's lot or of a lot
//   it was made from was recorded after it (the rules refuse a certificate when one was
//   recorded before); or, for a certificate ticking 质量安全控制符合要求, a pesticide
//   application recorded after it puts a harvest of that ancestry inside its pre-harvest
//   interval (rules version 8, ledger/event/interval_breach.h; reason "安全间隔期内用药（第 N 条 …）");
// - 有效 valid otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/event/ledger_state.h"
#include "ledger/i18n/messages.h"
#include "ledger/store/store.h"

namespace agtrace {

enum class CertificateStatus { valid, voided, invalidated };

// "有效", "已作废", "已失效".
const char* certificate_status_zh(CertificateStatus s);
// "valid", "voided", "invalidated".
const char* certificate_status_en(CertificateStatus s);

struct CertificateState {
  CertificateStatus status = CertificateStatus::valid;
  std::optional<std::uint64_t> entry;  // the void, recall, failed inspection or late spray that set it
  std::string event_id;
  // When it was set (失效时间 / 作废时间), as written: the void's, recall's or inspection's event_time.
  // For a late spray (rules version 8) the spray's own time is before the certificate, and the log
  // signs no time of recording (an entry carries its event's time only; its place in the log is
  // what is signed): the time of the correction that made the breach, if one did, else "" — the
  // entry (after the certificate's) is what says when.
  std::string time;
  std::string reason;      // the void's or recall's reason; for an inspection "检测不合格（报告 R）"
  std::string applied_at;  // a late spray: its event_time (用药时间), as written; "" otherwise
  std::optional<std::uint64_t> applied_entry;  // a late spray: the application's entry (the reason names it)
};

// When `s` took effect, in words for the labeler's refusal and the register: its time; for a late
// spray recorded after the certificate "用药时间 T，在本证之后登记" / "sprayed T, recorded after this
// certificate" (the reason names the spray's entry: said once, trust14h); when another entry made
// the breach (a later harvest, or a correction) "第 N 条记录登记（用药时间 T）" / "entry N recorded
// it (sprayed T)", with the correction's time before it.
std::string certificate_state_when_zh(const CertificateState& s);
std::string certificate_state_when_en(const CertificateState& s);

// The status of certificate `c` (issued or received) in `store` now.
CertificateState certificate_state(store::Store& store, const CertificateRecord& c);

// Who signed an entry (trust14g, issue 14's trust trial: the inspector asks who issued and who
// voided a certificate): the key (name+hash, as `key list` shows it) and the party the key's
// key_added names as its holder, "" when it names none, with that party's name ("" when the
// ledger has no name for it).
struct EntrySigner {
  std::string key_id, holder, holder_name;
};

// The signer of entry `entry` in `store`; empty strings when the entry is unknown.
EntrySigner entry_signer(store::Store& store, std::uint64_t entry);

// The signer in words: "clerk-1+ab12cd34（未登记持有主体）", "clerk-buy+…（持有主体 太原收购商（BUY））" /
// "clerk-buy+… (held by 太原收购商 (BUY))"; the holder's id alone when the ledger has no name for it
// (catalogue key_holder_words, key_no_holder_words).
std::string entry_signer_words(const EntrySigner& s, i18n::Lang lang);

// A passed inspection named as evidence by a basis.
struct CertificateEvidence {
  std::string basis;  // "quality_control", "self_tested", "commissioned_test"
  std::uint64_t entry = 0;
  nlohmann::json event;  // the inspection
  std::string party_name;
  // Who recorded it (trust14h: the market inspector sees who vouched for a 委托检测合格 pass).
  EntrySigner signer;
};

// A pesticide application on the certificate's lot or a lot it was made from.
struct CertificateInput {
  std::string lot;
  PesticideRecord application;
  std::string input_name;  // from the application's entry, "" when the entry is not readable
};

// A parent certificate a buyer's re-issue names, with what the paper says (issue 14 trial,
// session 7: the buyer's page shows the dates and quantities its re-issue rests on).
struct CertificateParent {
  std::string issuer, issuer_name, number;
  std::optional<CertificateRecord> record;  // nullopt only in a ledger that failed verify
  // 开具日期 (YYYY-MM-DD): a received certificate's issued_on as written ("" when the buyer did
  // not record it); an issued one's entry date in Beijing time, as printed. "" without record.
  std::string issued_on;
  // The quantity as written on the certificate ({"value", "unit"} with a Rec 20 code), null
  // without record; and its unit as a certificate prints it (certificate_unit_zh).
  nlohmann::json quantity;
  std::string quantity_unit_zh;
  // A received certificate's recording (certificate_received event_time, RFC 3339); "" else.
  std::string received_at;
  // Whether the verifier's /c/{number} page shows this certificate: an issued one always; a
  // collected paper one unless a certificate issued here carries its number (possible before
  // rules version 7), whose page that is. False without record.
  bool own_page = false;
};

struct CertificateView {
  CertificateRecord record;
  EntrySigner issued_by;                  // the certificate_issued entry's signer
  std::optional<EntrySigner> voided_by;   // the certificate_voided entry's, when voided
  nlohmann::json event;  // the certificate_issued / certificate_received event
  CertificateState state;
  std::string issuer_name, issuer_phone, product_name, origin_name, origin_address;
  std::string quantity_unit_zh;  // the quantity's unit as printed (certificate_unit_zh)
  std::string quantity_weight_zh;  // what a count of packages weighs, "1500 公斤" (certificate_weight_zh), or ""
  nlohmann::json shipment;  // the shipping event the certificate names (一车一证), null when none
  std::vector<CertificateEvidence> evidence;
  std::vector<CertificateInput> inputs;
  std::vector<CertificateParent> parents;
};

// The certificate issued in this ledger under `number`, with its status and evidence, or
// nullopt when no certificate_issued names it. `store` must keep every entry (a ledger file or
// the verifier's state).
std::optional<CertificateView> load_certificate(store::Store& store, const std::string& number);

// A certificate a buyer collected (usually on paper) and recorded with certificate_received, as
// the verifier shows it under its number: it was not issued in this ledger, so there is no
// status and no evidence of ours — only who recorded it, when, for which lot, and what was
// copied from the paper.
struct ReceivedCertificateView {
  CertificateRecord record;
  nlohmann::json event;  // the certificate_received event
  std::string issuer_name, buyer_name, product_name, origin_text;  // origin_text as printed, "" when none
  std::string quantity_unit_zh;
};

// The certificates recorded as received under `number` (several issuers may use one number),
// in entry order; empty when none. `store` must keep every entry.
std::vector<ReceivedCertificateView> load_received_certificates(store::Store& store, const std::string& number);

// The numbers of the certificates issued in this ledger that equal `number` when ASCII case is
// ignored, sorted ("LC-2022-0002" for "lc-2022-0002"). Numbers are case-sensitive (4 to 40 ASCII
// letters, digits and '-', schemas/common.schema.json certificate_number, so "LC-1" and "lc-1"
// may be two certificates); this is for a "did you mean" answer, never for looking one up.
std::vector<std::string> issued_numbers_ignoring_case(store::Store& store, const std::string& number);

// The certificates issued for `lot` and every lot it was made from (the lot's own first),
// voided ones included, each with its state.
std::vector<std::pair<CertificateRecord, CertificateState>> lineage_certificates(store::Store& store,
                                                                                const std::string& lot);

// The certificate register an inspector asks for (开具记录, issue 14 item 6): CSV for Excel
// (UTF-8 with BOM, CRLF; ledger/csv/csv_writer.h), one row per certificate issued or received
// whose entry's event time lies in [from_unix_ms, to_unix_ms) (either bound optional), of
// `party` when given (issuer, or for a received one also the buyer), sorted by issuer then
// entry: 合格证编号, 类别 (开具/收取), 样式, 承诺主体编号, 承诺主体, 收取方, 批次, 产品, 数量,
// 单位 (as printed, certificate_unit_zh), 产地 (as printed, certificate_origin_zh), 开具依据, 检测报告
// (the report numbers of the evidence inspections), 已收取合格证 (a re-issue's parents,
// ISSUER*NUMBER), 开具时间, 状态, 状态原因, 状态时间, 条目, 签名密钥, 密钥持有主体, 作废签名密钥,
// 作废密钥持有主体 (entry_signer of the issue or receipt, and of the void), 检测记录签名 (for each
// evidence inspection "REPORT：" and entry_signer_words of the entry that recorded it, "；" between).
// Voided and invalidated ones are listed with their status (有效, 已作废, 已失效); a received one
// has no status of ours: 状态 纸质（收购者登记）, 状态原因 非本系统开具，以纸质原件为准, as its page
// shows it without a badge.
std::string certificate_register_csv(store::Store& store, std::optional<std::int64_t> from_unix_ms,
                                     std::optional<std::int64_t> to_unix_ms, const std::string& party);

// A quantity's unit (UN/ECE Rec 20 code) as a certificate prints it, for a certificate of
// `lot`: KGM 公斤, TNE 吨, GRM 克, LTR 升, MLT 毫升; H87 箱 when `lot` was made by packing (its
// packages), 件 otherwise; another code as written.
std::string certificate_unit_zh(store::Store& store, const std::string& lot, const std::string& unit);

// The English gloss of a unit as a certificate prints it (certificate_unit_zh), for a reader who
// prefers English beside the printed words: 公斤 kg, 吨 t, 克 g, 升 L, 毫升 mL, 箱 cases (a packed
// lot's packages), 件 pieces; another unit as it is.
std::string certificate_unit_en(const std::string& unit_zh);

// The weight (or volume) a certificate's `quantity` of packages stands for, as printed beside it
// ("300 箱（共 1500 公斤）"): "1500 公斤" (or "… 升") when the unit is H87 and the product of `lot`
// gives a pack_size in weight or volume; "" otherwise (a quantity already in weight, or no pack size).
std::string certificate_weight_zh(store::Store& store, const std::string& lot, const nlohmann::json& quantity);

// 产地 as a certificate prints it: the origin location's address, then its name in brackets
// ("潞城区店上镇熬脑村东坡（熬脑村1号地块）"); the address alone when it holds the name; the
// location id when the ledger has no master data for it.
std::string certificate_origin_zh(const CertificateView& v);

// The Chinese name of a basis as printed on the certificate: "自行检测合格", "委托检测合格",
// "质量安全控制符合要求".
const char* basis_zh(const std::string& basis);

}  // namespace agtrace
