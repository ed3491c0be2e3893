// The facts a printed 承诺达标合格证 (commitment certificate, 《农产品质量安全承诺达标合格证
// 管理办法》, 农业农村部令2025年第4号) shows: one plain struct, filled by the caller — from
// a JSON file today (`agtrace-labeler certificate --facts`), from the certificate's signed
// ledger entry later. What the certificate says and why is in docs/certificate.md.
//
// Everything here is display text, already in the words the certificate prints (the
// quantity's unit in Chinese, the date as a Beijing-time calendar date). Pure; no ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace agtrace::labeler {

// Who issues: the producer for its own lot (the decree's producer form), or a buyer
// (收购者) issuing a new certificate after mixing or repacking lots it bought.
enum class CertificateStyle { producer, buyer_reissue };

// The three bases a certificate may tick (承诺依据).
struct CertificateBases {
  bool quality_control = false;    // 质量安全控制符合要求
  bool self_test = false;          // 自行检测合格
  bool commissioned_test = false;  // 委托检测合格
  bool any() const { return quality_control || self_test || commissioned_test; }
};

struct CertificateFacts {
  std::string number;          // the certificate's number, unique in the ledger (ASCII, ≤ 40)
  CertificateStyle style = CertificateStyle::producer;
  std::string issuer;          // 承诺主体: the issuing party's name
  std::string issuer_contact;  // 联系方式: the party's public contact, never a person's private phone
  std::string product;         // 产品名称
  std::string quantity_value;  // 数量（重量）: a positive decimal string, e.g. "1200" or "12.5"
  std::string quantity_unit;   // its unit in Chinese: 公斤, 吨, 箱, 件, …
  std::string quantity_weight;  // for a count of packages, what it weighs: "1500 公斤"; "" when not given
  std::string origin;          // 产地, down to the village or base
  std::string issue_date;      // 开具日期: YYYY-MM-DD, the calendar date in Beijing time (UTC+8)
  CertificateBases bases;      // at least one ticked
  std::string url;             // the certificate's page, {base_url}/c/{number}: the QR payload
  std::optional<std::string> shipment;  // 一车一证: the vehicle or shipment it travels with
  // Not printed: what the labeler says beside it (trust14h), from the ledger only — each evidence
  // inspection, its report and who recorded it ("依据「委托检测合格」的检测：报告 R，记录签名 KEY（持有主体 …）
  // / basis …", catalogue cert_evidence_signed). Empty for a facts file.
  std::vector<std::string> evidence;
};

// The Chinese units a certificate's quantity may be in (schemas/certificate-facts.schema.json).
bool is_certificate_unit(std::string_view unit);

// The Chinese unit for a UN/ECE Recommendation 20 code the ledger records (KGM 公斤,
// GRM 克, TNE 吨, LTR 升, MLT 毫升, H87 件), or nullopt for another code.
std::optional<std::string> certificate_unit_for_rec20(std::string_view code);

// "1200 公斤", "12 箱", or with the weight of packages "300 箱（共 1500 公斤）".
std::string certificate_quantity_text(const CertificateFacts& f);

// 2026-03-12 → "2026年3月12日".
std::string certificate_date_text(const CertificateFacts& f);

// Builds facts from a JSON document (schemas/certificate-facts.schema.json), then checks
// what the schema cannot: a real calendar date, a positive quantity, at least one basis,
// and a URL that is https and ends in /c/{number}. `what` names the source in messages.
// Throws Error(bad_input) naming the field, Chinese first ("合格证信息 cert.json：字段
// issue_date（开具日期）…").
CertificateFacts parse_certificate_facts(const nlohmann::json& doc, std::string_view what);

// Reads (1 MiB at most), strictly parses and checks a facts file. Throws Error(bad_input)
// naming the file and the field.
CertificateFacts load_certificate_facts(const std::string& path);

}  // namespace agtrace::labeler
