// JSON rendering of codes, lots and errors.
#include "verifier/pages/json_views.h"

#include "ledger/time/timestamp.h"
#include "ledger/util/bytes.h"

namespace agtrace::verifier {

namespace {

nlohmann::json product_json(const std::optional<ProductInfo>& p) {
  if (!p) return nullptr;
  nlohmann::json j = {{"id", p->id},
                      {"name", p->name},
                      {"variety", p->variety},
                      {"gtin", p->gtin},
                      {"brand", {{"regional", p->brand_regional}, {"enterprise", p->brand_enterprise}}},
                      {"grade_standard", p->grade_standard},
                      {"standard", p->standard},
                      {"storage_condition", p->storage_condition},
                      {"owner", p->owner_name}};
  if (p->pack_size) j["pack_size"] = *p->pack_size;
  if (p->shelf_life_days) j["shelf_life_days"] = *p->shelf_life_days;
  // Rules version 5's label fields, additively and only when the product record has them.
  if (!p->slogan.empty()) j["slogan"] = p->slogan;
  if (!p->gi_name.empty()) {
    j["geographical_indication"] = {{"name", p->gi_name}};
    if (!p->gi_registration_no.empty()) j["geographical_indication"]["registration_no"] = p->gi_registration_no;
  }
  if (p->processed) j["processed"] = true;
  if (!p->production_license_no.empty()) j["production_license_no"] = p->production_license_no;
  if (!p->ingredients.empty()) j["ingredients"] = p->ingredients;
  return j;
}

nlohmann::json recalls_json(const std::vector<Recall>& recalls) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : recalls)
    out.push_back({{"entry", r.entry}, {"lot", r.lot}, {"reason", r.reason}, {"event_time", r.time},
                   {"via_ancestor", r.via_ancestor}});
  return out;
}

nlohmann::json checkpoint_json(const std::optional<CheckpointInfo>& cp) {
  if (!cp) return nullptr;
  return {{"size", cp->size}, {"root", base64_encode(cp->parsed.root)}, {"origin", cp->parsed.origin}};
}

nlohmann::json certificates_json(const std::vector<CertificateSummary>& certificates) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : certificates)
    out.push_back({{"number", c.number}, {"lot", c.lot}, {"issuer_name", c.issuer_name}, {"bases", c.bases},
                   {"status", c.status}, {"url", "/c/" + c.number}});
  return out;
}

nlohmann::json origins_json(const std::vector<Origin>& origins) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : origins)
    out.push_back({{"location", o.location_id}, {"name", o.name}, {"address", o.address}, {"producer", o.producer}});
  return out;
}

}  // namespace

nlohmann::json item_json(const TimelineItem& t) {
  nlohmann::json j = {{"entry", t.entry},
                      {"type", t.type},
                      {"event_id", t.event_id},
                      {"event_time", t.time},
                      {"lot", t.lot},
                      {"party_name", t.party_name},
                      {"location_name", t.location_name},
                      {"status", t.checkpointed ? "checkpointed" : "awaiting checkpoint"},
                      {"event", t.event}};
  if (t.corrected)
    j["corrected"] = {{"entry", t.corrected->entry}, {"reason", t.corrected->reason},
                      {"replacement_event_id", t.corrected->replacement_event_id},
                      {"replaced", t.corrected->replaced}};
  if (t.pesticide_safe_date) {
    j["pesticide_safe_date"] = *t.pesticide_safe_date;
    j["pre_harvest_interval_respected"] = t.interval_respected;
  }
  return j;
}

nlohmann::json code_json_shared(const CodeView& v, const std::string& job_entry_bytes) {
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& t : v.timeline) timeline.push_back(item_json(t));
  return {{"lot", {{"id", v.lot}, {"gs1_lot_code", v.gs1_lot_code}}},
          {"product", product_json(v.product)},
          {"producer", v.producer},
          {"origin", v.origin},
          {"harvest_date", v.harvest_date},
          {"origins", origins_json(v.origins)},
          {"producers", v.producers},
          {"harvest_dates", v.harvest_first.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json{{"first", v.harvest_first}, {"last", v.harvest_last}}},
          {"pack_date", v.pack_date},
          {"lineage", v.lineage},
          {"recalled", !v.recalls.empty()},
          {"recalls", recalls_json(v.recalls)},
          {"issued_entry", v.issued_entry},
          {"checkpoint", checkpoint_json(v.checkpoint)},
          {"verification", v.all_checkpointed ? "verified against checkpoint" : "awaiting checkpoint"},
          {"job_entry", job_entry_bytes},
          {"inclusion_proof_url", "/api/v1/proof/inclusion?index=" + std::to_string(v.issued_entry)},
          {"certificates", certificates_json(v.certificates)},
          {"timeline", timeline}};
}

