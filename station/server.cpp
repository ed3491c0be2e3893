// The station's HTTP service: resources, limits, the pre-routing guard, routes, listen.
#include "station/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <cmath>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <thread>

#include "labeler/certificate/certificate_from_ledger.h"
#include "labeler/certificate/certificate_render.h"
#include "labeler/code/serial.h"
#include "labeler/job/job.h"
#include "labeler/job/journal.h"
#include "labeler/lot_tag/lot_tag.h"
#include "labeler/printer/output.h"
#include "labeler/render/painter.h"
#include "labeler/template/content.h"
#include "ledger/certificates.h"
#include "ledger/json/strict_parse.h"
#include "ledger/event/digital_link.h"
#include "ledger/import/yield_check.h"
#include "ledger/ledger.h"
#include "ledger/scanned_label.h"
#include "ledger/util/bytes.h"
#include "ledger/util/error.h"
#include "ledger/util/sha256.h"
#include "station/assets.h"
#include "station/certificates.h"
#include "station/history.h"
#include "station/lots.h"
#include "station/messages.h"
#include "station/print_block.h"
#include "station/printers.h"
#include "station/queue.h"
#include "station/replica.h"
#include "station/state.h"
#include "station/template_check.h"
#include "station/upload.h"

namespace agtrace::station {
namespace {

using Json = nlohmann::json;
constexpr const char* kCookie = "agtrace_station";
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, Json{{"error", message}});
}

