// Reading a lot's label facts out of the ledger (see content.h).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "labeler/template/area.h"
#include "labeler/template/content.h"
#include "ledger/certificates.h"
#include "ledger/event/gtin.h"
#include "ledger/ledger.h"
#include "ledger/lot_queries.h"
#include "ledger/util/error.h"

namespace agtrace::labeler {
namespace {

constexpr std::size_t kMaxAncestors = 500;

std::string str(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Entry indices of events about `lot`, oldest first.
std::vector<std::uint64_t> lot_entries(Ledger& ledger, const std::string& lot) {
  auto s = ledger.database().prepare("SELECT DISTINCT entry_idx FROM lot_events WHERE lot_id = ? ORDER BY entry_idx");
  s.bind(1, lot);
  std::vector<std::uint64_t> out;
  while (s.step()) out.push_back(static_cast<std::uint64_t>(s.column_int(0)));
  return out;
}

std::string master_name(Ledger& ledger, const std::string& kind, const std::string& id, const char* field) {
  if (id.empty()) return {};
  auto m = ledger.store().master(kind, id);
  if (!m) return {};
  std::string v = str(*m, field);
  return v.empty() ? str(*m, "name") : v;
}

// A pack size in g (mass) or mL (volume), for GB 7718's 净含量 character heights; 0 for a
// count or another unit. The value is a schema-valid decimal string.
double net_grams_or_ml(const std::string& value, const std::string& unit) {
  static const std::map<std::string, double> factor = {
      {"GRM", 1}, {"KGM", 1e3}, {"TNE", 1e6}, {"MLT", 1}, {"LTR", 1e3}};
  auto it = factor.find(unit);
  return it == factor.end() || value.empty() ? 0 : std::stod(value) * it->second;
}

}  // namespace

LabelFacts gather_label_facts(Ledger& ledger, const std::string& lot_id) {
  auto lot = ledger.store().lot(lot_id);
  if (!lot) throw_bad_input(fmt::format("--lot \"{}\": no such lot in the ledger", lot_id));
  if (lot->created_by != "packing")
    throw_bad_input(fmt::format("--lot \"{}\": labels go on packed lots; this lot was created by {} "
                                "(record a packing event that creates the packed lot)",
                                lot_id, lot->created_by));
  if (!lot->product)
    throw_bad_input(fmt::format("--lot \"{}\": the lot names no product; record the packing with a product", lot_id));
  auto product = ledger.store().master("product", *lot->product);
  if (!product)
    throw_bad_input(fmt::format("--lot \"{}\": product \"{}\" has no master data", lot_id, *lot->product));

  LabelFacts f;
  f.base_url = ledger.info().base_url;
  f.lot = lot->lot;
  f.lot_code = lot->gs1_code;
  auto& F = f.fields;
  const auto& p = *product;
  if (p.contains("gtin")) f.gtin14 = normalize_gtin14(str(p, "gtin"), fmt::format("product \"{}\" gtin", *lot->product));
  f.product_id = *lot->product;
  f.product_owner = str(p, "owner");
  f.processed = p.value("processed", false);
  F["product"] = str(p, "name");
  F["slogan"] = str(p, "slogan");
  if (p.contains("geographical_indication")) {
    F["gi_name"] = str(p["geographical_indication"], "name");
    F["gi_registration_no"] = str(p["geographical_indication"], "registration_no");
  }
  F["production_license_no"] = str(p, "production_license_no");
  F["ingredients"] = str(p, "ingredients");
  F["variety"] = str(p, "variety");
  F["brand_regional"] = p.at("brand").value("regional", "");
  F["brand_enterprise"] = p.at("brand").value("enterprise", "");
  F["standard"] = str(p, "standard");
  F["storage"] = str(p, "storage_condition");
  F["class_code"] = str(p, "class_code");
  if (p.contains("shelf_life_days")) F["shelf_life"] = fmt::format("{}天", p["shelf_life_days"].get<int>());
  if (p.contains("pack_size"))
    F["net_content"] = display_quantity(str(p["pack_size"], "value"), str(p["pack_size"], "unit"));
  F["lot"] = lot->lot;
  F["lot_code"] = lot->gs1_code;
  if (f.gtin14) F["gtin"] = *f.gtin14;
  const std::string& owner = f.product_owner;

  // The packing event that created the lot.
  std::string packer_party;
  for (auto idx : lot_entries(ledger, lot_id)) {
    auto e = ledger.store().event_at(idx);
    if (str(e, "type") == "packing" && str(e, "lot") == lot_id) {
      // The local calendar date at the event's own offset (event times keep the offset written).
      F["pack_date"] = str(e, "event_time").substr(0, 10);
      // GB 7718-2011 2.4: a prepackaged food's 生产日期 is the day it became the final product,
      // including its packing or filling.
      if (f.processed) F["production_date"] = F["pack_date"];
      F["net_content"] = display_quantity(str(e["pack_size"], "value"), str(e["pack_size"], "unit"));
      f.net_quantity = net_grams_or_ml(str(e["pack_size"], "value"), str(e["pack_size"], "unit"));
      packer_party = str(e, "party");
      f.packing_party = packer_party;
      f.packing_location = str(e, "location");
      F["packer"] = master_name(ledger, "party", packer_party, "name");
      if (auto m = ledger.store().master("party", packer_party); m) F["packer_address"] = str(*m, "address");
      F["origin"] = master_name(ledger, "location", str(e, "location"), "address");
    }
  }

  // Ancestors: planting (origin, producer), the latest inspection, and the grade a grading gave
  // the lot or its nearest graded ancestor. An ungraded lot has no grade: the product's grade
  // standard names only the scale, never a grade.
  std::string grade;
  std::uint64_t latest_inspection = 0;
  std::optional<nlohmann::json> inspection;
  // Every plot planted on the lineage, once each, in the order found; a lot made from
  // several harvests has several.
  std::vector<std::string> plots, plot_addresses;
  for (const auto& l : lot_and_ancestors(ledger, lot_id, kMaxAncestors)) {
    for (auto idx : lot_entries(ledger, l)) {
      auto e = ledger.store().event_at(idx);
      std::string type = str(e, "type");
      if (type == "inspection" && (!inspection || idx > latest_inspection)) {
        inspection = e;
        latest_inspection = idx;
      } else if (type == "planting") {
        std::string plot = str(e, "location");
        if (plots.empty()) F["producer"] = master_name(ledger, "party", str(e, "party"), "name");
        if (std::find(plots.begin(), plots.end(), plot) != plots.end()) continue;
        plots.push_back(plot);
        auto m = ledger.store().master("location", plot);
        plot_addresses.push_back(m ? str(*m, "address") : std::string());
      } else if (type == "transformation" && grade.empty() && e.contains("outputs") && e["outputs"].is_array()) {
        for (const auto& o : e["outputs"])
          if (o.is_object() && str(o, "lot") == l && !str(o, "grade").empty()) grade = str(o, "grade");
      }
    }
  }
  if (auto recalls = recalls_covering(ledger, lot_id); !recalls.empty()) {
    const auto& recall = recalls.front();
    throw_bad_input(fmt::format("批次「{0}」已召回（{1}，{2}：{3}），不能打印标签 / --lot \"{0}\": the lot is under "
                                "recall ({1} at {2}: {3}); labels are not printed for a recalled lot",
                                lot_id, str(recall, "event_id"), str(recall, "event_time"), str(recall, "reason")));
  }
  if (!plots.empty()) {
    std::string origin = origin_summary(plot_addresses, master_name(ledger, "location", plots.front(), "name"));
    if (!origin.empty()) F["origin"] = origin;
  }
  if (!grade.empty()) F["grade"] = grade;
  if (F["producer"].empty()) F["producer"] = master_name(ledger, "party", owner, "name");
  if (F["producer"].empty()) F["producer"] = F["packer"];
  if (inspection) {
    if (str(*inspection, "result") != "pass")
      throw_bad_input(fmt::format("批次「{0}」最近一次检测不合格（报告 {1}），不能打印标签 / --lot \"{0}\": the latest "
                                  "inspection (report {1}) failed; labels are not printed for a lot that failed "
                                  "inspection",
                                  lot_id, str(*inspection, "report_no")));
    F["inspection_result"] = "合格";
    F["report_no"] = str(*inspection, "report_no");
    F["certificate_no"] = str(*inspection, "certificate_no");  // before 承诺达标合格证 entries existed
    F["inspection_date"] = str(*inspection, "event_time").substr(0, 10);
  }
  // 合格证号: the lot's own valid 承诺达标合格证 (docs/certificate.md), the first issued.
  for (const auto& [record, state] : lineage_certificates(ledger.store(), lot_id))
    if (record.lot == lot_id && !record.received && state.status == CertificateStatus::valid) {
      F["certificate_no"] = record.number;
      break;
    }
  // After-sales hotline: the brand owner's (product owner's) phone, else the packer's.
  std::string phone;
  if (auto m = ledger.store().master("party", owner); m) phone = str(*m, "phone");
  if (phone.empty())
    if (auto m = ledger.store().master("party", packer_party); m) phone = str(*m, "phone");
  if (!phone.empty()) F["hotline"] = phone;
  return f;
}

}  // namespace agtrace::labeler