nlohmann::json received_certificate_json(const std::vector<ReceivedCertificateView>& received,
                                         const std::optional<CheckpointInfo>& checkpoint,
                                         const std::function<std::string(std::uint64_t)>& entry_bytes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : received) {
    const auto& e = v.event;
    list.push_back({{"issuer", v.record.issuer},
                    {"issuer_name", v.issuer_name},
                    {"issued_on", e.value("issued_on", "")},
                    {"product", e.value("product", "")},
                    {"product_name", v.product_name},
                    {"quantity", e["quantity"]},
                    {"quantity_unit_zh", v.quantity_unit_zh},
                    {"origin", e.value("origin", "")},
                    {"origin_text", v.origin_text},
                    {"party", e.value("party", "")},
                    {"party_name", v.buyer_name},
                    {"recorded_at", e.value("event_time", "")},
                    {"lot", v.record.lot},
                    {"photo_sha256", e.value("photo_sha256", "")},
                    {"entry", v.record.entry},
                    {"entry_bytes", entry_bytes(v.record.entry)},
                    {"covered_by_checkpoint", checkpoint && v.record.entry < checkpoint->size}});
  }
  return {{"number", received.empty() ? std::string() : received.front().record.number},
          {"kind", "received"},
          {"note", "a certificate a buyer collected (usually on paper) and recorded; not issued in this ledger"},
          {"received", list},
          {"checkpoint", checkpoint ? nlohmann::json(checkpoint->size) : nlohmann::json()}};
}

nlohmann::json certificate_json(const CertificateView& v, const std::optional<CheckpointInfo>& checkpoint,
                                const std::string& entry_bytes) {
  const auto& e = v.event;
  // trust14g: who signed the issue and the void (the key, and its holder or null); trust14h: with the
  // holder's name, and for each evidence entry too.
  auto signer = [](const EntrySigner& s) {
    return nlohmann::json{{"key_id", s.key_id},
                          {"holder", s.holder.empty() ? nlohmann::json() : nlohmann::json(s.holder)},
                          {"holder_name", s.holder.empty() ? nlohmann::json() : nlohmann::json(s.holder_name)}};
  };
  nlohmann::json bases = nlohmann::json::array();
  for (const auto& b : e["bases"]) {
    nlohmann::json evidence = nlohmann::json::array();
    for (const auto& x : v.evidence)
      if (x.basis == b["basis"])
        evidence.push_back({{"entry", x.entry},
                            {"event_id", x.event.value("event_id", "")},
                            {"party", x.event.value("party", "")},
                            {"party_name", x.party_name},
                            {"lab", x.event.value("lab", "")},
                            {"report_no", x.event.value("report_no", "")},
                            {"result", x.event.value("result", "")},
                            {"time", x.event.value("event_time", "")},
                            {"lots", x.event.value("lots", nlohmann::json::array())},
                            {"signed_by", signer(x.signer)}});
    bases.push_back({{"basis", b["basis"]}, {"name", basis_zh(b["basis"])}, {"evidence", evidence}});
  }
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& i : v.inputs)
    inputs.push_back({{"lot", i.lot},
                      {"event_id", i.application.event_id},
                      {"input_name", i.input_name},
                      {"application_date", i.application.application_date},
                      {"pre_harvest_interval_days", i.application.pre_harvest_interval_days},
                      {"safe_from", i.application.safe_date}});
  nlohmann::json parents = nlohmann::json::array();
  for (const auto& p : v.parents)
    parents.push_back({{"issuer", p.issuer},
                       {"issuer_name", p.issuer_name},
                       {"number", p.number},
                       {"kind", !p.record ? "unknown" : p.record->received ? "received" : "issued"},
                       {"lot", p.record ? p.record->lot : ""},
                       {"issued_on", p.issued_on},
                       {"quantity", p.quantity},
                       {"quantity_unit_zh", p.quantity_unit_zh},
                       {"received_at", p.received_at},
                       {"entry", p.record ? nlohmann::json(p.record->entry) : nlohmann::json(nullptr)}});
  nlohmann::json status = {{"status", certificate_status_en(v.state.status)},
                           {"status_zh", certificate_status_zh(v.state.status)}};
  if (v.state.entry)
    status.update({{"entry", *v.state.entry}, {"event_id", v.state.event_id}, {"time", v.state.time},
                   {"reason", v.state.reason}});
  // A spray recorded late: its own time (用药时间), before the certificate; `time` is then the
  // correction's that made the breach, or "" — `entry` says when (the log signs no recording time).
  if (!v.state.applied_at.empty()) status["applied_at"] = v.state.applied_at;
  if (v.voided_by) status["voided_by"] = signer(*v.voided_by);
  const bool covered = checkpoint && v.record.entry < checkpoint->size;
  return {{"title", "承诺达标合格证"},
          {"number", v.record.number},
          {"style", e.value("style", "")},
          {"status", status},
          {"signed_by", signer(v.issued_by)},
          {"issuer", {{"id", v.record.issuer}, {"name", v.issuer_name}, {"phone", v.issuer_phone}}},
          {"lot", v.record.lot},
          {"quantity", e["quantity"]},
          {"product", {{"id", e.value("product", "")}, {"name", v.product_name}}},
          {"origin", {{"id", e.value("origin", "")}, {"name", v.origin_name}, {"address", v.origin_address}}},
          {"issued_at", e.value("event_time", "")},
          {"shipment", e.value("shipment", "")},
          {"bases", bases},
          {"inputs", inputs},
          {"parents", parents},
          {"entry", v.record.entry},
          {"entry_bytes", entry_bytes},
          {"checkpoint", checkpoint_json(checkpoint)},
          {"verification", covered ? "verified against checkpoint" : "awaiting checkpoint"},
          {"inclusion_proof_url", "/api/v1/proof/inclusion?index=" + std::to_string(v.record.entry)}};
}