// The cookie's value, "" when absent.
std::string session_cookie(const httplib::Request& req) {
  std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == kCookie) return std::string(part.substr(eq + 1));
  }
  return "";
}

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string etag_of(std::string_view bytes) {
  Hash h = sha256(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  return "\"" + hex_encode(h).substr(0, 32) + "\"";
}

Json job_json(const Job& j) {
  return {{"id", j.id},           {"printer", j.printer},       {"lot", j.lot},
          {"product", j.product}, {"count", j.count},           {"account", j.account},
          {"state", j.state},     {"created_ms", j.created_ms}, {"finished_ms", j.finished_ms},
          {"entry", j.entry ? Json(*j.entry) : Json()},         {"confirmed", j.confirmed},
          {"message", j.message}};
}

// What a packed lot's units are called ("unit": 箱 for a lot made by packing, else 件; "unit_en":
// cases / pieces), as its certificate prints them (ledger/certificates.h certificate_unit_zh).
void add_unit(Ledger& ledger, const std::string& lot, Json& j) {
  j["unit"] = certificate_unit_zh(ledger.store(), lot, "H87");
  j["unit_en"] = certificate_unit_en(j["unit"].get<std::string>());
}

Json lot_json(Ledger& ledger, const LotSummary& l) {
  Json j = {{"lot", l.lot},
            {"product", l.product},
            {"packed_time", l.packed_time},
            {"packed_units", l.packed_units},
            {"live_codes", l.live_codes},
            {"unlabelled", l.unlabelled()},
            {"blocked", nullptr}};
  add_unit(ledger, l.lot, j);
  if (auto b = print_block(ledger, l.lot)) j["blocked"] = {{"code", b->code}, {"label", b->label}, {"reason", b->reason}};
  return j;
}

// A request refused with `status` and `body` (an {"error": …} object, perhaps with more).
struct Refusal {
  int status;
  Json body;
};

[[noreturn]] void refuse(int status, const std::string& message, Json more = Json::object()) {
  more["error"] = message;
  throw Refusal{status, std::move(more)};
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Unix ms `ms` as Beijing time (UTC+8, no summer time), "2026-12-07 11:32", as the lockout
// messages say it.
std::string beijing_time(std::int64_t ms) {
  constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
  std::int64_t of_day = (ms + 8 * 3600 * 1000) % kDayMs;
  if (of_day < 0) of_day += kDayMs;
  return fmt::format("{} {:02}:{:02}", china_date(ms), of_day / 3600000, of_day / 60000 % 60);
}

// The same moment as the Chinese screens write every date and time: "2026年12月7日 11:32".
std::string beijing_time_zh(std::int64_t ms) {
  const std::string t = beijing_time(ms);  // "2026-12-07 11:32"
  return fmt::format("{}年{}月{}日 {}", t.substr(0, 4), std::stoi(t.substr(5, 2)), std::stoi(t.substr(8, 2)), t.substr(11));
}

constexpr std::size_t kMaxReasonBytes = 500;  // the ledger's text limit is 1000: room for the supervisor's note

// How long a reprint or void waits for the replica to hold its own entry before answering,
// so that the screen the operator sees next counts it.
constexpr std::chrono::milliseconds kCatchUp{3000};

}  // namespace

struct StationServer::Impl {
  StationConfig config;
  ServeOptions options;
  StationState state;
  std::size_t recovered;  // jobs left sending by the last run, marked failed before any worker starts
  // What every screen reads: the verified replica, never the ledger file's derived tables
  // (replica.h). Writes still go to the ledger file, whose writers audit it before signing.
  Replica replica;
  PrinterMonitor monitor;
  PrintQueue queue;
  httplib::Server http;
  int listen_fd = -1;

  Impl(StationConfig c, ServeOptions o)
      : config(std::move(c)),
        options(std::move(o)),
        state(options.state_path),
        recovered(state.recover(now_ms())),
        replica(ReplicaOptions{options.ledger_path, options.state_path, options.log_pubkeys,
                               options.replica_poll_ms}),
        monitor(config.printers),
        queue(config, options.ledger_path, state, monitor,
              {.before_send = [this] { (void)replica.read(); },
               .recorded = [this](std::uint64_t) { replica.poll_now(); },
               .settled = [this](std::uint64_t entry) { replica.catch_up_to(entry, kCatchUp); },
               .refused_unverified = [this](const std::string& detail) {
                 replica.writer_audit_failed(detail);
                 return unavailable_message(replica.health());
               }}) {}

  std::int64_t idle_ms() const { return std::int64_t{config.session_idle_minutes} * 60 * 1000; }
  std::int64_t lockout_now() const { return options.lockout_clock ? options.lockout_clock() : now_ms(); }
  LockoutPolicy lockout_policy() const {
    return {.first_ms = std::int64_t{config.signin_lockout_minutes} * 60 * 1000, .max_ms = 24 * 3600 * 1000};
  }

  std::int64_t session_now() const { return options.session_clock ? options.session_clock() : now_ms(); }

  // The request's session. A screen's poll (header X-Station-Poll, docs/station.md "登录超时")
  // does not count as use: only what the user did keeps a session from its idle timeout.
  std::optional<Session> session_of(const httplib::Request& req) {
    std::string token = session_cookie(req);
    if (token.empty()) return std::nullopt;
    return state.session(token, session_now(), idle_ms(), !req.has_header("X-Station-Poll"));
  }

  // The guard every request passes before routing (and before a POST body is read).
  httplib::Server::HandlerResponse guard(const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Content-Security-Policy", kCsp);
    using HR = httplib::Server::HandlerResponse;
    if (req.method == "GET" || req.method == "HEAD") return HR::Unhandled;
    if (req.method != "POST") {
      res.set_header("Allow", "GET, HEAD, POST");
      send_error(res, 405, "不支持这种请求 / 405 method not allowed: GET, HEAD or POST");
      return HR::Handled;
    }
    // A chunked body carries no Content-Length to check before it is read (cpp-httplib 0.11.4 reads
    // it whole; nginx in front limits its size, DESIGN §5): refused, whatever it holds.
    if (req.has_header("Transfer-Encoding")) {
      send_error(res, 411, "请求要写明长度（Content-Length），不接受分块传输 / 411 length required: send a "
                           "Content-Length, not Transfer-Encoding: chunked");
      return HR::Handled;
    }
    std::string length = req.get_header_value("Content-Length");
    if (length.find_first_not_of("0123456789") != std::string::npos) {
      send_error(res, 400, "请求有误 / 400 bad request: Content-Length is not a number");
      return HR::Handled;
    }
    // The clerk's upload (upload.h) is a CSV file of up to kMaxUploadBytes; every other POST a
    // small JSON body.
    const bool upload = req.path == "/api/upload";
    if (upload && !length.empty() && (length.size() > 9 || std::stoull(length) > kMaxUploadBytes)) {
      send_error(res, 413, fmt::format("文件太大：一次最多上传 {} MB。请在 Excel 里把表格分成几个文件（每个不超过 {} MB），"
                                       "再分别上传；没有记录任何内容 / 413 file too large: at most {} MB per upload",
                                       kMaxUploadBytes >> 20, kMaxUploadBytes >> 20, kMaxUploadBytes >> 20));
      return HR::Handled;
    }
    if (!upload && !length.empty() && (length.size() > 9 || std::stoull(length) > kMaxBodyBytes)) {
      send_error(res, 413, fmt::format("请求内容太大，最多 {} 字节 / 413 request body too large: at most {} bytes",
                                       kMaxBodyBytes, kMaxBodyBytes));
      return HR::Handled;
    }
    if (upload && req.get_header_value("Content-Type").rfind("text/csv", 0) != 0) {
      send_error(res, 415, "请上传 CSV 文件（Content-Type: text/csv） / 415 send the file as text/csv");
      return HR::Handled;
    }
    if (!upload && req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      send_error(res, 415, "请求格式不对，应为 JSON / 415 send the request body as application/json");
      return HR::Handled;
    }
    if (req.path == "/api/signin") return HR::Unhandled;
    auto s = session_of(req);
    if (!s) {
      no_session(req, res);
      return HR::Handled;
    }
    if (!same_secret(req.get_header_value("X-CSRF-Token"), s->csrf)) {
      send_error(res, 403, "请求缺少本次登录的安全令牌，请刷新页面后重试 / 403 the request lacks this session's CSRF token: "
                           "reload the page and try again");
      return HR::Handled;
    }
    return HR::Unhandled;
  }

  // The session of a request the guard let through, or nullopt after answering 401.
  std::optional<Session> need_session(const httplib::Request& req, httplib::Response& res) {
    auto s = session_of(req);
    if (!s) no_session(req, res);
    return s;
  }

  // 401 for a request without a usable session: when its account was disabled (停用) since it
  // signed in, says so and whom to ask ("disabled": true), not "sign in first".
  void no_session(const httplib::Request& req, httplib::Response& res) {
    std::string token = session_cookie(req);
    if (auto id = token.empty() ? std::nullopt : state.disabled_session(token))
      return send_json(res, 401,
                       {{"error", fmt::format("账号 {} 已停用，已退出登录。如需继续使用，请找本企业主管在“账号”屏幕启用，"
                                              "或请系统管理员运行 agtrace-station user enable --id {} / account {} was "
                                              "disabled and signed out: ask a supervisor of your enterprise to enable it "
                                              "on the accounts screen",
                                              *id, *id, *id)},
                        {"disabled", true}});
    send_error(res, 401, "请先登录（或登录已超时） / 401 sign in first (or the session timed out)");
  }

  static Json body_of(const httplib::Request& req) {
    json::Limits limits;
    limits.max_document_bytes = kMaxBodyBytes;
    limits.max_string_bytes = 2048;
    limits.max_depth = 4;
    // A malformed request is the screen's (or a script's) mistake, not a refusal by the ledger.
    Json j;
    try {
      j = json::parse_strict(req.body, limits, "request");
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      refuse(400, fmt::format("请求格式不对：不是正确的 JSON，没有做任何处理 / bad request: {}", e.what()));
    }
    if (!j.is_object()) refuse(400, "请求格式不对：应为 JSON 对象，没有做任何处理 / bad request: the body must be a JSON object");
    return j;
  }

  static std::string text_field(const Json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string())
      throw_bad_input(fmt::format("缺少字段 {} / field {} is missing or not text", name, name));
    return it->get<std::string>();
  }

  void cookie(httplib::Response& res, const std::string& value, int max_age) {
    res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}; Max-Age={}", kCookie, value,
                                             config.secure_cookies ? "; Secure" : "", max_age));
  }

  // A supervisor cannot ask "a supervisor" to unlock their own sign-in (they may be the only
  // one): they are told the administrator's command; others are told both ways. A locked
  // sign-in never stops the supervisor's approvals (StationState::approve).
  static std::string signin_locked_message(const SignInResult& r) {
    const std::string until = beijing_time(r.locked_until_ms), until_zh = beijing_time_zh(r.locked_until_ms);
    const std::string& id = r.account.id;
    if (r.account.role == "supervisor")
      return fmt::format("账号已锁定：PIN 连续输错 {} 次，到北京时间 {} 自动解锁；急用请系统管理员在工作站电脑上运行 "
                         "agtrace-station user unlock --id {}（或请本企业另一位主管在“账号”屏幕解锁）；锁定期间本账号仍可在"
                         "操作员屏幕上批准作废和重印 / account locked after {} wrong PINs until {} Beijing time; sooner: the "
                         "administrator runs `agtrace-station user unlock --id {}` (or another supervisor unlocks it on the 账号 "
                         "screen); its approvals still work meanwhile",
                         kMaxWrongPins, until_zh, id, kMaxWrongPins, until, id);
    return fmt::format("账号已锁定：PIN 连续输错 {} 次，到北京时间 {} 自动解锁；急用请找本企业主管在“账号”屏幕解锁或重置 PIN，"
                       "或请系统管理员运行 agtrace-station user unlock --id {} / account locked after {} wrong PINs until {} "
                       "Beijing time; sooner: a supervisor of your enterprise unlocks it or resets its PIN on the 账号 screen, "
                       "or the administrator runs `agtrace-station user unlock --id {}`",
                       kMaxWrongPins, until_zh, id, kMaxWrongPins, until, id);
  }

  void signin(const httplib::Request& req, httplib::Response& res) {
    Json b = body_of(req);
    std::string user = text_field(b, "user"), pin = text_field(b, "pin");
    SignInResult r = state.sign_in(user, pin, lockout_now(), lockout_policy());
    switch (r.outcome) {
      case SignInOutcome::wrong:
        return send_json(res, 401,
                         {{"error", fmt::format("账号或 PIN 不对；再错 {} 次账号会被锁定 / wrong account or PIN; {} more wrong "
                                                "PINs in a row lock the account",
                                                r.tries_left, r.tries_left)},
                          {"tries_left", r.tries_left}});
      case SignInOutcome::locked:
        return send_json(
            res, 403,
            {{"error", signin_locked_message(r)},
             {"locked", true},
             {"locked_until_ms", r.locked_until_ms}});
      case SignInOutcome::disabled:
        return send_error(res, 403, "账号已停用，请找主管 / account disabled: ask a supervisor");
      case SignInOutcome::ok: break;
    }
    if (!config.enterprise(r.account.enterprise))
      return send_error(res, 403, fmt::format("账号所属企业 {} 不在本工作站的配置中，请找系统管理员 / the account's "
                                              "enterprise {} is not configured at this station",
                                              r.account.enterprise, r.account.enterprise));
    Session s = state.create_session(r.account, session_now());
    cookie(res, s.token, config.session_idle_minutes * 60 * 4);
    send_json(res, 200, me_json(s));
  }

  Json me_json(const Session& s) {
    return {{"user", s.account.id},
            {"role", s.account.role},
            {"enterprise", s.account.enterprise},
            {"enterprise_name", enterprise_name(s.account.enterprise)},
            {"csrf", s.csrf},
            {"confirm_above", config.confirm_above},
            {"supervisor_reprint_above", config.supervisor_reprint_above},
            {"certificate_pdf", config.enterprise(s.account.enterprise) &&
                                    config.enterprise(s.account.enterprise)->certificate_template != nullptr},
            {"max_labels", config.max_labels_per_job},
            // A clerk of an enterprise without clerk_key: why every upload would be refused (the
            // 上传 screen shows it, its file choice grey); null when uploads can work.
            {"upload_refused", s.account.role == "clerk" && config.enterprise(s.account.enterprise) &&
                                       !config.enterprise(s.account.enterprise)->clerk_key
                                   ? Json(no_clerk_key_message(s.account.enterprise))
                                   : Json()},
            {"ledger", ledger_json()}};
  }

  // The enterprise's name from its party master data (what operators and clerks call it), its
  // party id when the ledger has none or cannot be read verified now.
  static std::string party_name(Ledger& ledger, const std::string& party) {
    auto m = ledger.store().master("party", party);
    return m && !m->value("name", "").empty() ? m->value("name", "") : party;
  }
  // While the ledger fails closed, the name last read verified (the top bar keeps saying who).
  std::string enterprise_name(const std::string& party) {
    std::lock_guard lock(names_mu);
    try {
      ReplicaRead verified = replica.read();
      return known_names[party] = party_name(*verified, party);
    } catch (const ReplicaUnavailable&) {
      auto it = known_names.find(party);
      return it != known_names.end() ? it->second : party;
    }
  }
  std::mutex names_mu;
  std::map<std::string, std::string> known_names;  // party id → its name last read verified

  // The replica's state for the UI: a banner while it is not verified.
  Json ledger_json() const {
    verifier::StateHealth h = replica.health();
    if (h.status == verifier::StateStatus::verified) return {{"status", "verified"}, {"entries", h.entries}};
    return {{"status", h.status == verifier::StateStatus::failed ? "failed" : "verifying"},
            {"entries", h.entries},
            {"message", unavailable_message(h)}};
  }

  const Enterprise& enterprise_of(const Session& s) {
    const Enterprise* e = config.enterprise(s.account.enterprise);
    if (!e) throw_bad_input("账号所属企业不在本工作站的配置中 / the account's enterprise is not configured here");
    return *e;
  }

  // The lot `lot` if it is a packed lot of the session's enterprise with an approved template.
  // An unknown lot, a lot that is not packed and another enterprise's lot get the same 404 and
  // the same words, naming only what was given (issue 15 trial, item 7).
  [[noreturn]] static void no_such_lot(const std::string& given) {
    std::string g = given.substr(0, 100);
    refuse(404, fmt::format("本企业没有包装过批次“{}”，请核对批次号，或扫描本企业包装的箱上的标签 / your enterprise packed no lot "
                            "\"{}\": check the lot id, or scan a label of a box your enterprise packed",
                            g, g));
  }

  // The lot named by a lot field (a typed lot id or a scanned label), if the session's
  // enterprise packed it; otherwise no_such_lot, whatever the reason.
  LotSummary own_lot_field(Ledger& ledger, const Session& s, const std::string& given) {
    if (trimmed(given).empty()) refuse(400, "请输入或扫描批次号 / type or scan a lot id or a label");
    std::string lot;
    try {
      lot = resolve_lot_field(ledger, given, s.account.enterprise);
    } catch (const LotFieldRefused& e) {
      refuse(e.status(), e.what());
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      no_such_lot(trimmed(given));
    }
    auto l = lot_summary(ledger, lot);
    if (!l || l->packer != s.account.enterprise) no_such_lot(trimmed(given));
    return own_lot(ledger, s, l->lot);
  }

  LotSummary own_lot(Ledger& ledger, const Session& s, const std::string& lot) {
    auto l = lot_summary(ledger, lot);
    if (!l || l->packer != s.account.enterprise) no_such_lot(lot);
    if (!enterprise_of(s).templates.count(l->product))
      throw_bad_input(fmt::format("产品 {} 还没有批准的标签模板，请找主管 / product {} has no approved label template at "
                                  "this station: ask a supervisor",
                                  l->product, l->product));
    return *l;
  }

  void products(const Session& s, httplib::Response& res) {
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    Json out = Json::array();
    for (const auto& [id, t] : enterprise_of(s).templates) {
      auto p = product_summary(ledger, id);
      out.push_back({{"id", p.id}, {"name", p.name}, {"template", t.label.name}, {"template_sha256", t.label.file_sha256}});
    }
    send_json(res, 200, out);
  }

  void lots(const Session& s, const httplib::Request& req, httplib::Response& res) {
    std::string product = req.get_param_value("product");
    if (!enterprise_of(s).templates.count(product))
      return send_error(res, 400, fmt::format("产品 {} 没有批准的模板 / product {} has no approved template", product, product));
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    Json out = Json::array();
    for (const auto& l : packed_lots(ledger, s.account.enterprise, product, 30)) out.push_back(lot_json(ledger, l));
    send_json(res, 200, out);
  }

  void lot(const Session& s, const httplib::Request& req, httplib::Response& res) {
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    LotSummary l = own_lot_field(ledger, s, req.get_param_value("q"));
    Json j = lot_json(ledger, l);
    j["product_name"] = product_summary(ledger, l.product).name;
    // Its 承诺达标合格证 and those of the lots it was made from (the lot's own first), with
    // their status now: a lot needs a valid one before labels print (rules version 4).
    Json certs = Json::array();
    for (const auto& [record, st] : lineage_certificates(ledger.store(), l.lot))
      certs.push_back({{"number", record.number},
                       {"issuer", record.issuer},
                       {"lot", record.lot},
                       {"received", record.received},
                       {"status", certificate_status_en(st.status)},
                       {"status_text", fmt::format("{} / {}", certificate_status_zh(st.status),
                                                   certificate_status_en(st.status))},
                       {"reason", st.reason}});
    j["certificates"] = certs;
    // Whether Print needs one of the lot's own valid: the preview warns and Print waits only then.
    j["certificate_required"] = certificate_required(ledger, l.product);
    send_json(res, 200, j);
  }

  void preview(const Session& s, const httplib::Request& req, httplib::Response& res) {
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    LotSummary l = own_lot(ledger, s, req.get_param_value("lot"));
    const auto& t = enterprise_of(s).templates.at(l.product).label;
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(preview_png(ledger, l.lot, t, t.dpi), "image/png");
  }

  void printers(httplib::Response& res) {
    Json out = Json::array();
    for (const auto& v : monitor.snapshot()) {
      const PrinterConfig* p = config.printer(v.name);
      out.push_back({{"name", v.name},
                     {"state", v.state},
                     {"ready", v.ready},
                     {"text", v.text},
                     {"checked_ms", v.checked_ms},
                     {"language", p->language},
                     {"dpi", p->dpi},
                     {"label", fmt::format("{}×{} mm", p->label_width_mm, p->label_height_mm)}});
    }
    send_json(res, 200, out);
  }

  // The latest jobs; a failed job that was recorded says how many of its labels are still
  // uncertain ("uncertain", 0 once all were reprinted or voided: the screen then says so instead
  // of sending the operator to deal with them), null while the ledger cannot be read.
  void jobs(const Session& s, httplib::Response& res) {
    std::optional<std::map<std::uint64_t, std::size_t>> left;  // entry → unconfirmed labels
    try {
      ReplicaRead verified = replica.read();
      left.emplace();
      for (const auto& u : labeler::unfinished_jobs(labeler::PrintJournal::default_path(options.ledger_path), *verified))
        if (u.entry) (*left)[*u.entry] += u.unconfirmed.size();
    } catch (const std::exception&) {
      // The ledger unreadable (fail closed), or the print journal being created by a job that is
      // starting (its file before its table): the jobs still show, from the station's own state;
      // whether a failed one was dealt with is unknown for this refresh (null).
      left.reset();
    }
    Json out = Json::array();
    for (const auto& j : state.recent_jobs(s.account.enterprise, 20)) {
      Json o = job_json(j);
      o["uncertain"] = nullptr;
      if (left && j.state == "failed" && j.entry) {
        auto it = left->find(*j.entry);
        o["uncertain"] = it == left->end() ? 0 : it->second;
      }
      out.push_back(std::move(o));
    }
    send_json(res, 200, out);
  }

  void submit(const Session& s, const httplib::Request& req, httplib::Response& res) {
    if (s.account.role == "clerk")
      return send_error(res, 403, "文员账号不能打印标签 / a clerk account does not print labels");
    Json b = body_of(req);
    std::string lot_id = text_field(b, "lot"), printer_name = text_field(b, "printer");
    auto count_it = b.find("count");
    if (count_it != b.end() && (count_it->is_number_float() || count_it->is_string()))
      return send_error(res, 400, fmt::format("数量须为整数张数（如 12），不能是“{}”；标签不能打半张 / count: a whole number of "
                                              "labels (e.g. 12), not {}",
                                              count_it->is_string() ? count_it->get<std::string>().substr(0, 20)
                                                                    : count_it->dump(),
                                              count_it->dump().substr(0, 20)));
    if (count_it == b.end() || !count_it->is_number_unsigned() || count_it->get<std::uint64_t>() == 0 ||
        count_it->get<std::uint64_t>() > config.max_labels_per_job)
      return send_error(res, 400, fmt::format("数量须为 1 到 {} 张 / count: 1 to {} labels per job", config.max_labels_per_job,
                                              config.max_labels_per_job));
    std::size_t count = count_it->get<std::size_t>();
    bool confirmed = b.value("confirmed", false);
    const PrinterConfig* printer = config.printer(printer_name);
    if (!printer) return send_error(res, 400, fmt::format("没有打印机“{}” / no printer \"{}\"", printer_name, printer_name));
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    LotSummary l = own_lot(ledger, s, lot_id);
    const Enterprise& e = enterprise_of(s);
    const auto& t = e.templates.at(l.product).label;
    if (!template_fits(t, *printer))
      return send_error(res, 400, fmt::format("打印机“{}”装的是 {}×{} mm 标签，这个产品的模板是 {}×{} mm，请换打印机 / "
                                              "printer \"{}\" holds {}×{} mm labels; this product's template is {}×{} mm",
                                              printer->name, printer->label_width_mm, printer->label_height_mm,
                                              t.width_mm, t.height_mm, printer->name, printer->label_width_mm,
                                              printer->label_height_mm, t.width_mm, t.height_mm));
    if (count > l.unlabelled())
      return send_error(res, 400, fmt::format("这个批次包装了 {} 件，已有 {} 个有效追溯码，最多还能打 {} 张 / lot {} was packed "
                                              "into {} units and has {} live codes: at most {} more labels",
                                              l.packed_units, l.live_codes, l.unlabelled(), l.lot, l.packed_units,
                                              l.live_codes, l.unlabelled()));
    if (count > config.confirm_above && !confirmed)
      return send_json(res, 409, {{"error", fmt::format("要打印 {} 张，请确认 / {} labels: please confirm", count, count)},
                                  {"confirm", true}});
    PrinterView pv = monitor.view(printer->name);
    if (!pv.ready)
      return send_error(res, 409, fmt::format("打印机“{}”未就绪：{}", printer->name, pv.text));
    // The ledger's own checks (key, holder, lot, packed count, recall, certificate), as the
    // job will meet them when it starts sending: refused now, in the operator's words.
    {
      labeler::LabelFacts facts = labeler::gather_label_facts(ledger, l.lot);
      labeler::LabelPainter painter(t, facts, printer->dpi);  // the content fits the approved template
      LabelJob probe;
      probe.type = "labels_issued";
      probe.lot = l.lot;
      probe.serials = labeler::allocate_serials(1);  // the packed count is checked above, for the whole job
      probe.party = facts.packing_party;
      probe.location = facts.packing_location;
      probe.template_name = t.name;
      probe.operator_id = s.account.id;
      probe.template_sha256 = t.file_sha256;
      Ledger writable(options.ledger_path, true);
      // A pre-check for the operator's message, nothing written: the job's own write audits the
      // file before it signs (docs/security.md), so one audit per job is enough.
      writable.audit_before_writing(false);
      writable.check_label_job(probe, *e.key);
    }
    Job j;
    j.printer = printer->name;
    j.lot = l.lot;
    j.product = l.product;
    j.count = count;
    j.account = s.account.id;
    j.enterprise = s.account.enterprise;
    j.id = state.queue_job(j, now_ms());
    queue.wake();
    send_json(res, 202, {{"id", j.id}, {"state", "queued"}});
  }

  void cancel(const Session& s, const httplib::Request& req, httplib::Response& res) {
    Json b = body_of(req);
    auto id = b.find("id");
    if (id == b.end() || !id->is_number_integer()) return send_error(res, 400, "缺少任务号 / field id is missing");
    if (auto j = state.job(id->get<std::int64_t>()); !j || j->enterprise != s.account.enterprise)
      no_such_job(std::to_string(id->get<std::int64_t>()));
    if (!state.cancel_job(id->get<std::int64_t>(), s.account.enterprise, now_ms()))
      return send_error(res, 409, "这个任务已开始发送或已结束，不能取消 / the job is no longer queued: it cannot be cancelled");
    send_json(res, 200, {{"id", id->get<std::int64_t>()}, {"state", "cancelled"}});
  }

  // An unknown job and another enterprise's job: the same 404, the same words.
  [[noreturn]] static void no_such_job(const std::string& id) {
    refuse(404, fmt::format("本企业没有任务 {} / no job {} of your enterprise", id, id));
  }

  // ---- Reprint and void (docs/station.md "重印和作废") ----

  // The supervisor who authorises a reprint above supervisor_reprint_above or a void: the
  // account and PIN typed on the same screen, checked with PBKDF2 (StationState::approve): a
  // wrong PIN counts against the signed-in requester's approvals, never the supervisor's
  // sign-in, and a supervisor's locked sign-in does not stop their approvals. Returns "" when `required` is false and no
  // supervisor was given; otherwise the supervisor's id, or refuses with 403.
  std::string supervisor_of(const Session& s, const Json& b, bool required, const std::string& why) {
    std::string id = trimmed(b.value("supervisor", "")), pin = b.value("supervisor_pin", "");
    if (id.empty() && pin.empty()) {
      if (!required) return "";
      refuse(403, fmt::format("{}需要主管在本屏幕输入主管账号和 PIN / {} needs a supervisor's account and PIN on this screen",
                              why, why == "作废" ? "a void" : "this reprint"),
             {{"supervisor", true}});
    }
    if (id.empty() || pin.empty())
      refuse(403, "请主管输入账号和 PIN，两项都要填 / the supervisor's account and PIN are both needed", {{"supervisor", true}});
    ApprovalResult r = state.approve(s.account.id, id, pin, lockout_now());
    switch (r.outcome) {
      case ApprovalOutcome::wrong:
        refuse(403, fmt::format("主管账号或 PIN 不对，没有作任何处理；在本账号（{}）的屏幕上再错 {} 次，本账号就不能再请主管批准，"
                                "要主管在“账号”屏幕为本账号解锁 / wrong supervisor account or PIN: nothing was done; {} more "
                                "wrong tries from account {} lock its supervisor approvals until a supervisor unlocks it",
                                s.account.id, r.tries_left, r.tries_left, s.account.id),
               {{"supervisor", true}, {"tries_left", r.tries_left}});
      case ApprovalOutcome::requester_locked:
        refuse(403, fmt::format("主管 PIN 在本账号（{}）的屏幕上连续输错 {} 次，本账号已不能请主管批准，没有作任何处理；请本企业主管"
                                "在“账号”屏幕为本账号解锁（或系统管理员用 agtrace-station user unlock --id {}） / account {}'s "
                                "supervisor approvals are locked after {} wrong supervisor PINs: nothing was done; a "
                                "supervisor unlocks it on the 账号 screen (or the administrator runs `user unlock --id {}`)",
                                s.account.id, kMaxWrongPins, s.account.id, s.account.id, kMaxWrongPins, s.account.id),
               {{"supervisor", true}, {"locked", true}});
      case ApprovalOutcome::disabled:
        refuse(403, "主管账号已停用，没有作任何处理 / the supervisor's account is disabled: nothing was done", {{"supervisor", true}});
      case ApprovalOutcome::ok: break;
    }
    if (r.account.role != "supervisor")
      refuse(403, fmt::format("{} 不是主管账号，不能批准；请主管本人输入他的账号和 PIN / {} is not a supervisor's account: the "
                              "supervisor types their own account and PIN",
                              id, id),
             {{"supervisor", true}});
    if (r.account.enterprise != s.account.enterprise)
      refuse(403, fmt::format("主管 {} 不属于本企业，不能批准 / supervisor {} belongs to another enterprise", id, id),
             {{"supervisor", true}});
    return r.account.id;
  }

  // The 账号 screen (supervisors only): the enterprise's accounts with their locks.
  static void need_supervisor(const Session& s) {
    if (s.account.role != "supervisor")
      refuse(403, "只有主管能查看和解锁账号，请找本企业主管 / only a supervisor can see and unlock accounts");
  }

  void accounts(const Session& s, httplib::Response& res) {
    need_supervisor(s);
    const std::int64_t now = lockout_now();
    Json list = Json::array();
    for (const Account& a : state.accounts(s.account.enterprise, now)) {
      Json j = {{"id", a.id},
                {"role", a.role},
                {"disabled", a.disabled},
                {"locked", a.locked},
                {"locked_until", a.locked ? beijing_time(a.locked_until_ms) : ""},
                {"locked_until_zh", a.locked ? beijing_time_zh(a.locked_until_ms) : ""},  // 2026年12月7日 11:32
                {"failed", a.locked_until_ms > now || a.locked_until_ms == 0 ? a.failed : 0},
                {"approvals_locked", a.approvals_locked},
                {"last_unlock", nullptr}};
      if (auto u = state.last_unlock(a.id)) j["last_unlock"] = {{"by", u->first}, {"at", beijing_time(u->second)}, {"at_zh", beijing_time_zh(u->second)}};
      list.push_back(std::move(j));
    }
    send_json(res, 200, {{"accounts", std::move(list)}});
  }

  void unlock_account(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_supervisor(s);
    Json b = body_of(req);
    std::string id = trimmed(text_field(b, "id")), pin = b.value("new_pin", "");
    auto a = state.account(id);
    if (!a || a->enterprise != s.account.enterprise)  // another enterprise's account: as an unknown one
      refuse(404, fmt::format("本企业没有账号“{}” / your enterprise has no account \"{}\"", id.substr(0, 40), id.substr(0, 40)));
    if (!pin.empty() && (pin.size() < 4 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos))
      refuse(400, "新 PIN 须为 4 到 12 位数字，请重新输入；没有作任何处理 / new_pin: the PIN must be 4 to 12 digits; nothing was done");
    state.unlock(id, s.account.id, lockout_now(), pin);
    send_json(res, 200, {{"id", id},
                         {"pin_reset", !pin.empty()},
                         {"message", pin.empty() ? fmt::format("已解锁账号 {}（由 {} 解锁） / unlocked {} (by {})", id, s.account.id, id, s.account.id)
                                                 : fmt::format("已为账号 {} 设置新 PIN 并解锁（由 {} 操作），请把新 PIN 当面告诉本人 / "
                                                               "gave {} a new PIN and unlocked it",
                                                               id, s.account.id, id)}});
  }

  // 停用 / 启用 on the 账号 screen: {id, enabled}. A supervisor cannot disable their own account
  // (the screen would lock them out mid-shift); another enterprise's account is unknown.
  void enable_account(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_supervisor(s);
    Json b = body_of(req);
    std::string id = trimmed(text_field(b, "id"));
    auto it = b.find("enabled");
    if (it == b.end() || !it->is_boolean())
      refuse(400, "缺少 enabled（true 启用，false 停用） / field enabled: true to enable, false to disable");
    auto a = state.account(id);
    if (!a || a->enterprise != s.account.enterprise)
      refuse(404, fmt::format("本企业没有账号“{}” / your enterprise has no account \"{}\"", id.substr(0, 40), id.substr(0, 40)));
    const bool enabled = it->get<bool>();
    if (!enabled && id == s.account.id)
      refuse(400, "不能停用自己正在用的账号；请另一位主管停用，或请系统管理员运行 agtrace-station user disable / you cannot "
                  "disable your own account");
    if (enabled)
      state.enable_account(id);
    else
      state.disable_account(id);
    send_json(res, 200, {{"id", id},
                         {"disabled", !enabled},
                         {"message", enabled ? fmt::format("已启用账号 {}，可以用原来的 PIN 登录 / enabled {}", id, id)
                                             : fmt::format("已停用账号 {}，它已退出登录 / disabled {} and ended its sessions", id, id)}});
  }

  // The reason typed or picked (required, at most kMaxReasonBytes), with the supervisor who
  // authorised it named after it (the ledger's reason field; no schema field is added).
  static std::string reason_of(const Json& b, const std::string& what) {
    std::string reason = trimmed(b.value("reason", ""));
    if (reason.empty())
      refuse(400, fmt::format("请选择或填写{}原因（如：标签撕坏） / reason: say why (e.g. torn label)", what));
    if (reason.size() > kMaxReasonBytes)
      refuse(400, fmt::format("原因太长，最多 {} 字节（约 {} 个汉字） / reason: at most {} bytes", kMaxReasonBytes,
                              kMaxReasonBytes / 3, kMaxReasonBytes));
    return reason;
  }

  static std::string recorded_reason(const std::string& reason, const std::string& supervisor) {
    if (supervisor.empty()) return reason;
    return fmt::format("{}（主管 {} 批准）", reason, supervisor);  // recorded as the operator reads it
  }

  // The codes of a reprint or void request: "codes" (serials typed, or label URLs as a scanner
  // types them) or "journal_job" (a print journal job's labels still unconfirmed). Each must
  // be a live code of a lot the session's enterprise packed; a scanned label must be its own
  // code's label. Returns the serials and the products they belong to.
  struct Codes {
    std::vector<std::string> serials;
    std::set<std::string> products;
  };

  // A serial or label URL (what `field` holds) that names a code the session's enterprise
  // issued; an unknown code and another enterprise's code get the same 404 and words.
  std::string own_serial(Ledger& ledger, const Session& s, const std::string& given, const char* field) {
    std::string serial;
    try {
      serial = labeler::normalize_serial(serial_from_scan(given, ledger.info().base_url, field), field);
    } catch (const Error& e) {
      refuse(400, fmt::format("“{}”不是本系统的追溯码或标签网址，没有作任何处理 / \"{}\" is no trace code of this ledger: {}",
                              given.substr(0, 100), given.substr(0, 100), e.what()));
    }
    auto code = ledger.code(serial);
    auto lot = code ? lot_summary(ledger, code->lot) : std::nullopt;
    if (!lot || lot->packer != s.account.enterprise)
      refuse(404, fmt::format("本企业没有发放过追溯码 {}，请核对标签下方印的码 / your enterprise issued no code {}", serial, serial));
    return serial;
  }

  struct CheckedCode {
    std::string serial, lot, product;
  };

  // A code for a reprint or a void: the enterprise's (own_serial), not voided, and when a label
  // URL was scanned, that label's own code (its lot and product).
  CheckedCode checked_code(Ledger& ledger, const Session& s, const std::string& given, const char* field) {
    std::string serial = own_serial(ledger, s, given, field);
    auto code = ledger.code(serial);
    if (code->voided_entry)
      refuse(400, fmt::format("追溯码 {} 已作废，不能再重印或作废 / {} was voided at entry {}: nothing to do", serial, serial,
                              *code->voided_entry));
    if (auto wrong = scanned_label_mismatch(ledger, given, *code))
      refuse(400, fmt::format("扫描的标签上的批次或产品与追溯码 {} 不符，这不是该箱的标签，没有作任何处理 / {}", serial, *wrong));
    return {serial, code->lot, lot_summary(ledger, code->lot)->product};
  }

  // GET /api/code?q=TEXT: a code checked when it is added to the reprint/void list, exactly as
  // the reprint or void will check it.
  void code_check(const Session& s, const httplib::Request& req, httplib::Response& res) {
    std::string given = trimmed(req.get_param_value("q"));
    if (given.empty()) refuse(400, "请扫描标签二维码或输入追溯码 / scan the label's QR code or type its serial");
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    CheckedCode c = checked_code(ledger, s, given, "codes");
    send_json(res, 200, {{"serial", c.serial}, {"lot", c.lot}, {"product", c.product}});
  }

  Codes codes_of(Ledger& ledger, const Session& s, const Json& b) {
    std::vector<std::string> given;
    if (auto j = b.find("journal_job"); j != b.end()) {
      if (!j->is_number_integer()) refuse(400, "journal_job 应为任务号 / journal_job: a print journal job id");
      // Only a job of the enterprise's lots: another's answers as an unknown or finished one.
      for (const auto& u : labeler::unfinished_jobs(labeler::PrintJournal::default_path(options.ledger_path), ledger))
        if (auto lot = lot_summary(ledger, u.lot);
            u.id == j->get<std::int64_t>() && lot && lot->packer == s.account.enterprise)
          given = u.unconfirmed;
      if (given.empty())
        refuse(409, "这个任务已没有未确认的标签（可能已重印或作废） / that job has no unconfirmed labels left (reprinted or voided)");
    } else {
      auto c = b.find("codes");
      if (c == b.end() || !c->is_array() || c->empty())
        refuse(400, "请扫描标签二维码或输入追溯码 / codes: scan the labels' QR codes or type their serials");
      for (const auto& v : *c) {
        if (!v.is_string()) refuse(400, "codes 里应是追溯码文字 / codes: a list of serials or label URLs");
        if (!trimmed(v.get<std::string>()).empty()) given.push_back(trimmed(v.get<std::string>()));
      }
      if (given.empty()) refuse(400, "请扫描标签二维码或输入追溯码 / codes: scan the labels' QR codes or type their serials");
    }
    if (given.size() > config.max_labels_per_job)
      refuse(400, fmt::format("一次最多 {} 个追溯码 / at most {} codes at once", config.max_labels_per_job,
                              config.max_labels_per_job));
    Codes out;
    std::set<std::string> seen;
    for (const auto& g : given) {
      CheckedCode c = checked_code(ledger, s, g, "codes");
      if (!seen.insert(c.serial).second) continue;  // scanned twice: once is enough
      out.products.insert(c.product);
      out.serials.push_back(c.serial);
    }
    return out;
  }

  void need_printing_role(const Session& s) {
    if (s.account.role == "clerk") refuse(403, "文员账号不能重印或作废标签 / a clerk account does not reprint or void labels");
  }

  void reprint(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_printing_role(s);
    Json b = body_of(req);
    std::string reason = reason_of(b, "重印");
    std::string printer_name = text_field(b, "printer");
    const PrinterConfig* printer = config.printer(printer_name);
    if (!printer) refuse(400, fmt::format("没有打印机“{}” / no printer \"{}\"", printer_name, printer_name));
    // The printer's lock before the codes are read: two screens reprinting one failed job's
    // uncertain labels at once (two tabs, two operators) must not both read them as still
    // unconfirmed — the second reads them after the first reprint, or finds the printer busy.
    std::unique_lock sending(queue.printer_lock(printer->name), std::try_to_lock);
    if (!sending.owns_lock())
      refuse(409, fmt::format("打印机“{}”正在打印别的任务，请等它打完再重印 / printer \"{}\" is sending a job: reprint when it is done",
                              printer->name, printer->name));
    Codes codes = [&] {
      ReplicaRead verified = replica.read();
      return codes_of(*verified, s, b);
    }();
    if (codes.products.size() != 1)
      refuse(400, "一次只能重印同一产品的标签，请分开重印 / reprint one product's labels at a time");
    const Enterprise& e = enterprise_of(s);
    auto t = e.templates.find(*codes.products.begin());
    if (t == e.templates.end())
      refuse(400, fmt::format("产品 {} 没有批准的标签模板，请找主管 / product {} has no approved template", *codes.products.begin(),
                              *codes.products.begin()));
    if (!template_fits(t->second.label, *printer))
      refuse(400, fmt::format("打印机“{}”装的标签尺寸与这个产品的模板不符，请换打印机 / printer \"{}\" holds labels of another size",
                              printer->name, printer->name));
    bool needs = codes.serials.size() > config.supervisor_reprint_above;
    std::string supervisor = supervisor_of(
        s, b, needs, fmt::format("重印 {} 张（超过 {} 张）", codes.serials.size(), config.supervisor_reprint_above));
    PrinterView pv = monitor.view(printer->name);
    if (!pv.ready) refuse(409, fmt::format("打印机“{}”未就绪：{}", printer->name, pv.text));
    labeler::JobOptions o;
    o.format = printer->language;
    o.output.printer = printer->url;
    o.output.timeout = std::chrono::milliseconds(10000);
    o.dpi = printer->dpi;
    o.operator_id = s.account.id;
    o.reason = recorded_reason("重印：" + reason, supervisor);
    struct Busy {  // the monitor leaves the printer alone while the reprint is sent
      PrinterMonitor& m;
      const std::string& name;
      Busy(PrinterMonitor& monitor, const std::string& n) : m(monitor), name(n) { m.set_busy(name, true); }
      ~Busy() { m.set_busy(name, false); }
    };
    std::vector<labeler::JobResult> done;
    try {
      Busy busy(monitor, printer->name);
      Ledger ledger(options.ledger_path, true);
      done = labeler::reprint_labels(ledger, *e.key, codes.serials, t->second.label, o);
    } catch (const Error& err) {
      if (err.kind() == ErrorKind::environment) refuse(502, err.what());  // the printer's words first
      throw;
    }
    Json entries = Json::array();
    std::size_t count = 0;
    std::uint64_t last = 0;
    for (const auto& r : done) {
      entries.push_back(r.entry);
      count += r.serials.size();
      last = std::max(last, r.entry);
    }
    replica.catch_up_to(last, kCatchUp);
    send_json(res, 200, {{"reprinted", count}, {"entries", entries}, {"serials", codes.serials}, {"supervisor", supervisor}});
  }

  // A lot tag (批次标签) for a pallet of the enterprise's packed lot: its id as Code 128 for the
  // lot field's scanner, sent to a printer at once (no queue: it is one tag, not recorded).
  void lot_tag(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_printing_role(s);
    Json b = body_of(req);
    std::string printer_name = text_field(b, "printer");
    const PrinterConfig* printer = config.printer(printer_name);
    if (!printer) refuse(400, fmt::format("没有打印机“{}” / no printer \"{}\"", printer_name, printer_name));
    auto copies = b.find("copies");
    if (copies != b.end() && (!copies->is_number_unsigned() || *copies == 0 || *copies > 99))
      refuse(400, "份数须为 1 到 99 的整数 / copies: a whole number from 1 to 99");
    int n = copies == b.end() ? 1 : copies->get<int>();
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    LotSummary l = own_lot(ledger, s, text_field(b, "lot"));
    labeler::LotTag tag;
    tag.lot = l.lot;
    tag.product = product_summary(ledger, l.product).name;
    if (tag.product.empty()) tag.product = l.product;
    if (auto party = ledger.store().master("party", l.packer)) tag.packer = party->value("name", l.packer);
    tag.packed_date = l.packed_time.substr(0, 10);
    tag.units = fmt::format("{} 件", l.packed_units);
    std::string bytes = labeler::render_lot_tag(tag, printer->language, printer->dpi, printer->label_width_mm,
                                                printer->label_height_mm, n);
    std::unique_lock sending(queue.printer_lock(printer->name), std::try_to_lock);
    if (!sending.owns_lock())
      refuse(409, fmt::format("打印机“{}”正在打印别的任务，请等它打完再打批次标签 / printer \"{}\" is sending a job: print the "
                              "lot tag when it is done",
                              printer->name, printer->name));
    PrinterView pv = monitor.view(printer->name);
    if (!pv.ready) refuse(409, fmt::format("打印机“{}”未就绪：{}", printer->name, pv.text));
    try {
      labeler::OutputSpec spec;
      spec.printer = printer->url;
      spec.timeout = std::chrono::milliseconds(10000);
      auto out = labeler::open_output(spec, printer->language, false, 1, "lot-tag");
      out->check_ready();
      out->write_label(0, l.lot, bytes);
      out->finish();
    } catch (const Error& err) {
      if (err.kind() == ErrorKind::environment) refuse(502, err.what());  // the printer's words first
      throw;
    }
    send_json(res, 200, {{"lot", l.lot}, {"copies", n}, {"printer", printer->name}});
  }

  void void_codes(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_printing_role(s);
    Json b = body_of(req);
    std::string reason = reason_of(b, "作废");
    Codes codes = [&] {
      ReplicaRead verified = replica.read();
      return codes_of(*verified, s, b);
    }();
    std::string supervisor = supervisor_of(s, b, true, "作废");
    Ledger ledger(options.ledger_path, true);
    auto entries = labeler::void_labels(ledger, *enterprise_of(s).key, codes.serials,
                                        recorded_reason("作废：" + reason, supervisor), "", "", s.account.id);
    if (!entries.empty()) replica.catch_up_to(*std::max_element(entries.begin(), entries.end()), kCatchUp);
    send_json(res, 200, {{"voided", codes.serials.size()}, {"entries", entries}, {"serials", codes.serials},
                         {"supervisor", supervisor}});
  }

  // The configured name of the printer at `url` (the print journal keeps the URL); the URL
  // itself when no configured printer has it (e.g. a job sent by agtrace-labeler).
  std::string printer_name_of(const std::string& url) const {
    for (const auto& p : config.printers)
      if (p.url == url) return p.name;
    return url;
  }

  // Print journal jobs of the enterprise's lots whose labels are still unconfirmed (a job that
  // failed midway, or one a crash cut short), with those labels' serials.
  void uncertain(const Session& s, httplib::Response& res) {
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    Json out = Json::array();
    for (const auto& u : labeler::unfinished_jobs(labeler::PrintJournal::default_path(options.ledger_path), ledger)) {
      auto lot = lot_summary(ledger, u.lot);
      if (!lot || lot->packer != s.account.enterprise) continue;
      std::uint64_t voided = 0;
      Json station_job;
      if (u.entry) {
        voided = voided_codes(ledger, *u.entry);
        auto mine = state.find_jobs(s.account.enterprise, {.entry = *u.entry}, 1);
        if (!mine.empty()) station_job = mine.front().id;
      }
      out.push_back({{"journal_job", u.id},
                     {"station_job", station_job},
                     {"voided", voided},
                     {"lot", u.lot},
                     {"product", lot->product},
                     {"printer", printer_name_of(u.printer)},
                     {"started", u.started},
                     {"interrupted", u.interrupted},
                     {"count", u.count},
                     {"confirmed", u.confirmed},
                     {"entry", u.entry ? Json(*u.entry) : Json()},
                     {"unconfirmed", u.unconfirmed}});
    }
    send_json(res, 200, out);
  }

  // ---- History, a job's codes, end of shift (docs/station.md "历史", "交班") ----

  // The job `id` (query parameter) of the session's enterprise, or refuses with 400 / 404.
  Job own_job(const Session& s, const httplib::Request& req) {
    std::string given = req.get_param_value("id");
    if (given.empty() || given.size() > 18 || given.find_first_not_of("0123456789") != std::string::npos)
      refuse(400, "id 应为任务号（数字） / id: a job number");
    auto j = state.job(std::stoll(given));
    if (!j || j->enterprise != s.account.enterprise) no_such_job(given);
    return *j;
  }

  // GET /api/job/codes?id=N: a station job's codes and their state now (for reprinting or
  // voiding some of them).
  void job_codes_of(const Session& s, const httplib::Request& req, httplib::Response& res) {
    Job j = own_job(s, req);
    if (!j.entry)
      refuse(409, fmt::format("任务 {} 没有发放追溯码（排队中、已取消，或在记账前就失败了） / job {} issued no codes", j.id, j.id));
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    Json codes = Json::array();
    for (const auto& c : job_codes(ledger, *j.entry))
      codes.push_back({{"serial", c.serial}, {"voided", c.voided}, {"reprints", c.reprints}});
    send_json(res, 200, {{"job", job_json(j)}, {"codes", codes}});
  }

  // GET /api/history?lot=&serial=&operator=&date=: the enterprise's jobs matching every
  // field given (a lot id or scanned label; a serial or label URL; an account; a day).
  void history(const Session& s, const httplib::Request& req, httplib::Response& res) {
    JobQuery q;
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    if (std::string lot = trimmed(req.get_param_value("lot")); !lot.empty()) q.lot = own_lot_field(ledger, s, lot).lot;
    if (std::string given = trimmed(req.get_param_value("serial")); !given.empty())
      q.entry = ledger.code(own_serial(ledger, s, given, "serial"))->issued_entry;
    q.account = trimmed(req.get_param_value("operator"));
    if (std::string date = trimmed(req.get_param_value("date")); !date.empty())
      std::tie(q.from_ms, q.to_ms) = china_day_ms(date, "日期 date");
    Json out = Json::array();
    for (const auto& j : state.find_jobs(s.account.enterprise, q, 100)) out.push_back(job_json(j));
    send_json(res, 200, out);
  }

  // GET /api/shift?date=YYYY-MM-DD (default today): per operator, that day's label jobs,
  // labels, reprints, voids and certificates from the signed ledger entries, and each lot
  // labelled that day against its packed units.
  void shift(const Session& s, const httplib::Request& req, httplib::Response& res) {
    std::string date = trimmed(req.get_param_value("date"));
    if (date.empty()) date = china_date(now_ms());
    auto [from, to] = china_day_ms(date, "日期 date");
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    ShiftReport r = shift_report(ledger, s.account.enterprise, from, to);
    Json ops = Json::array(), lots = Json::array();
    for (const auto& o : r.operators)
      ops.push_back({{"account", o.account},
                     {"jobs", o.jobs},
                     {"labels", o.labels},
                     {"reprints", o.reprints},
                     {"voids", o.voids},
                     {"certificates", o.certificates}});
    for (const auto& l : r.lots) {
      lots.push_back({{"lot", l.lot},
                      {"product", l.product},
                      {"product_name", product_summary(ledger, l.product).name},
                      {"labelled_today", l.labelled_today},
                      // A lot recalled since: marked on the shift report, with what to do.
                      {"blocked", [&]() -> Json {
                         auto b = print_block(ledger, l.lot);
                         if (!b || b->code != "recalled") return nullptr;
                         return {{"code", b->code}, {"label", b->label}, {"reason", b->reason}};
                       }()},
                      {"packed_units", l.packed_units},
                      {"live_codes", l.live_codes}});
      add_unit(ledger, l.lot, lots.back());
    }
    send_json(res, 200, {{"date", date},
                         {"enterprise", s.account.enterprise},
                         {"enterprise_name", party_name(ledger, s.account.enterprise)},
                         {"operators", ops},
                         {"lots", lots}});
  }

  // GET /api/certificate.pdf?number=N: the enterprise's certificate N as a PDF, drawn from
  // its signed entry with the enterprise's certificate template (as `agtrace-labeler
  // certificate --format pdf`). A voided or invalidated one is refused with the reason.
  void certificate_pdf(const Session& s, const httplib::Request& req, httplib::Response& res) {
    const Enterprise& e = enterprise_of(s);
    std::string number = trimmed(req.get_param_value("number"));
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    // Another enterprise's certificate answers as an unknown one, before anything about this one's setup.
    auto record = number.empty() ? std::nullopt : ledger.store().issued_certificate(number);
    if (!record || record->issuer != s.account.enterprise)
      refuse(404, fmt::format("本企业没有编号为“{}”的合格证 / your enterprise issued no certificate \"{}\"", number, number));
    if (!e.certificate_template)
      refuse(409, "本工作站没有配置合格证模板，请系统管理员在 station.json 里给本企业填写 certificate_template / no "
                  "certificate template is configured for your enterprise (station.json certificate_template)");
    labeler::CertificateFacts facts = labeler::certificate_facts_from_verified_state(ledger, number);
    labeler::RenderedCertificate pdf = labeler::render_certificate(*e.certificate_template, facts, "pdf");
    std::string file;
    for (char ch : number) file.push_back(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' ? ch : '_');
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", fmt::format("inline; filename=\"certificate-{}.pdf\"", file));
    res.set_content(pdf.bytes, "application/pdf");
  }

  // ---- 承诺达标合格证 (docs/station.md "合格证"; certificates.h) ----

  void need_certifying_role(const Session& s) {
    if (s.account.role == "clerk")
      refuse(403, "文员账号不能在工作站开具、打印或作废合格证，请用操作员或主管账号 / a clerk account does not issue, print or "
                  "void certificates here");
  }

  // GET /api/cert/offer?q=LOT: the lot's evidence and the bases it supports.
  void cert_offer(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_certifying_role(s);
    ReplicaRead verified = replica.read();
    Ledger& ledger = *verified;
    std::string given = trimmed(req.get_param_value("q"));
    if (given.empty()) refuse(400, "请输入或扫描批次号 / type or scan a lot id or a label");
    std::string lot;
    try {
      lot = resolve_lot_field(ledger, given, s.account.enterprise);
    } catch (const LotFieldRefused& e) {
      refuse(e.status(), e.what());
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      no_such_lot(given);
    }
    // Another enterprise's lot answers as an unknown one (as the print screen's lot field).
    if (auto l = lot_summary(ledger, lot); !l || l->packer != s.account.enterprise) no_such_lot(given);
    Json offer = certificate_offer(ledger, s.account.enterprise, lot, now_ms());
    // Which printers hold labels of the certificate's size, so the screen offers only those.
    const Enterprise& e = enterprise_of(s);
    offer["certificate_size"] = "";
    offer["certificate_printers"] = Json::array();
    if (const auto& t = e.certificate_template) {
      offer["certificate_size"] = fmt::format("{}×{} mm", t->width_mm, t->height_mm);
      for (const auto& p : config.printers)
        if (std::fabs(t->width_mm - p.label_width_mm) <= 0.5 && std::fabs(t->height_mm - p.label_height_mm) <= 0.5)
          offer["certificate_printers"].push_back(p.name);
    }
    send_json(res, 200, offer);
  }

  // POST /api/cert/issue {lot, quantity, shipment?, bases: [...]}: a certificate_issued entry
  // signed with the enterprise's station key, naming the operator.
  void cert_issue(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_certifying_role(s);
    Json b = body_of(req);
    CertificateRequest r;
    r.lot = trimmed(text_field(b, "lot"));
    // The quantity in 公斤, as text ("500", "12.5") or a JSON number (the same digits).
    if (auto q = b.find("quantity"); q != b.end() && q->is_number()) r.quantity_kg = q->dump();
    else r.quantity_kg = trimmed(text_field(b, "quantity"));
    r.shipment = trimmed(b.value("shipment", ""));
    auto bases = b.find("bases");
    if (bases == b.end() || !bases->is_array())
      refuse(400, "请至少勾选一项开具依据 / bases: tick at least one basis the evidence supports");
    for (const auto& v : *bases) {
      if (!v.is_string()) refuse(400, "bases 应为开具依据的名称 / bases: a list of basis names");
      r.bases.push_back(v.get<std::string>());
    }
    r.operator_id = s.account.id;
    Ledger ledger(options.ledger_path, true);
    IssuedCertificate c = issue_certificate(ledger, *enterprise_of(s).key, s.account.enterprise, r, now_ms());
    replica.catch_up_to(c.entry, kCatchUp);  // the screens show it once verified
    send_json(res, 200, {{"number", c.number}, {"entry", c.entry}, {"url", ledger.info().base_url + "/c/" + c.number}});
  }

  // POST /api/cert/print {number, printer}: the certificate drawn by the labeler's certificate
  // renderer in the printer's language (ZPL or TSPL) and sent to it, as `agtrace-labeler
  // certificate --format zpl`; nothing is recorded (print it again whenever needed).
  void cert_print(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_certifying_role(s);
    Json b = body_of(req);
    std::string number = trimmed(text_field(b, "number")), printer_name = text_field(b, "printer");
    const Enterprise& e = enterprise_of(s);
    {  // another enterprise's certificate answers as an unknown one, before anything about this one's setup
      ReplicaRead verified = replica.read();
      auto record = number.empty() ? std::nullopt : verified->store().issued_certificate(number);
      if (!record || record->issuer != s.account.enterprise)
        refuse(404, fmt::format("本企业没有编号为“{}”的合格证 / your enterprise issued no certificate \"{}\"", number, number));
    }
    if (!e.certificate_template)
      refuse(409, "本工作站没有配置合格证模板，请系统管理员在 station.json 里给本企业填写 certificate_template / no "
                  "certificate template is configured for your enterprise (station.json certificate_template)");
    const PrinterConfig* printer = config.printer(printer_name);
    if (!printer) refuse(400, fmt::format("没有打印机“{}” / no printer \"{}\"", printer_name, printer_name));
    const auto& t = *e.certificate_template;
    if (std::fabs(t.width_mm - printer->label_width_mm) > 0.5 || std::fabs(t.height_mm - printer->label_height_mm) > 0.5)
      refuse(400, fmt::format("打印机“{}”装的是 {}×{} mm 标签，合格证是 {}×{} mm，请选装合格证纸的打印机 / printer \"{}\" "
                              "holds {}×{} mm labels; the certificate is {}×{} mm",
                              printer->name, printer->label_width_mm, printer->label_height_mm, t.width_mm, t.height_mm,
                              printer->name, printer->label_width_mm, printer->label_height_mm, t.width_mm, t.height_mm));
    std::string bytes;
    {
      ReplicaRead verified = replica.read();
      Ledger& ledger = *verified;
      auto record = number.empty() ? std::nullopt : ledger.store().issued_certificate(number);
      if (!record || record->issuer != s.account.enterprise)
        refuse(404, fmt::format("本企业没有编号为“{}”的合格证 / your enterprise issued no certificate \"{}\"", number, number));
      bytes = labeler::render_certificate(t, labeler::certificate_facts_from_verified_state(ledger, number),
                                          printer->language, printer->dpi)
                  .bytes;
    }
    std::unique_lock sending(queue.printer_lock(printer->name), std::try_to_lock);
    if (!sending.owns_lock())
      refuse(409, fmt::format("打印机“{}”正在打印别的任务，请等它打完再打合格证 / printer \"{}\" is sending a job",
                              printer->name, printer->name));
    PrinterView pv = monitor.view(printer->name);
    if (!pv.ready) refuse(409, fmt::format("打印机“{}”未就绪：{}", printer->name, pv.text));
    monitor.set_busy(printer->name, true);
    try {
      auto out = labeler::open_output({"", printer->url, std::chrono::milliseconds(10000), 1}, printer->language, false, 1,
                                      "certificate-" + number);
      try {
        out->check_ready();
        out->write_preamble("");
        out->write_label(0, number, bytes);
        out->write_trailer("");
        out->finish();
      } catch (...) {
        out->discard();
        throw;
      }
    } catch (const Error& err) {
      monitor.set_busy(printer->name, false);
      if (err.kind() == ErrorKind::environment) refuse(502, err.what());  // the printer's words first
      throw;
    }
    monitor.set_busy(printer->name, false);
    send_json(res, 200, {{"printed", number}, {"printer", printer->name}});
  }

  // POST /api/cert/void {number, reason, supervisor, supervisor_pin}: certificate_voided with
  // the supervisor named in the reason; always needs the supervisor's PIN.
  void cert_void(const Session& s, const httplib::Request& req, httplib::Response& res) {
    need_certifying_role(s);
    Json b = body_of(req);
    std::string number = trimmed(text_field(b, "number"));
    std::string reason = reason_of(b, "作废合格证");
    {
      ReplicaRead verified = replica.read();
      Ledger& ledger = *verified;
      auto record = number.empty() ? std::nullopt : ledger.store().issued_certificate(number);
      if (!record || record->issuer != s.account.enterprise)
        refuse(404, fmt::format("本企业没有编号为“{}”的合格证 / your enterprise issued no certificate \"{}\"", number, number));
      if (record->voided_entry)
        refuse(409, fmt::format("合格证 {} 已经作废了 / certificate {} is voided already", number, number));
    }
    std::string supervisor = supervisor_of(s, b, true, "作废");
    Ledger ledger(options.ledger_path, true);
    std::uint64_t entry = void_certificate(ledger, *enterprise_of(s).key, s.account.enterprise, number,
                                           recorded_reason(reason, supervisor), s.account.id, now_ms());
    replica.catch_up_to(entry, kCatchUp);
    send_json(res, 200, {{"voided", number}, {"entry", entry}, {"supervisor", supervisor}});
  }

  // ---- The clerk's upload (docs/station.md "文员上传"; upload.h) ----

  const note::SigningKey& clerk_key_of(const Session& s) {
    if (s.account.role != "clerk")
      refuse(403, "只有文员账号可以上传表格 / only a clerk account uploads files");
    const Enterprise& e = enterprise_of(s);
    if (!e.clerk_key) refuse(409, no_clerk_key_message(e.party));
    return *e.clerk_key;
  }

  // Why a clerk of `party` cannot upload: the enterprise by its name, in the clerk's words.
  std::string no_clerk_key_message(const std::string& party) {
    return fmt::format("本工作站还没有给本单位（{}）配置文员密钥，上传都会被拒绝：请系统管理员生成并登记文员密钥，写进 "
                       "station.json 后重启工作站 / no clerk key is configured for {} (station.json clerk_key): every "
                       "upload is refused",
                       enterprise_name(party), party);
  }

  // The uploaded file's name for messages (query parameter name): its last path segment,
  // control characters dropped, at most 100 bytes; "上传的文件" when none.
  static std::string upload_name(const httplib::Request& req) {
    std::string given = req.get_param_value("name");
    if (auto slash = given.find_last_of("/\\"); slash != std::string::npos) given = given.substr(slash + 1);
    std::string out;
    for (char c : given)
      if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
    if (out.size() > 100) out.resize(100);
    return out.empty() ? "上传的文件" : out;
  }

  // POST /api/upload?name=F&step=check: the encoding and the first rows decoded.
  // POST /api/upload?name=F&encoding=E[&continue_on_error=1]: the import.
  void upload(const Session& s, const httplib::Request& req, httplib::Response& res) {
    const note::SigningKey& key = clerk_key_of(s);
    std::string name = upload_name(req);
    UploadEncoding found = detect_upload_encoding(req.body, name);
    if (req.get_param_value("step") == "check")
      return send_json(res, 200, {{"encoding", found.encoding},
                                  {"needs_confirmation", found.needs_confirmation},
                                  {"preview", found.preview},
                                  {"bytes", req.body.size()}});
    UploadOptions o;
    o.encoding = req.get_param_value("encoding");
    if (o.encoding != "utf-8" && o.encoding != "gb18030")
      refuse(400, "encoding 应为 utf-8 或 gb18030（先检查文件编码） / encoding: utf-8 or gb18030 (check the file first)");
    if (o.encoding != found.encoding)
      refuse(400, fmt::format("文件 {} 是 {} 编码，不是 {}，请重新检查文件 / {} is {}, not {}", name, found.encoding, o.encoding,
                              name, found.encoding, o.encoding));
    o.continue_on_error = req.get_param_value("continue_on_error") == "1";
    // A supervisor confirms the file's implausible harvests (upload.h) with their account and PIN
    // typed on the clerk's screen, in headers: the body is the file, and a URL is logged.
    const std::string sup = req.get_header_value("X-Supervisor"), sup_pin = req.get_header_value("X-Supervisor-PIN");
    if (!sup.empty() || !sup_pin.empty())
      o.high_yield_confirmed_by = supervisor_of(s, Json{{"supervisor", sup}, {"supervisor_pin", sup_pin}}, true, "确认采收量");
    o.enterprise = s.account.enterprise;
    for (const auto& e : config.enterprises) o.station_enterprises.push_back(e.party);
    Ledger ledger(options.ledger_path, true);
    const std::uint64_t before = ledger.size();
    UploadResult r = import_upload(ledger, key, req.body, name, o);
    if (ledger.size() > before) replica.catch_up_to(ledger.size() - 1, kCatchUp);
    if (r.high_yield_confirmed && ledger.size() > before)
      std::cerr << fmt::format("agtrace-station: supervisor {} confirmed {} harvest(s) beyond their product's max yield (or {} kg per mu) in {} uploaded "
                               "by {} (entries {} to {})\n",
                               o.high_yield_confirmed_by, r.high_yield_confirmed, kMaxHarvestKgPerMu, name, s.account.id,
                               before, ledger.size() - 1);
    Json refused = Json::array();
    for (const auto& x : r.refused) refused.push_back({{"where", x.where}, {"error", x.error}});
    send_json(res, r.refused.empty() ? 200 : 422,
              {{"rows", r.rows}, {"recorded", r.recorded}, {"duplicates", r.duplicates}, {"refused", refused},
               {"summary", r.summary}, {"note", r.note}, {"ledger_size_before", before}, {"ledger_size", ledger.size()},
               {"high_yield", r.high_yield}, {"high_yield_confirmed", r.high_yield_confirmed},
               {"high_yield_confirmed_by", o.high_yield_confirmed_by}});
  }

  // GET /api/upload/types, GET /api/upload/template.csv?type=T: the Excel header templates.
  void upload_types(httplib::Response& res) {
    Json out = Json::array();
    for (const auto& [type, word] : template_types()) out.push_back({{"type", type}, {"name", word}});
    send_json(res, 200, out);
  }

  void upload_template(const httplib::Request& req, httplib::Response& res) {
    std::string type = trimmed(req.get_param_value("type"));
    std::string csv = header_template_csv(type);
    std::string file;
    for (char ch : type) file.push_back(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' ? ch : '_');
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", fmt::format("attachment; filename=\"template-{}.csv\"", file));
    res.set_content(csv, "text/csv; charset=utf-8");
  }

  // Runs a handler that needs a session, mapping errors to statuses and operator words.
  template <typename F>
  void with_session(const httplib::Request& req, httplib::Response& res, F&& f) {
    auto s = need_session(req, res);
    if (!s) return;
    guarded(res, [&] { f(*s); });
  }

  template <typename F>
  void guarded(httplib::Response& res, F&& f) {
    try {
      f();
    } catch (const Refusal& r) {
      send_json(res, r.status, r.body);
    } catch (const ReplicaUnavailable& u) {
      // Fail closed (replica.h): nothing from the ledger is shown and nothing prints.
      if (!u.failed()) res.set_header("Retry-After", "1");
      send_json(res, 503, {{"error", u.what()}, {"ledger", u.failed() ? "failed" : "verifying"}});
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::environment) {
        res.set_header("Retry-After", "1");
        send_error(res, 503, "账本或工作站正忙，请稍后再试 / 503 busy, try again: " + std::string(e.what()));
      } else if (e.kind() == ErrorKind::bad_input) {
        send_error(res, 400, for_operator(e.what()));
      } else {  // a write refused by the ledger writer's audit: fail closed (Replica::writer_audit_failed)
        replica.writer_audit_failed(e.what());
        send_json(res, 503, {{"error", unavailable_message(replica.health())}, {"ledger", "failed"}});
      }
    }
  }

  void routes() {
    for (const auto& a : embedded_assets()) {
      std::string tag = etag_of(a.bytes);
      http.Get(std::string(a.path == "/" ? "/" : a.path), [a, tag](const httplib::Request& req, httplib::Response& res) {
        res.set_header("ETag", tag);
        res.set_header("Cache-Control", "no-cache");
        if (req.get_header_value("If-None-Match") == tag) {
          res.status = 304;
          return;
        }
        res.set_content(std::string(a.bytes), std::string(a.content_type));
      });
    }
    http.Post("/api/signin", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] { signin(req, res); });
    });
    http.Post("/api/signout", [this](const httplib::Request& req, httplib::Response& res) {
      state.end_session(session_cookie(req));
      cookie(res, "", 0);
      send_json(res, 200, Json::object());
    });
    http.Get("/api/me", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { send_json(res, 200, me_json(s)); });
    });
    http.Get("/api/products", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { products(s, res); });
    });
    http.Get("/api/lots", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { lots(s, req, res); });
    });
    http.Get("/api/lot", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { lot(s, req, res); });
    });
    http.Get("/api/preview\\.png", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { preview(s, req, res); });
    });
    http.Get("/api/printers", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session&) { printers(res); });
    });
    http.Get("/api/jobs", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { jobs(s, res); });
    });
    http.Post("/api/jobs", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { submit(s, req, res); });
    });
    http.Get("/api/uncertain", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { uncertain(s, res); });
    });
    http.Get("/api/code", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { code_check(s, req, res); });
    });
    http.Get("/api/job/codes", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { job_codes_of(s, req, res); });
    });
    http.Get("/api/certificate\\.pdf", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { certificate_pdf(s, req, res); });
    });
    http.Get("/api/history", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { history(s, req, res); });
    });
    http.Get("/api/shift", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { shift(s, req, res); });
    });
    http.Post("/api/reprint", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { reprint(s, req, res); });
    });
    http.Post("/api/lot-tag", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { lot_tag(s, req, res); });
    });
    http.Post("/api/void", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { void_codes(s, req, res); });
    });
    http.Post("/api/jobs/cancel", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { cancel(s, req, res); });
    });
    http.Get("/api/cert/offer", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { cert_offer(s, req, res); });
    });
    http.Post("/api/cert/issue", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { cert_issue(s, req, res); });
    });
    http.Post("/api/cert/print", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { cert_print(s, req, res); });
    });
    http.Post("/api/cert/void", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { cert_void(s, req, res); });
    });
    http.Post("/api/upload", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { upload(s, req, res); });
    });
    http.Get("/api/accounts", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { accounts(s, res); });
    });
    http.Post("/api/accounts/unlock", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { unlock_account(s, req, res); });
    });
    http.Post("/api/accounts/enable", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session& s) { enable_account(s, req, res); });
    });
    http.Get("/api/upload/types", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session&) { upload_types(res); });
    });
    http.Get("/api/upload/template\\.csv", [this](const httplib::Request& req, httplib::Response& res) {
      with_session(req, res, [&](const Session&) { upload_template(req, res); });
    });
  }

  void setup() {
    const int threads = options.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    http.set_tcp_nodelay(true);
    http.set_socket_options([this](int fd) {
      int on = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
      listen_fd = fd;
    });
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    http.set_keep_alive_timeout(10);
    http.set_payload_max_length(kMaxUploadBytes);  // per path in guard(), before a body is read
    http.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return guard(req, res); });
    routes();
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (res.status == 413)
        send_error(res, 413, fmt::format("请求内容太大，最多 {} 字节 / 413 request body too large: at most {} bytes",
                                         kMaxBodyBytes, kMaxBodyBytes));
      else if (res.status == 404)
        send_error(res, 404, "没有这个页面 / 404 not found");
      else
        send_error(res, res.status, fmt::format("请求有误 / {} bad request", res.status));
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        std::cerr << "agtrace-station: internal error: " << e.what() << "\n";
      } catch (...) {
        std::cerr << "agtrace-station: internal error\n";
      }
      send_error(res, 500, "工作站内部错误，请联系系统管理员 / 500 internal error");
    });
    if (options.access_log)
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        std::cerr << fmt::format("{} {} {} {}\n", req.remote_addr, req.method, req.path, res.status);
      });
  }
};

