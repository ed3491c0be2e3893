// The scan page: a product card, the anti-counterfeit block, the journey as a timeline and
// the proof block, in one small HTML document.
#include "verifier/pages/scan_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "ledger/event/measured_value.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"
#include "verifier/pages/html.h"

namespace agtrace::verifier {

namespace {

constexpr std::string_view kCss =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f3f5f1;color:#1d2a1d;font:16px/1.55 -apple-system,\"PingFang SC\","
    "\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;-webkit-text-size-adjust:100%}"
    "header{background:#2e6b30;color:#fff;padding:14px 16px 12px}"
    "header b{display:block;font-size:19px;letter-spacing:.5px}"
    "header small{opacity:.85;font-size:13px}"
    "main{max-width:640px;margin:0 auto;padding:10px 10px 24px}"
    "section{background:#fff;border-radius:10px;padding:12px 14px;margin:0 0 10px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    "h1{font-size:22px;margin:2px 0 4px}h2{font-size:16px;margin:0 0 8px;color:#2e6b30}"
    ".ok{color:#1b7f2a;font-weight:600}.bad{color:#c0161d;font-weight:700}.dim{color:#667066;font-size:13px}"
    ".warn{color:#9a5b00}"
    "dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}"
    "dt{color:#667066;font-size:14px}dd{margin:0;overflow-wrap:anywhere}"
    ".banner{display:block;background:#c0161d;color:#fff;border-radius:10px;padding:12px 14px;margin:0 0 10px;"
    "text-decoration:none}"
    ".banner b{font-size:18px;display:block}"
    ".alert{border:2px solid #c0161d;background:#fff0f0}"
    ".badge{display:inline-block;background:#e3f1e3;color:#1b7f2a;border-radius:12px;padding:1px 10px;"
    "font-size:14px;font-weight:600}.badge.no{background:#fde8e8;color:#c0161d}"
    "ol{list-style:none;margin:0;padding:0 0 0 18px;border-left:2px solid #b9d3b9}"
    "li{position:relative;margin:0 0 12px;padding-left:4px}"
    "li:before{content:\"\";position:absolute;left:-25px;top:6px;width:12px;height:12px;border-radius:50%;"
    "background:#2e6b30;border:2px solid #fff}"
    "li.x:before{background:#c0161d}"
    "li p{margin:1px 0;font-size:14px;overflow-wrap:anywhere}"
    ".t{font-weight:600}.when{color:#667066;font-size:13px}"
    "a{color:#1f5fa8}footer{text-align:center;font-size:13px;color:#667066;padding:4px 12px 20px}"
    ".code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:1px}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.45 ui-monospace,Menlo,Consolas,monospace;"
    "background:#f3f5f1;border-radius:6px;padding:8px;margin:8px 0}"
    ".en{color:#5f6b5f;font-size:.82em;font-weight:400}p.en{margin-top:0}header .en{color:#e2f0e2}";

struct Text {
  const char* zh;
  const char* en;
};

const char* t(Lang lang, Text text) { return lang == Lang::zh ? text.zh : text.en; }

std::string str(const nlohmann::json& e, const char* field) {
  auto it = e.find(field);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string unit_name(const std::string& unit, Lang lang) {
  static const std::map<std::string, Text> units = {
      {"KGM", {"千克", "kg"}}, {"GRM", {"克", "g"}},   {"TNE", {"吨", "t"}},
      {"LTR", {"升", "L"}},    {"MLT", {"毫升", "mL"}}, {"H87", {"件", "pcs"}}};
  auto it = units.find(unit);
  return it == units.end() ? unit : t(lang, it->second);
}

std::string quantity(const nlohmann::json& q, Lang lang) {
  if (!q.is_object()) return "";
  return str(q, "value") + " " + unit_name(str(q, "unit"), lang);
}

struct Temps {
  bool any = false;
  double min = 0, max = 0;
  std::size_t count = 0, outside = 0;
};

Temps temps_of(const nlohmann::json& e) {
  Temps r;
  double lo = -1e9, hi = 1e9;
  bool has_target = e.contains("target") && e["target"].is_object();
  if (has_target) {
    lo = std::stod(str(e["target"], "min"));
    hi = std::stod(str(e["target"], "max"));
  }
  for (const auto& reading : e.value("readings", nlohmann::json::array())) {
    double v = std::stod(str(reading, "value"));
    if (!r.any) r.min = r.max = v;
    r.any = true;
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
    ++r.count;
    if (has_target && (v < lo || v > hi)) ++r.outside;
  }
  return r;
}

std::string deg(double v) { return fmt::format("{:.1f}℃", v); }

class Page {
 public:
  explicit Page(const PageOptions& o) : o_(o) { out_.reserve(16 * 1024); }

  void raw(std::string_view s) { out_ += s; }
  void text(std::string_view s) { append_escaped(out_, s); }
  Page& operator<<(std::string_view s) {
    raw(s);
    return *this;
  }
  const char* tr(Text text) const { return t(o_.lang, text); }

  // The certificate page (a Chinese legal form, 农业农村部令2025年第4号): its fixed words are
  // always Chinese; an English reader gets an English gloss beside or below them, never instead.
  void chinese_first() { chinese_first_ = true; }
  // `w` in the page's language; on a Chinese-first page its Chinese, then for an English reader
  // the English in a gloss span.
  void words(Text w) {
    if (!chinese_first_) return text(tr(w));
    text(w.zh);
    if (o_.lang != Lang::en) return;
    raw(" <span class=\"en\" lang=\"en\">");
    text(w.en);
    raw("</span>");
  }
  // A paragraph of `w`: on a Chinese-first page the Chinese, and for an English reader the
  // English as a paragraph of its own under it.
  void paragraph(Text w) {
    raw("<p>");
    text(chinese_first_ ? w.zh : tr(w));
    raw("</p>");
    if (!chinese_first_ || o_.lang != Lang::en) return;
    raw("<p class=\"en\" lang=\"en\">");
    text(w.en);
    raw("</p>");
  }

  // A value in words (合格, 纸质): in the page's language; on a Chinese-first page for an English
  // reader "合格 (Passed)".
  std::string value(Text w) const {
    if (!chinese_first_) return tr(w);
    return o_.lang == Lang::en ? fmt::format("{} ({})", w.zh, w.en) : std::string(w.zh);
  }

  void open(const char* title_zh, const char* title_en) {
    raw("<!DOCTYPE html><html lang=\"");
    raw(o_.lang == Lang::zh || chinese_first_ ? "zh-CN" : "en");
    raw("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\"><title>");
    if (chinese_first_ && o_.lang == Lang::en)
      text(fmt::format("{} · {}", title_zh, title_en));
    else
      text(tr({title_zh, title_en}));
    raw("</title><style>");
    raw(kCss);
    raw("</style></head><body><header><b>");
    words({"农产品质量安全追溯", "Farm produce traceability"});
    raw("</b><small>");
    words({"扫码查询 · 一物一码", "One code per box · scan to check"});
    raw("</small></header><main>");
  }

  void close() {
    raw("</main><footer><a href=\"");
    raw(o_.lang == Lang::zh ? "?lang=en\">English" : "?lang=zh\">中文");
    raw("</a><br>");
    words({"数据来自签名追溯账本，任何人可核验", "Data from a signed traceability ledger anyone can verify"});
    raw("</footer></body></html>");
  }

  // <dt>label</dt><dd>value</dd>, skipped when the value is empty.
  void row(Text label, const std::string& value) {
    if (value.empty()) return;
    raw("<dt>");
    words(label);
    raw("</dt><dd>");
    text(value);
    raw("</dd>");
  }

  // <p>label: value</p>, skipped when the value is empty.
  void line(Text label, const std::string& value) {
    if (value.empty()) return;
    raw("<p>");
    words(label);
    text(o_.lang == Lang::zh || chinese_first_ ? "：" : ": ");
    text(value);
    raw("</p>");
  }

  std::string& str() { return out_; }
  Lang lang() const { return o_.lang; }

  // Ends the current piece of a template; `kind` fills the gap after it.
  void slot(ScanPageTemplate::Slot kind, ScanPageTemplate& t) {
    t.pieces.push_back(std::move(out_));
    t.slots.push_back(kind);
    out_.clear();
  }

 private:
  const PageOptions& o_;
  std::string out_;
  bool chinese_first_ = false;
};

std::string title_of(const TimelineItem& item, Lang lang) {
  const auto& e = item.event;
  if (item.type == "input_application") {
    std::string kind = str(e, "input_kind");
    if (kind == "pesticide") return t(lang, {"用药", "Pesticide applied"});
    if (kind == "fertilizer") return t(lang, {"施肥", "Fertiliser applied"});
    return t(lang, {"投入品使用", "Input applied"});
  }
  if (item.type == "transformation") {
    std::string kind = str(e, "kind");
    if (kind == "grading") return t(lang, {"分级", "Grading"});
    if (kind == "processing") return t(lang, {"加工", "Processing"});
    if (kind == "split") return t(lang, {"拆分", "Split"});
    return t(lang, {"合并", "Merge"});
  }
  static const std::map<std::string, Text> titles = {
      {"planting", {"种植", "Planting"}},         {"harvest", {"采收", "Harvest"}},
      {"inspection", {"检测", "Inspection"}},      {"packing", {"包装", "Packing"}},
      {"labels_issued", {"赋码贴标", "Labelled"}}, {"precooling", {"预冷", "Pre-cooling"}},
      {"storage", {"冷藏储存", "Cold storage"}},   {"shipping", {"发货运输", "Shipping"}},
      {"receiving", {"收货", "Received"}},         {"recall", {"召回", "Recall"}},
      {"external", {"合作方记录", "Partner record"}},
      {"certificate_issued", {"开具承诺达标合格证", "Commitment certificate issued"}},
      {"certificate_received", {"收取承诺达标合格证", "Commitment certificate collected"}}};
  auto it = titles.find(item.type);
  return it == titles.end() ? item.type : t(lang, it->second);
}

// A certificate basis as ticked on the certificate.
std::string basis_text(const std::string& basis, Lang lang) {
  if (lang == Lang::zh) return basis_zh(basis);
  if (basis == "self_tested") return "self-tested, passed";
  if (basis == "commissioned_test") return "tested by a laboratory, passed";
  return "quality and safety controls met";
}

void temperature_lines(Page& p, const nlohmann::json& e) {
  Lang lang = p.lang();
  if (e.contains("target") && e["target"].is_object())
    p.line({"目标温度", "Target"}, str(e["target"], "min") + "～" + str(e["target"], "max") + "℃");
  Temps temps = temps_of(e);
  if (!temps.any) return;
  const auto& readings = e["readings"];
  if (str(e, "type") == "precooling") {
    // Pre-cooling brings field heat down: judge it by where it ended.
    double first = std::stod(str(readings.front(), "value")), last = std::stod(str(readings.back(), "value"));
    p.line({"降温", "Cooled"}, fmt::format("{} → {}（{} {}）", deg(first), deg(last), temps.count,
                                            t(lang, {"次记录", "readings"})));
    if (e.contains("target")) {
      bool reached = last >= std::stod(str(e["target"], "min")) && last <= std::stod(str(e["target"], "max"));
      p.raw(reached ? "<p class=\"ok\">✓ " : "<p class=\"warn\">");
      p.text(reached ? t(lang, {"已降至目标温度", "Reached the target temperature"})
                     : t(lang, {"未降至目标温度", "Did not reach the target temperature"}));
      p.raw("</p>");
    }
    return;
  }
  p.line({"实测温度", "Measured"},
         fmt::format("{}～{}（{} {}）", deg(temps.min), deg(temps.max), temps.count,
                     t(lang, {"次记录", "readings"})));
  if (e.contains("target")) {
    p.raw(temps.outside ? "<p class=\"warn\">" : "<p class=\"ok\">✓ ");
    if (temps.outside)
      p.text(fmt::format(fmt::runtime(t(lang, {"{} 次读数超出目标范围", "{} readings outside the target range"})),
                         temps.outside));
    else
      p.text(t(lang, {"全程在目标温度范围内", "Within the target range throughout"}));
    p.raw("</p>");
  }
}

void item_details(Page& p, const TimelineItem& item) {
  const auto& e = item.event;
  Lang lang = p.lang();
  const std::string& type = item.type;
  if (type == "planting") {
    p.line({"品种", "Variety"}, str(e, "variety"));
    if (!str(e, "area_mu").empty()) p.line({"面积", "Area"}, str(e, "area_mu") + t(lang, {" 亩", " mu"}));
    std::string method = str(e, "method");
    if (method == "transplanting") p.line({"方式", "Method"}, t(lang, {"育苗移栽", "transplanting"}));
    if (method == "sowing") p.line({"方式", "Method"}, t(lang, {"直播", "direct sowing"}));
    p.line({"种子批号", "Seed lot"}, str(e, "seed_lot"));
  } else if (type == "input_application") {
    p.line({"名称", "Name"}, str(e, "input_name"));
    // Rules version 7: applied to the lot's plot with no lot named — before sowing (底肥) or
    // after (a spray whose 种植批次 was left empty), so the words say neither.
    if (!e.contains("lot"))
      p.line({"施于地块（未填种植批次）", "Applied to the plot (no planting lot given)"},
             item.location_name.empty() ? str(e, "location") : item.location_name);
    if (e.contains("dose")) p.line({"用量", "Dose"}, str(e["dose"], "value") + " " + str(e["dose"], "unit"));
    p.line({"登记证号", "Registration"}, str(e, "registration_no"));
    p.line({"防治对象", "Target pest"}, str(e, "target"));
    if (e.contains("pre_harvest_interval_days") && e["pre_harvest_interval_days"].is_number_integer())
      p.line({"安全间隔期", "Pre-harvest interval"},
             fmt::format("{}{}", e["pre_harvest_interval_days"].get<int>(), t(lang, {" 天", " days"})));
  } else if (type == "harvest") {
    p.line({"采收量", "Quantity"}, quantity(e.value("quantity", nlohmann::json()), lang));
    if (item.pesticide_safe_date) {
      p.raw(item.interval_respected ? "<p class=\"ok\">✓ " : "<p class=\"bad\">✗ ");
      if (item.interval_respected)
        p.text(fmt::format(fmt::runtime(t(lang, {"已遵守农药安全间隔期（安全采收日 {}）",
                                                 "Pre-harvest interval respected (safe from {})"})),
                           *item.pesticide_safe_date));
      else
        p.text(fmt::format(fmt::runtime(t(lang, {"未满足农药安全间隔期（安全采收日 {}）",
                                                 "Pre-harvest interval NOT respected (safe from {})"})),
                           *item.pesticide_safe_date));
      p.raw("</p>");
    }
  } else if (type == "inspection") {
    bool pass = str(e, "result") == "pass";
    p.raw(pass ? "<p class=\"ok\">" : "<p class=\"bad\">");
    p.text(pass ? t(lang, {"检测合格", "Passed"}) : t(lang, {"检测不合格", "Failed"}));
    p.raw("</p>");
    p.line({"检测机构", "Laboratory"}, str(e, "lab"));
    p.line({"检测报告编号", "Report"}, str(e, "report_no"));
    // trust14h: an inspection's own certificate_no is the laboratory's (e.g. HGZ-…), not a
    // 承诺达标合格证 number: labelled 合格证编号 it was typed into /c/ and answered 404.
    p.line({"检测机构证书号", "Laboratory's certificate no."}, str(e, "certificate_no"));
    p.line({"依据标准", "Standard"}, str(e, "standard"));
    std::size_t shown = 0;
    for (const auto& it : e.value("items", nlohmann::json::array())) {
      if (++shown > 8) break;
      std::string v = measured_text(it, lang == Lang::zh);  // 未检出, <0.01 mg/kg, 35% as the lab wrote them
      if (!str(it, "limit").empty()) v += fmt::format(fmt::runtime(t(lang, {"（限量 {}）", " (limit {})"})), str(it, "limit"));
      v += str(it, "result") == "pass" ? t(lang, {" 合格", " pass"}) : t(lang, {" 不合格", " FAIL"});
      p.raw("<p>");
      p.text(str(it, "name"));
      p.text(lang == Lang::zh ? "：" : ": ");
      p.text(v);
      p.raw("</p>");
    }
  } else if (type == "transformation") {
    for (const auto& out : e.value("outputs", nlohmann::json::array())) {
      std::string v = quantity(out.value("quantity", nlohmann::json()), lang);
      if (!str(out, "grade").empty()) v = str(out, "grade") + " " + v;
      p.line({"产出", "Output"}, str(out, "lot") + " · " + v);
    }
    if (e.contains("loss")) p.line({"损耗", "Loss"}, quantity(e["loss"], lang));
  } else if (type == "packing") {
    if (e.contains("count") && e["count"].is_number_integer())
      p.line({"包装", "Packed"},
             fmt::format("{}{} × {}", e["count"].get<long long>(), t(lang, {" 件", " boxes"}),
                         quantity(e.value("pack_size", nlohmann::json()), lang)));
  } else if (type == "labels_issued") {
    if (e.contains("count") && e["count"].is_number_integer())
      p.line({"赋码", "Codes"}, fmt::format("{}{}", e["count"].get<long long>(), t(lang, {" 枚", " labels"})));
  } else if (type == "precooling" || type == "storage") {
    if (!str(e, "start").empty())
      p.line({"时间", "Period"}, display_time(str(e, "start")) +
                                    (str(e, "end").empty() ? "" : " — " + display_time(str(e, "end"))));
    temperature_lines(p, e);
  } else if (type == "shipping") {
    p.line({"运往", "To"}, item.counterpart_name);
    p.line({"承运方", "Carrier"}, item.carrier_name);
    p.line({"车辆", "Vehicle"}, str(e, "vehicle"));
    p.line({"运单号", "Waybill"}, str(e, "shipment_no"));
    temperature_lines(p, e);
  } else if (type == "receiving") {
    p.line({"发货方", "From"}, item.counterpart_name);
    p.line({"到货状况", "Condition"}, str(e, "condition"));
  } else if (type == "recall") {
    p.line({"原因", "Reason"}, str(e, "reason"));
  }
  if (item.corrected) {
    p.raw("<p class=\"warn\">");
    p.text(item.corrected->replaced ? t(lang, {"此记录已更正，上面是更正后的内容：", "This record was corrected; shown as corrected: "})
                                    : t(lang, {"此记录已被更正：", "This record was corrected: "}));
    p.text(item.corrected->reason);
    p.raw("</p>");
  }
}

// Origin and producer rows: one line per plot (name and address) and every producer. A lot
// made from several harvests names all of them, with the number of plots in the label.
void origin_rows(Page& p, const CodeView& v) {
  if (v.origins.size() <= 1) {
    p.row({"产地", "Origin"}, v.origin);
  } else {
    p << "<dt>";
    p.text(fmt::format(fmt::runtime(p.tr({"产地（{} 个地块）", "Origin ({} plots)"})), v.origins.size()));
    p << "</dt><dd>";
    for (std::size_t i = 0; i < v.origins.size(); ++i) {
      if (i) p << "<br>";
      p.text(v.origins[i].display());
    }
    p << "</dd>";
  }
  if (v.producers.size() <= 1) {
    p.row({"生产者", "Producer"}, v.producer);
  } else {
    std::string all;
    for (const auto& name : v.producers) all += (all.empty() ? "" : p.lang() == Lang::zh ? "、" : "; ") + name;
    p.row({"生产者", "Producers"}, all);
  }
}

// "2022-10-03 至 2022-10-05" when the harvests span several days, else the one date.
// 承诺达标合格证 of the lineage: number (a link to its page), bases, issuer, and its status
// when it is not valid.
void certificate_rows(Page& p, const std::vector<CertificateSummary>& certificates) {
  for (const auto& c : certificates) {
    p << "<dt>";
    p.text(p.tr({"承诺达标合格证", "Commitment certificate"}));
    p << "</dt><dd><a href=\"/c/";
    p.text(c.number);
    p << "\">";
    p.text(c.number);
    p << "</a>";
    for (const auto& b : c.bases) {
      p << " · ";
      p.text(basis_text(b, p.lang()));
    }
    if (!c.issuer_name.empty()) {
      p << " · ";
      p.text(c.issuer_name);
    }
    if (c.status != "valid") {
      p << " <span class=\"bad\">";
      p.text(c.status == "voided" ? p.tr({"已作废", "voided"}) : p.tr({"已失效", "invalidated"}));
      p << "</span>";
    }
    p << "</dd>";
  }
}

std::string harvest_range(const CodeView& v, Lang lang) {
  if (v.harvest_first.empty() || v.harvest_first == v.harvest_last) return v.harvest_first;
  return v.harvest_first + t(lang, {" 至 ", " to "}) + v.harvest_last;
}

}  // namespace

std::string display_time(const std::string& s) {
  // Beijing time, "YYYY-MM-DD HH:MM", like every other time on the page: events written at
  // another offset (a recall or label job stamped in UTC, a partner's event) are converted.
  // Seconds and the offset as written are in the proof.
  try {
    return display_cst(time::parse_rfc3339(s, "time").unix_ms).substr(0, 16);
  } catch (const Error&) {
  }
  if (s.size() >= 16 && (s[10] == 'T' || s[10] == 't')) return s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}

std::string display_cst(std::int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const std::string& page_csp() {
  static const std::string csp = [] {
    Hash h = sha256(as_bytes(kCss));
    return fmt::format(
        "default-src 'none'; style-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'",
        base64_encode(h));
  }();
  return csp;
}

// The copy warning counts distinct clients, never refreshes (verifier/scans/client_id.h).
bool copy_suspected(const ScanCount& scans, const PageOptions& o) { return scans.clients > o.warn_after; }

// Past the threshold, a red banner at the top too: the warning must not hide below the fold.
std::string render_copy_banner(const ScanCount& scans, const PageOptions& o) {
  if (!copy_suspected(scans, o)) return "";
  Page p(o);
  p << "<a class=\"banner\" href=\"#scan\" role=\"alert\"><b>";
  p.text(fmt::format(fmt::runtime(p.tr({"⚠ 此码已被 {} 位不同的消费者查询，可能被复制",
                                        "⚠ Checked by {} different people: may be a copy"})),
                     scans.clients));
  p << "</b>";
  p.text(p.tr({"请谨慎购买，查看下方防伪信息", "Be careful; see the anti-counterfeit check below"}));
  p << "</a>";
  return std::move(p.str());
}

std::string render_scan_block(const ScanCount& scans, const PageOptions& o) {
  Page p(o);
  bool warn = copy_suspected(scans, o);
  p << (warn ? "<section id=\"scan\" class=\"alert\" role=\"alert\">" : "<section id=\"scan\">");
  p << "<h2>";
  p.text(p.tr({"防伪查询", "Anti-counterfeit check"}));
  p << (scans.count == 1 && !warn ? "</h2><p class=\"ok\">" : "</h2><p>");
  std::string first = display_cst(scans.first_unix_ms);
  if (scans.count == 0) {
    p.text(p.tr({"该码尚未被查询。", "This code has not been scanned yet."}));
  } else if (scans.count == 1 && !warn) {
    p.text(fmt::format(fmt::runtime(p.tr({"这是该码的首次查询（{}，北京时间）。",
                                          "This is the first check of this code ({}, Beijing time)."})),
                       first));
  } else if (scans.clients == 0) {
    // Scans counted before clients were told apart (an upgraded scans file), none since.
    p.text(fmt::format(fmt::runtime(p.tr({"该码已被查询 {} 次，首次查询时间 {}（北京时间）。",
                                          "This code has been checked {} times; first check {} (Beijing time)."})),
                       scans.count, first));
  } else if (scans.clients == 1) {
    p.text(fmt::format(fmt::runtime(p.tr({"该码已被查询 {} 次，都来自同一部手机，首次查询时间 {}（北京时间）。",
                                          "This code has been checked {} times, all from one phone; first check {} "
                                          "(Beijing time)."})),
                       scans.count, first));
  } else {
    p.text(fmt::format(fmt::runtime(p.tr({"该码已被 {} 位不同的消费者查询（共 {} 次），首次查询时间 {}（北京时间）。",
                                          "This code has been checked by {} different people ({} checks in all); "
                                          "first check {} (Beijing time)."})),
                       scans.clients, scans.count, first));
  }
  p << "</p>";
  if (warn) {
    p << "<p class=\"bad\">";
    p.text(fmt::format(fmt::runtime(p.tr({"警告：查询此码的消费者已超过 {} 位，可能被复制。一件商品的码通常只有买到它的人查询，请谨慎购买并向商家核实。",
                                          "Warning: more than {} different people have checked this code; it may "
                                          "have been copied. A box's code is normally checked only by whoever "
                                          "bought it: ask the seller."})),
                       o.warn_after));
    p << "</p>";
  }
  if (scans.count > 1) {
    p << "<p class=\"dim\">";
    p.text(p.tr({"同一部手机反复打开只算一位消费者。",
                 "Opening the page again on the same phone counts as the same person."}));
    p << "</p>";
  }
  p << "</section>";

  return std::move(p.str());
}

ScanPageTemplate render_scan_template(const CodeView& v, const PageOptions& o) {
  ScanPageTemplate t;
  Page p(o);
  std::string product_name = v.product ? v.product->name : v.lot;
  p.open("追溯信息", "Trace record");
  Lang lang = o.lang;

  for (const auto& r : v.recalls) {
    p << "<div class=\"banner\" role=\"alert\"><b>";
    p.text(p.tr({"⚠ 本批次产品已召回，请勿食用", "⚠ This lot has been RECALLED — do not eat"}));
    p << "</b>";
    p.text(p.tr({"召回原因：", "Reason: "}));
    p.text(r.reason);
    p << "<br>";
    p.text(p.tr({"召回时间：", "Recalled: "}));
    p.text(display_time(r.time));
    if (r.via_ancestor) {
      p << "<br>";
      p.text(fmt::format(fmt::runtime(p.tr({"（因上游批次 {} 召回）", "(upstream lot {} was recalled)"})), r.lot));
    }
    p << "</div>";
  }

  p.slot(ScanPageTemplate::Slot::copy_banner, t);

  // Product card.
  p << "<section><span class=\"badge\">✓ ";
  p.text(p.tr({"正品追溯码", "Genuine trace code"}));
  p << "</span><h1>";
  p.text(product_name);
  p << "</h1><dl>";
  if (v.product) {
    std::string brand = v.product->brand_regional;
    if (!v.product->brand_enterprise.empty())
      brand += (brand.empty() ? "" : " · ") + v.product->brand_enterprise;
    p.row({"品牌", "Brand"}, brand);
    p.row({"品种", "Variety"}, v.product->variety);
    p.row({"执行标准", "Standard"}, v.product->standard);
    p.row({"分级标准", "Grading"}, v.product->grade_standard);
    if (v.product->pack_size) p.row({"规格", "Net content"}, quantity(*v.product->pack_size, lang));
    p.row({"贮存条件", "Storage"}, v.product->storage_condition);
    // Rules version 5's label fields (docs/templates.md), where the product record has them.
    p.row({"宣传语", "Slogan"}, v.product->slogan);
    if (!v.product->gi_name.empty()) {
      std::string gi = v.product->gi_name;
      if (!v.product->gi_registration_no.empty())
        gi += fmt::format(fmt::runtime(p.tr({"（登记证书编号 {}）", " (registration {})"})), v.product->gi_registration_no);
      p.row({"地理标志农产品", "Geographical indication"}, gi);
    }
    if (v.product->shelf_life_days)
      p.row({"保质期", "Shelf life"},
            fmt::format(fmt::runtime(p.tr({"{} 天", "{} days"})), *v.product->shelf_life_days));
    p.row({"生产许可证编号", "Production licence (SC)"}, v.product->production_license_no);
    p.row({"配料表", "Ingredients"}, v.product->ingredients);
  }
  for (const auto& item : v.timeline)
    if (item.type == "transformation" && !(item.corrected && !item.corrected->replaced))
      for (const auto& out : item.event.value("outputs", nlohmann::json::array()))
        if (std::find(v.lineage.begin(), v.lineage.end(), str(out, "lot")) != v.lineage.end())
          p.row({"等级", "Grade"}, str(out, "grade"));
  origin_rows(p, v);
  std::string lot = v.lot;
  if (!v.gs1_lot_code.empty() && v.gs1_lot_code != v.lot) lot += " (" + v.gs1_lot_code + ")";
  p.row({"批次", "Lot"}, lot);
  p.row({"采收日期", "Harvested"}, harvest_range(v, lang));
  // A processed food's 生产日期 (GB 7718-2011 4.1.7) is its lot's packing date, as its label prints it.
  if (v.product && v.product->processed)
    p.row({"生产日期", "Production date"}, v.pack_date);
  else
    p.row({"包装日期", "Packed"}, v.pack_date);
  if (v.inspection) {
    bool pass = str(v.inspection->event, "result") == "pass";
    std::string res = pass ? p.tr({"合格", "Passed"}) : p.tr({"不合格", "Failed"});
    if (!str(v.inspection->event, "report_no").empty())
      res += fmt::format(fmt::runtime(p.tr({"（报告 {}）", " (report {})"})), str(v.inspection->event, "report_no"));
    p.row({"检测结果", "Inspection"}, res);
  }
  // Rules version 8: a spray recorded late that puts a harvest inside its interval, shown as a
  // failed inspection is: a row of the summary (and ✗ on the harvest in the journey).
  for (const auto& b : v.interval_breaches)
    p.row({"安全间隔期", "Pre-harvest interval"},
          fmt::format(fmt::runtime(p.tr({"未满足：批次 {0} 于 {1} 采收，在 {2} 施药（安全间隔期 {3} 天，{4} 起才能采收）的安全间隔期内",
                                         "NOT respected: lot {0} harvested {1}, inside the interval of the application "
                                         "of {2} ({3} days, harvest from {4} on)"})),
                      b.harvest_lot, b.harvest_date, b.application.application_date,
                      b.application.pre_harvest_interval_days, b.application.safe_date));
  certificate_rows(p, v.certificates);
  p << "<dt>";
  p.text(p.tr({"追溯码", "Trace code"}));
  p << "</dt><dd class=\"code\">";
  p.slot(ScanPageTemplate::Slot::serial, t);
  p << "</dd></dl></section>";

  p.slot(ScanPageTemplate::Slot::scan_block, t);

  // Journey.
  p << "<section id=\"journey\"><h2>";
  p.text(p.tr({"产品旅程", "Journey"}));
  p << "</h2><ol>";
  for (const auto& item : v.timeline) {
    p << (item.type == "recall" ? "<li class=\"x\">" : "<li>");
    p << "<div class=\"t\">";
    p.text(title_of(item, lang));
    p << "</div><div class=\"when\">";
    p.text(display_time(item.time));
    if (!item.checkpointed) {
      p.text(" · ");
      p.text(p.tr({"待签名存证", "awaiting checkpoint"}));
    }
    p << "</div>";
    if (!item.location_name.empty() || !item.party_name.empty()) {
      p << "<p>";
      p.text(item.location_name);
      if (!item.location_name.empty() && !item.party_name.empty()) p.text(" · ");
      p.text(item.party_name);
      p << "</p>";
    }
    item_details(p, item);
    p << "</li>";
  }
  p << "</ol></section>";

  // Proof block.
  p << "<section id=\"proof\"><h2>";
  p.text(p.tr({"可验证记录", "Verifiable record"}));
  p << "</h2><p>";
  if (v.checkpoint && v.all_checkpointed) {
    p << "<span class=\"ok\">✓ ";
    p.text(fmt::format(fmt::runtime(p.tr({"以上记录均已签名存证，任何人可公开核验（检查点 #{}）", "Verified against checkpoint of size {}"})),
                       v.checkpoint->size));
    p << "</span>";
  } else {
    p << "<span class=\"warn\">";
    p.text(p.tr({"部分记录刚刚录入，尚待签名存证", "Some records are awaiting checkpoint"}));
    p << "</span>";
  }
  p << "</p><p class=\"dim\">";
  if (v.checkpoint && v.issued_entry < v.checkpoint->size) {
    p << "<a href=\"/api/v1/proof/inclusion?index=" << std::to_string(v.issued_entry) << "\">";
    p.text(p.tr({"查看核验证明", "Inclusion proof"}));
    p << "</a> · ";
  }
  p << "<a href=\"/checkpoint\">";
  p.text(p.tr({"签名检查点", "Signed checkpoint"}));
  p << "</a> · <a href=\"/api/v1/codes/";
  p.slot(ScanPageTemplate::Slot::serial, t);
  p << "\">JSON</a></p></section>";
  p.close();
  t.pieces.push_back(std::move(p.str()));
  return t;
}

std::string fill_scan_page(const ScanPageTemplate& t, const std::string& serial, const ScanCount& scans,
                           const PageOptions& o) {
  std::string out;
  out.reserve(t.size() + 1024);
  for (std::size_t i = 0; i < t.pieces.size(); ++i) {
    out += t.pieces[i];
    if (i < t.slots.size()) {
      switch (t.slots[i]) {
        case ScanPageTemplate::Slot::serial: append_escaped(out, serial); break;
        case ScanPageTemplate::Slot::scan_block: out += render_scan_block(scans, o); break;
        case ScanPageTemplate::Slot::copy_banner: out += render_copy_banner(scans, o); break;
      }
    }
  }
  return out;
}

std::string render_scan_page(const CodeView& v, const ScanCount& scans, const PageOptions& o) {
  return fill_scan_page(render_scan_template(v, o), v.serial, scans, o);
}

std::size_t ScanPageTemplate::size() const {
  std::size_t n = 0;
  for (const auto& p : pieces) n += p.size();
  return n;
}

std::string render_not_found_page(const PageOptions& o) {
  Page p(o);
  p.open("未找到该追溯码", "Code not found");
  p << "<section class=\"alert\"><h1 class=\"bad\">";
  p.text(p.tr({"未找到该追溯码", "Code not found"}));
  p << "</h1><p>";
  p.text(p.tr({"此追溯码不在追溯账本中，或已作废。请核对包装上的码，谨防假冒，并向商家或当地农业部门反映。",
               "This trace code is not in the ledger, or it was voided. Check the code on the box; it may be a "
               "counterfeit. Please tell the seller or the local agriculture office."}));
  p << "</p></section>";
  p.close();
  return std::move(p.str());
}

// trust14g: who signed an entry, as the certificate page names it: the key and its holder (trust14h:
// with the holder's name, "（持有主体 太原收购商（BUY））"). The certificate page is Chinese first: the
// Chinese words, and for an English reader their gloss.
static std::string signer_text(const EntrySigner& s, const Page& p) {
  if (s.holder.empty()) return s.key_id + p.value({"（未登记持有主体）", "no holder"});
  const std::string party = s.holder_name.empty() ? s.holder : s.holder_name + "（" + s.holder + "）";
  const std::string party_en = s.holder_name.empty() ? s.holder : s.holder_name + " (" + s.holder + ")";
  const std::string zh = "（持有主体 " + party + "）", en = "held by " + party_en;
  return s.key_id + p.value({zh.c_str(), en.c_str()});
}

std::string render_certificate_page(const CertificateView& v, const std::optional<CheckpointInfo>& checkpoint,
                                    const PageOptions& o) {
  Page p(o);
  p.chinese_first();  // a Chinese legal form: Chinese always, English only as a gloss (docs/certificate.md)
  const Lang lang = o.lang;
  const auto& e = v.event;
  p.open("承诺达标合格证", "Commitment certificate");
  if (v.state.status != CertificateStatus::valid) {
    const bool voided = v.state.status == CertificateStatus::voided;
    p << "<div class=\"banner\" role=\"alert\"><b>";
    p.words(voided ? Text{"⚠ 此合格证已作废", "⚠ This certificate was VOIDED"}
                   : Text{"⚠ 此合格证已失效，请勿凭此证销售或食用", "⚠ This certificate is no longer valid"});
    p << "</b>";
    p.words({"原因：", "Reason:"});
    p.text(" ");
    p.text(v.state.reason);
    p << "<br>";
    if (!v.state.applied_at.empty()) {
      // A spray recorded late (rules version 8): the spray is before the certificate; it became
      // 已失效 when the spray was recorded, after it — the log signs the entry, not a time of recording.
      p.words({"用药时间：", "Sprayed:"});
      p.text(" ");
      p.text(display_time(v.state.applied_at));
      p << "<br>";
      p.words({"失效时间：", "Invalidated:"});
      p.text(" ");
      const std::string entry = std::to_string(v.state.entry.value_or(0)), own = std::to_string(v.record.entry);
      if (!v.state.time.empty()) p.text(display_time(v.state.time) + " ");
      p.text(p.value({("第 " + entry + " 条记录登记了这次用药，在本证（第 " + own + " 条记录）之后").c_str(),
                      ("when entry " + entry + " recorded the spray, after this certificate (entry " + own + ")").c_str()}));
    } else {
      p.words({voided ? "作废时间：" : "失效时间：", voided ? "Voided:" : "Invalidated:"});
      p.text(" ");
      p.text(display_time(v.state.time));
    }
    if (voided && v.voided_by) {
      p << "<br>";
      p.words({"作废签名：", "Voided with key:"});
      if (lang == Lang::en) p.text(" ");
      p.text(signer_text(*v.voided_by, p));
    }
    p << "</div>";
  }
  p << (v.state.status == CertificateStatus::valid ? "<section><span class=\"badge\">"
                                                   : "<section><span class=\"badge no\">");
  p.words(v.state.status == CertificateStatus::valid ? Text{"✓ 有效", "✓ Valid"}
          : v.state.status == CertificateStatus::voided ? Text{"已作废", "Voided"}
                                                        : Text{"已失效", "Invalidated"});
  p << "</span><h1>承诺达标合格证</h1>";
  if (lang == Lang::en) p << "<p class=\"en\" lang=\"en\">Commitment certificate (China, MARA decree 2025 No. 4)</p>";
  if (str(e, "style") == "buyer")
    p.paragraph({"我承诺收购的农产品均已收取、保存承诺达标合格证或其他质量安全合格证明，混装、分装过程中未违法违规使用"
                 "保鲜剂、防腐剂、添加剂，且未使用禁用农药、兽药及其他化合物。",
                 "I promise that for the farm produce I bought I collected and keep its commitment certificates or "
                 "other proof of quality and safety; that in mixing or repacking it no preservative or additive was "
                 "used against the rules; and that no banned pesticide, veterinary drug or other compound was used."});
  else
    p.paragraph({"我承诺销售的农产品未使用禁用农药、兽药及其他化合物，且使用的常规农药、兽药残留不超标。",
                 "I promise that the farm produce I sell was produced without banned pesticides, veterinary drugs "
                 "or other compounds, and that the residues of the permitted pesticides and veterinary drugs used "
                 "are within the limits."});
  p << "<dl>";
  p.row({"合格证编号", "Number"}, v.record.number);
  p.row({"产品名称", "Product"}, v.product_name.empty() ? str(e, "product") : v.product_name);
  // In the printed certificate's words (ledger/certificates.h): an inspector compares the two.
  std::string printed = str(e["quantity"], "value") + " " + v.quantity_unit_zh;
  if (!v.quantity_weight_zh.empty()) printed += "（共 " + v.quantity_weight_zh + "）";  // 300 箱（共 1500 公斤）
  // The printed words first, as on the paper; for an English reader their gloss after them, in the
  // printed unit's words: "300 箱（共 1500 公斤） (300 cases, 1500 kg in all)".
  std::string gloss = str(e["quantity"], "value") + " " + certificate_unit_en(v.quantity_unit_zh);
  if (!v.quantity_weight_zh.empty()) {
    const auto space = v.quantity_weight_zh.find(' ');
    gloss += ", " + v.quantity_weight_zh.substr(0, space) + " " +
             certificate_unit_en(space == std::string::npos ? "" : v.quantity_weight_zh.substr(space + 1)) + " in all";
  }
  p.row({"数量（重量）", "Quantity"}, v.quantity_unit_zh.empty() ? quantity(e["quantity"], lang)
                                     : lang == Lang::zh           ? printed
                                                                  : printed + " (" + gloss + ")");
  p.row({"产地", "Origin"}, certificate_origin_zh(v));
  p.row({"承诺主体", "Issued by"}, v.issuer_name.empty() ? v.record.issuer : v.issuer_name);
  p.row({"联系方式", "Contact"}, v.issuer_phone);
  p.row({"开具日期", "Issued"}, display_time(str(e, "event_time")));
  p.row({"批次", "Lot"}, v.record.lot);
  p.row({"开具签名", "Signed with key"}, signer_text(v.issued_by, p));
  if (e.contains("shipment")) {
    std::string vehicle = str(v.shipment, "vehicle"), waybill = str(v.shipment, "shipment_no");
    std::string text = vehicle.empty() ? str(e, "shipment") : vehicle;
    if (!waybill.empty()) text += fmt::format("（运单 {}）", waybill);
    p.row({"运输车辆", "Vehicle"}, text);  // 一车一证: one certificate per load
  }
  p << "<dt>";
  p.words({"开具依据", "Basis"});
  p << "</dt><dd>";
  for (const char* basis : {"quality_control", "self_tested", "commissioned_test"}) {
    bool ticked = false;
    for (const auto& b : e["bases"]) ticked = ticked || b["basis"] == basis;
    p << (ticked ? "☑ " : "☐ ");
    p.text(basis_zh(basis));  // the tick boxes of the form, in its words
    if (lang == Lang::en) {
      p << " <span class=\"en\" lang=\"en\">";
      p.text(basis_text(basis, lang));
      p << "</span>";
    }
    p << "<br>";
  }
  p << "</dd></dl></section>";

  if (!v.evidence.empty()) {
    p << "<section><h2>";
    p.words({"检测依据", "Inspection evidence"});
    p << "</h2><ol>";
    for (const auto& x : v.evidence) {
      p << "<li><div class=\"t\">";
      p.words({basis_zh(x.basis), basis_text(x.basis, Lang::en).c_str()});
      p << "</div><div class=\"when\">";
      p.text(display_time(str(x.event, "event_time")));
      p << "</div>";
      p.line({"检测机构", "Laboratory"}, str(x.event, "lab").empty() ? x.party_name : str(x.event, "lab"));
      p.line({"检测报告编号", "Report"}, str(x.event, "report_no"));
      p.line({"检测结果", "Result"}, str(x.event, "result") == "pass" ? p.value({"合格", "Passed"}) : p.value({"不合格", "Failed"}));
      // trust14h: who vouched for it — the key that recorded the result, and the party it is held for.
      p.line({"记录签名", "Recorded with key"}, signer_text(x.signer, p));
      for (const auto& item : x.event.value("items", nlohmann::json::array())) {
        std::string line = str(item, "name") + " " + measured_text(item, true);
        if (!str(item, "limit").empty())
          line += fmt::format("（限量 {}）",
                              measured_text({{"measured", str(item, "limit")}, {"unit", str(item, "unit")}}, true));
        p << "<p>";
        p.text(line);
        p << "</p>";
      }
      p << "</li>";
    }
    p << "</ol></section>";
  }
  if (!v.inputs.empty()) {
    p << "<section><h2>";
    p.words({"用药记录与安全间隔期", "Pesticides and pre-harvest intervals"});
    p << "</h2><ol>";
    for (const auto& i : v.inputs) {
      p << "<li><div class=\"t\">";
      p.text(i.input_name.empty() ? i.application.event_id : i.input_name);
      p << "</div>";
      p.line({"施用日期", "Applied"}, i.application.application_date);
      p.line({"安全间隔期", "Pre-harvest interval"},
             fmt::format("{} 天，{} 起可采收", i.application.pre_harvest_interval_days, i.application.safe_date) +
                 (lang == Lang::en ? fmt::format(" ({} days, harvest from {})", i.application.pre_harvest_interval_days,
                                                 i.application.safe_date)
                                   : std::string()));
      p.line({"批次", "Lot"}, i.lot);
      p << "</li>";
    }
    p << "</ol></section>";
  }
  if (!v.parents.empty()) {
    p << "<section><h2>";
    p.words({"已收取的合格证", "Certificates collected"});
    p << "</h2><ol>";
    for (const auto& parent : v.parents) {
      p << "<li><div class=\"t\">";
      if (parent.record && parent.own_page) {  // a paper one too: its page says what the buyer recorded
        p << "<a href=\"/c/";
        p.text(parent.number);
        p << "\">";
        p.text(parent.number);
        p << "</a>";
      } else {
        p.text(parent.number);
      }
      p << "</div>";
      p.line({"开具者", "Issued by"}, parent.issuer_name.empty() ? parent.issuer : parent.issuer_name);
      if (parent.record) {
        p.line({"开具日期", "Issued"},
               parent.issued_on.empty() ? p.value({"纸面未登记", "not recorded from the paper"})
                                        : parent.issued_on);
        p.line({"数量", "Quantity"}, str(parent.quantity, "value") + " " + parent.quantity_unit_zh);
        p.line({"批次", "Lot"}, parent.record->lot);
        if (parent.record->received) {
          p.line({"形式", "Form"}, p.value({"纸质，收购时登记", "paper, recorded on collection"}));
          p.line({"收取时间", "Collected"}, display_time(parent.received_at));
        }
      }
      p << "</li>";
    }
    p << "</ol></section>";
  }

  p << "<section id=\"proof\"><h2>";
  p.words({"可验证记录", "Verifiable record"});
  p << "</h2><p>";
  const bool covered = checkpoint && v.record.entry < checkpoint->size;
  if (covered) {
    p << "<span class=\"ok\">✓ ";
    p.text(fmt::format("本合格证已签名存证，任何人可公开核验（检查点 #{}）", checkpoint->size));
    if (lang == Lang::en)
      p.text(fmt::format(" · Signed and publicly verifiable (checkpoint of size {})", checkpoint->size));
    p << "</span>";
  } else {
    p << "<span class=\"warn\">";
    p.words({"本合格证刚刚录入，尚待签名存证", "This certificate is awaiting checkpoint"});
    p << "</span>";
  }
  p << "</p><p class=\"dim\">";
  if (covered) {
    p << "<a href=\"/api/v1/proof/inclusion?index=" << std::to_string(v.record.entry) << "\">";
    p.words({"查看核验证明", "Inclusion proof"});
    p << "</a> · ";
  }
  p << "<a href=\"/checkpoint\">";
  p.words({"签名检查点", "Signed checkpoint"});
  p << "</a></p></section>";
  p.close();
  return std::move(p.str());
}

std::string render_received_certificate_page(const std::vector<ReceivedCertificateView>& received,
                                             const std::optional<CheckpointInfo>& checkpoint, const PageOptions& o) {
  Page p(o);
  const Lang lang = o.lang;
  p.open("收购者登记的纸质合格证", "A paper certificate recorded by a buyer");
  p << "<section><span class=\"badge no\">";
  p.text(p.tr({"纸质合格证（收购登记）", "Paper certificate (recorded on purchase)"}));
  p << "</span><h1>";
  p.text(p.tr({"收购者登记的纸质合格证", "A paper certificate recorded by a buyer"}));
  p << "</h1><p>";
  p.text(p.tr({"此编号不是在本追溯系统中开具的承诺达标合格证。它是收购者收购时从开具者处收取、并抄录到追溯账本中的合格证"
               "（多为纸质）：下面是收购者抄录的内容。本系统没有核验这张合格证本身，其内容以纸质原件为准；如对真伪有疑问，"
               "请向开具者或当地农业农村部门核实。",
               "This number is not a certificate issued in this traceability system. It is a certificate (usually on "
               "paper) that a buyer collected from its issuer on purchase and copied into the ledger: below is what "
               "the buyer recorded. This system has not checked the certificate itself; the paper original governs. "
               "If in doubt, ask the issuer or the local agriculture office."}));
  p << "</p></section>";
  for (const auto& v : received) {
    const auto& e = v.event;
    p << "<section><h2>";
    p.text(fmt::format(fmt::runtime(p.tr({"合格证 {}（开具者：{}）", "Certificate {} (issued by {})"})), v.record.number,
                       v.issuer_name.empty() ? v.record.issuer : v.issuer_name));
    p << "</h2><dl>";
    p.row({"合格证编号", "Number"}, v.record.number);
    p.row({"开具者", "Issued by"}, v.issuer_name.empty() ? v.record.issuer : v.issuer_name);
    p.row({"开具日期", "Issued"},
          str(e, "issued_on").empty() ? std::string(p.tr({"纸面未登记", "not recorded from the paper"}))
                                      : str(e, "issued_on"));
    p.row({"产品名称", "Product"}, v.product_name.empty() ? str(e, "product") : v.product_name);
    const std::string printed = str(e["quantity"], "value") + " " + v.quantity_unit_zh;
    p.row({"数量（重量）", "Quantity"}, lang == Lang::zh ? printed : quantity(e["quantity"], lang) + " (" + printed + ")");
    p.row({"产地", "Origin"}, v.origin_text.empty() ? std::string(p.tr({"纸面未登记", "not recorded from the paper"}))
                                                    : v.origin_text);
    p.row({"收取者", "Collected by"}, v.buyer_name.empty() ? str(e, "party") : v.buyer_name);
    p.row({"登记时间", "Recorded"}, display_time(str(e, "event_time")));
    p.row({"批次", "Lot"}, v.record.lot);
    if (!str(e, "photo_sha256").empty()) p.row({"照片 SHA-256", "Photo SHA-256"}, str(e, "photo_sha256"));
    p << "</dl><p class=\"dim\">";
    const bool covered = checkpoint && v.record.entry < checkpoint->size;
    p.text(covered ? fmt::format(fmt::runtime(p.tr({"这条登记记录已签名存证（检查点 #{}）；它证明收购者登记了什么，"
                                                    "不证明纸质合格证的内容属实。",
                                                    "This record is signed (checkpoint of size {}): it proves what the "
                                                    "buyer recorded, not that the paper is true."})),
                                 checkpoint->size)
                   : std::string(p.tr({"这条登记记录刚刚录入，尚待签名存证。", "This record is awaiting checkpoint."})));
    if (covered) {
      p << " <a href=\"/api/v1/proof/inclusion?index=" << std::to_string(v.record.entry) << "\">";
      p.text(p.tr({"查看核验证明", "Inclusion proof"}));
      p << "</a>";
    }
    p << "</p></section>";
  }
  p.close();
  return std::move(p.str());
}

std::string render_certificate_not_found_page(const PageOptions& o, const std::vector<std::string>& did_you_mean) {
  Page p(o);
  p.open("未找到该合格证", "Certificate not found");
  if (!did_you_mean.empty()) {
    p << "<section class=\"alert\"><h1 class=\"warn\">";
    p.text(p.tr({"未找到该编号，是不是：", "No such number. Did you mean:"}));
    p << "</h1><ul>";
    for (const auto& n : did_you_mean) {
      p << "<li><a href=\"/c/";
      p.text(n);
      p << "\">";
      p.text(n);
      p << "</a></li>";
    }
    p << "</ul><p>";
    p.text(p.tr({"合格证编号区分大小写字母。请与纸面合格证上的编号逐字核对：一致时点上面的编号查看；不一致时谨防假冒，"
                 "并向商家或当地农业农村部门反映。",
                 "Certificate numbers are case-sensitive. Compare with the number printed on the certificate letter "
                 "by letter: if it matches, open the number above; if not, it may be a counterfeit — please tell the "
                 "seller or the local agriculture office."}));
    p << "</p></section>";
    p.close();
    return std::move(p.str());
  }
  p << "<section class=\"alert\"><h1 class=\"bad\">";
  p.text(p.tr({"未找到该承诺达标合格证", "Certificate not found"}));
  p << "</h1><p>";
  p.text(p.tr({"此合格证编号不在追溯账本中。请核对合格证上的编号，谨防假冒，并向商家或当地农业农村部门反映。",
               "This certificate number is not in the traceability ledger. Check the number on the certificate; it "
               "may be a counterfeit. Please tell the seller or the local agriculture office."}));
  p << "</p></section>";
  p.close();
  return std::move(p.str());
}

std::string render_proof_page(std::uint64_t index, const std::string& proof_text, const PageOptions& o) {
  Page p(o);
  p.open("核验证明", "Inclusion proof");
  p << "<section><h1>";
  p.text(p.tr({"核验证明", "Inclusion proof"}));
  p << "</h1><p>";
  p.text(fmt::format(
      fmt::runtime(p.tr({"下面这段文字证明：第 {} 条记录（这批追溯码的赋码记录）已写入签名追溯账本，之后无法被悄悄改写。",
                         "The text below proves that record {} (the label job that issued this code) is in the "
                         "signed traceability ledger and cannot be rewritten unnoticed."})),
      index));
  p << "</p><pre>";
  p.text(proof_text);
  p << "</pre><p class=\"dim\">";
  p.text(p.tr({"可复制保存全文，用账本的公开密钥离线核验（C2SP tlog-proof 格式）。",
               "Copy and keep the whole text; anyone can check it offline with the ledger's public key "
               "(C2SP tlog-proof format)."}));
  p << "</p><p class=\"dim\"><a href=\"/api/v1/proof/inclusion?index=" << std::to_string(index)
    << "&amp;format=text\">";
  p.text(p.tr({"纯文本", "Plain text"}));
  p << "</a> · <a href=\"/checkpoint\">";
  p.text(p.tr({"签名检查点", "Signed checkpoint"}));
  p << "</a></p></section>";
  p.close();
  return std::move(p.str());
}

std::string render_unverifiable_page(const PageOptions& o) {
  Page p(o);
  p.open("暂时无法核验", "Temporarily unable to verify");
  p << "<section class=\"alert\"><h1 class=\"bad\">";
  p.text(p.tr({"暂时无法核验，请稍后再试", "Temporarily unable to verify; please try again later"}));
  p << "</h1><p>";
  p.text(p.tr({"追溯系统正在核验账本，暂不显示任何产品信息。请稍后再扫码查询。",
               "The trace service is checking its ledger and shows no product information until it has. "
               "Please scan the code again later."}));
  p << "</p></section>";
  p.close();
  return std::move(p.str());
}

std::string render_bad_request_page(const std::string& reason, const PageOptions& o) {
  Page p(o);
  p.open("链接有误", "Bad link");
  p << "<section class=\"alert\"><h1 class=\"bad\">";
  p.text(p.tr({"链接格式有误", "This link is malformed"}));
  p << "</h1><p>";
  p.text(reason);
  p << "</p></section>";
  p.close();
  return std::move(p.str());
}

}  // namespace agtrace::verifier