std::string code_json_body(const std::string& shared_dump, const std::string& serial, bool voided,
                           std::uint64_t reprints, const SerialProof& proof, const std::optional<ScanCount>& scans) {
  nlohmann::json path = nlohmann::json::array();
  for (const auto& h : proof.path) path.push_back(base64_encode(h));
  nlohmann::json j = {{"serial", serial},
                      {"status", voided ? "voided" : "genuine"},
                      {"reprints", reprints},
                      {"serial_proof", {{"job_entry", proof.job_entry}, {"leaf_index", proof.leaf_index},
                                        {"count", proof.count}, {"path", path}}}};
  if (scans)
    j["scans"] = {{"count", scans->count},
                  {"clients", scans->clients},
                  {"first", scans->count ? nlohmann::json(time::format_utc(scans->first_unix_ms)) : nullptr},
                  {"last", scans->count ? nlohmann::json(time::format_utc(scans->last_unix_ms)) : nullptr}};
  std::string own = j.dump();
  // Two JSON objects with distinct keys, merged as text: "{own...," + "...shared}".
  own.back() = ',';
  return own + shared_dump.substr(1) + "\n";
}

nlohmann::json code_json(const CodeView& v, const SerialProof& proof, const std::string& job_entry_bytes,
                         const std::optional<ScanCount>& scans) {
  return nlohmann::json::parse(code_json_body(code_json_shared(v, job_entry_bytes).dump(), v.serial,
                                              v.voided_entry.has_value(), v.reprints, proof, scans));
}

nlohmann::json lot_json(const LotView& v) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& t : v.events) events.push_back(item_json(t));
  return {{"lot", v.record.lot},
          {"gs1_lot_code", v.record.gs1_code},
          {"product", product_json(v.product)},
          {"created_entry", v.record.created_entry},
          {"created_by", v.record.created_by},
          {"external", v.record.external},
          {"parents", v.parents},
          {"children", v.children},
          {"ancestors", v.ancestors},
          {"recalled", !v.recalls.empty()},
          {"recalls", recalls_json(v.recalls)},
          {"checkpoint", checkpoint_json(v.checkpoint)},
          {"events", events}};
}

std::string error_json(int status, const std::string& message) {
  return nlohmann::json{{"status", status}, {"error", message}}.dump() + "\n";
}

}  // namespace agtrace::verifier