StationServer::StationServer(StationConfig config, ServeOptions options) {
  {
    Ledger check(options.ledger_path, false);  // a missing or foreign ledger is refused before anything starts
    (void)check.info();
    // A template too small for a printer it may use would fail every print on it (template_check.h).
    if (std::string why = template_printer_refusal(check, config); !why.empty()) throw_bad_input(why);
  }
  impl_ = std::make_unique<Impl>(std::move(config), std::move(options));
  if (std::size_t recovered = impl_->recovered)
    std::cerr << fmt::format("agtrace-station: {} job(s) were sending when the station stopped; marked failed (their "
                             "unconfirmed labels are on the 重印 / 作废 screen)\n",
                             recovered);
  impl_->setup();
}

StationServer::~StationServer() = default;

int StationServer::bind() {
  auto& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
    if (port < 0) throw_environment(fmt::format("--listen {}:0: cannot bind", o.host));
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    throw_environment(fmt::format("--listen {}:{}：无法监听（端口已被占用，或不是本机地址）/ cannot bind (in use, or not an "
                                  "address of this host)",
                                  o.host, port));
  }
  if (impl_->listen_fd < 0 || ::listen(impl_->listen_fd, 1024) != 0) throw_environment("cannot set the listen backlog");
  return port;
}

void StationServer::listen() { impl_->http.listen_after_bind(); }

void StationServer::stop() { impl_->http.stop(); }

verifier::StateHealth StationServer::ledger_health() const { return impl_->replica.health(); }

bool StationServer::wait_ledger(std::chrono::milliseconds timeout) const { return impl_->replica.wait_started(timeout); }

int serve(StationConfig config, ServeOptions options) {
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any thread: only the watcher takes them
  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  StationServer server(std::move(config), std::move(options));
  int port = server.bind();
  std::atomic<bool> stopping{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != SIGUSR1) std::cerr << "agtrace-station: signal " << sig << ", shutting down\n";
    stopping = true;
    server.stop();
  });
  // The replica's start-up replay ends first (verified or failed; a moment for a district's
  // ledger): whoever waits for the line below finds the screens ready. Browsers that come
  // earlier wait in the listen backlog.
  while (!stopping && !server.wait_ledger(std::chrono::milliseconds(100))) {
  }
  if (!stopping) {
    std::cout << fmt::format("agtrace-station: listening on http://{}:{}", host, port) << std::endl;
    server.listen();
  }
  pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  std::cerr << "agtrace-station: stopped\n";
  return 0;
}

}  // namespace agtrace::station
