// The HTTP service: resources, limits, one pre-routing handler, listen, shutdown.
#include "verifier/server/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "ledger/i18n/messages.h"
#include "ledger/ledger.h"
#include "ledger/note/tlog_proof.h"
#include "ledger/merkle/merkle.h"
#include "ledger/time/timestamp.h"
#include "ledger/util/error.h"
#include "verifier/http/negotiate.h"
#include "verifier/http/router.h"
#include "verifier/pages/json_views.h"
#include "verifier/pages/scan_page.h"
#include "verifier/scans/client_id.h"
#include "verifier/scans/scan_store.h"
#include "verifier/server/metrics.h"
#include "verifier/server/rate_limit.h"
#include "verifier/state/serial_trees.h"
#include "verifier/state/verified_state.h"
#include "verifier/view/trace_view.h"

namespace agtrace::verifier {

namespace {

// Catalogue message `id` as the operator reads the verifier's start-up and shutdown: "中文 / English".
template <typename... Args>
std::string both(i18n::Msg id, const Args&... args) {
  return fmt::format("{} / {}", i18n::text(i18n::Lang::zh, id, args...), i18n::text(i18n::Lang::en, id, args...));
}

// The verified state a cached view was built from: which verification from scratch
// (epoch), its size and its latest checkpoint.
struct Generation {
  std::uint64_t epoch = 0, size = 0, checkpoint = 0;
  bool operator==(const Generation&) const = default;
};

Generation generation(Ledger& ledger, std::uint64_t epoch) {
  auto s = ledger.database().prepare(
      "SELECT (SELECT coalesce(max(idx) + 1, 0) FROM entries), (SELECT coalesce(max(size), 0) FROM checkpoints)");
  s.step();
  return {epoch, static_cast<std::uint64_t>(s.column_int(0)), static_cast<std::uint64_t>(s.column_int(1))};
}

// What the codes of one label job share, in one rendering (a page language or JSON).
struct CachedJob {
  std::string lot, gs1_lot_code, gtin;
  ScanPageTemplate page;
  std::string json_shared;
};

// Rendered views by label job, dropped whole when the ledger grows or a checkpoint is
// signed, and when it holds too many. Thread-safe.
class ViewCache {
 public:
  std::shared_ptr<const CachedJob> get(const std::string& key, Generation gen) {
    std::lock_guard lock(mu_);
    if (!(gen == gen_)) return nullptr;
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }
  void put(const std::string& key, Generation gen, std::shared_ptr<const CachedJob> job) {
    std::lock_guard lock(mu_);
    if (!(gen == gen_) || map_.size() >= kMaxJobs) {
      map_.clear();
      gen_ = gen;
    }
    map_[key] = std::move(job);
  }

 private:
  static constexpr std::size_t kMaxJobs = 1024;
  std::mutex mu_;
  Generation gen_;
  std::unordered_map<std::string, std::shared_ptr<const CachedJob>> map_;
};

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class App {
 public:
  App(const ServerConfig& c, StateConfig state)
      : config_(c),
        scans_(c.scans_path),
        state_(std::move(state)),
        limiter_(c.rate_limit, c.rate_burst > 0 ? c.rate_burst : c.rate_limit) {}

  void handle(const httplib::Request& req, httplib::Response& res);
  ScanStore& scans() { return scans_; }
  VerifiedState& state() { return state_; }

 private:
  const ServerConfig& config_;
  ScanStore scans_;  // opened first: a --scans that is not a scans file is refused before anything is created
  VerifiedState state_;
  ViewCache views_;
  RateLimiter limiter_;
  Metrics metrics_;

  void dispatch(const Route& route, const httplib::Request& req, httplib::Response& res);
  // The verified state's readers, or null after answering 503 (fail closed).
  std::shared_ptr<StateReaders> verified(const Route& route, const httplib::Request& req, httplib::Response& res,
                                         bool html);
  void scan(const Route& route, const httplib::Request& req, httplib::Response& res, bool api);
  ScanCount record_scan(const std::string& serial, const httplib::Request& req, httplib::Response& res);
  void lot(const Route& route, const httplib::Request& req, httplib::Response& res);
  void certificate(const Route& route, const httplib::Request& req, httplib::Response& res);
  void inclusion(const Route& route, const httplib::Request& req, httplib::Response& res);
  void consistency(const Route& route, const httplib::Request& req, httplib::Response& res);
  void checkpoint(const Route& route, const httplib::Request& req, httplib::Response& res);
  void healthz(httplib::Response& res);
  void metrics(httplib::Response& res);
};

void set_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

void set_html(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_header("Content-Security-Policy", page_csp());
  res.set_header("X-Frame-Options", "DENY");
  res.set_content(std::move(body), "text/html; charset=utf-8");
}

void set_text(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/plain; charset=utf-8");
}

PageOptions page_options(const Route& route, const httplib::Request& req, std::uint64_t warn_after) {
  PageOptions o;
  auto lang = route.query.find("lang");
  o.lang = choose_lang(lang == route.query.end() ? std::nullopt : std::optional<std::string_view>(lang->second),
                       req.get_header_value("Accept-Language"));
  o.warn_after = warn_after;
  return o;
}

void App::handle(const httplib::Request& req, httplib::Response& res) {
  auto start = std::chrono::steady_clock::now();
  std::string_view label = "method";
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  if (req.method != "GET" && req.method != "HEAD") {
    res.set_header("Allow", "GET, HEAD");
    set_text(res, 405, "405 method not allowed: this service answers GET and HEAD only\n");
  } else if (limiter_.enabled() &&
             !limiter_.allow(client_key(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                                        req.get_header_value("X-Real-IP"), config_.trusted_proxies),
                             monotonic_ns())) {
    label = "rate_limited";
    metrics_.rate_limited();
    res.set_header("Retry-After", "1");
    set_text(res, 429, "429 too many requests: slow down and try again in a second\n");
  } else if (!std::all_of(req.headers.begin(), req.headers.end(),
                          [](const auto& h) { return header_field_clean(h.first, h.second); })) {
    label = "bad_request";
    set_text(res, 400, "400 bad request: a header holds a control character (NUL, CR, LF or DEL)\n");
  } else {
    Route route = route_target(req.target);
    label = route.label();
    try {
      dispatch(route, req, res);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::environment) {
        res.set_header("Retry-After", "1");
        set_json(res, 503, error_json(503, "the ledger is busy; try again"));
      } else if (e.kind() == ErrorKind::bad_input) {
        set_json(res, 400, error_json(400, e.what()));
      } else {
        std::cerr << "agtrace-verifier: ledger verification failure: " << e.what() << "\n";
        set_json(res, 500, error_json(500, "the ledger failed verification; the operator has been alerted"));
      }
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(label, res.status, secs);
  if (config_.access_log)
    std::cerr << fmt::format("{} {} {} {} {:.3f}ms\n", req.remote_addr, req.method, label, res.status, secs * 1e3);
}

void App::dispatch(const Route& route, const httplib::Request& req, httplib::Response& res) {
  switch (route.kind) {
    case RouteKind::scan: return scan(route, req, res, false);
    case RouteKind::api_code: return scan(route, req, res, true);
    case RouteKind::api_lot: return lot(route, req, res);
    case RouteKind::certificate: return certificate(route, req, res);
    case RouteKind::proof_inclusion: return inclusion(route, req, res);
    case RouteKind::proof_consistency: return consistency(route, req, res);
    case RouteKind::checkpoint: return checkpoint(route, req, res);
    case RouteKind::healthz: return healthz(res);
    case RouteKind::metrics: return metrics(res);
    case RouteKind::robots: return set_text(res, 200, "User-agent: *\nDisallow: /\n");
    case RouteKind::home: {
      PageOptions o = page_options(route, req, config_.warn_after);
      return set_html(res, 200,
                      render_bad_request_page(o.lang == Lang::zh ? "请用手机扫描包装上的二维码查询产品追溯信息。"
                                                                 : "Scan the QR code on the box with your phone.",
                                              o));
    }
    case RouteKind::too_long: return set_text(res, 414, "414 request target too long\n");
    case RouteKind::bad_request: {
      bool page_like = req.target.rfind("/01/", 0) == 0 || req.target.rfind("/t/", 0) == 0;
      if (page_like && !wants_json(req.get_header_value("Accept")))
        return set_html(res, 400, render_bad_request_page(route.reason, page_options(route, req, config_.warn_after)));
      return set_json(res, 400, error_json(400, route.reason));
    }
    case RouteKind::not_found: return set_json(res, 404, error_json(404, "no such resource"));
  }
}

void App::scan(const Route& route, const httplib::Request& req, httplib::Response& res, bool api) {
  bool json = api || wants_json(req.get_header_value("Accept"));
  res.set_header("Vary", "Accept, Accept-Language");
  res.set_header("Cache-Control", "no-store");
  PageOptions options = page_options(route, req, config_.warn_after);
  auto readers = verified(route, req, res, !json);
  if (!readers) return;
  auto ledger = readers->get();
  // The code, its job's views, its serial leaf and proof from one snapshot of the verified
  // state (one file lock per request instead of one per query).
  auto snapshot = sql::Transaction::read(ledger->database());
  auto code = ledger->code(route.serial);
  std::shared_ptr<const CachedJob> job;
  if (code && !code->voided_entry) {
    // What every code of this label job shares, rendered once per ledger state.
    Generation gen = generation(*ledger, readers->epoch());
    std::string key = fmt::format("{}\x1f{}\x1f{}", code->lot, code->issued_entry,
                                  json ? "json" : options.lang == Lang::zh ? "zh" : "en");
    job = views_.get(key, gen);
    if (!job) {
      auto view = load_code_view(*ledger, readers->cache(), route.serial);
      if (!view) throw_environment("the code disappeared while reading; try again");
      auto fresh = std::make_shared<CachedJob>();
      fresh->lot = view->lot;
      fresh->gs1_lot_code = view->gs1_lot_code;
      fresh->gtin = view->product ? view->product->gtin : "";
      if (json)
        fresh->json_shared = code_json_shared(*view, ledger->entry_bytes(view->issued_entry)).dump();
      else
        fresh->page = render_scan_template(*view, options);
      job = fresh;
      views_.put(key, gen, job);
    }
  }
  // Genuine: issued by a signed label job whose serial set holds it, not voided. The
  // replay checked the job's serials against its serial_root before writing its tree.
  std::optional<SerialLeaf> leaf = job ? serial_leaf(ledger->database(), code->serial) : std::nullopt;
  bool genuine = leaf && leaf->job_entry == code->issued_entry;
  // A Digital Link must name the code's own product and lot: a real serial printed under
  // another GTIN or lot is not this product.
  if (genuine && route.gtin && job->gtin != *route.gtin) genuine = false;
  if (genuine && route.lot && *route.lot != job->gs1_lot_code && *route.lot != job->lot) genuine = false;
  if (!genuine) {
    metrics_.unknown_code();
    if (json) return set_json(res, 404, error_json(404, "未找到该追溯码 / code not found"));
    return set_html(res, 404, render_not_found_page(options));
  }
  if (json) {
    SerialProof proof = serial_proof(ledger->database(), *leaf);
    return set_json(res, 200, code_json_body(job->json_shared, code->serial, false, code->reprints, proof,
                                             scans_.peek(code->serial)));
  }
  bool counted = req.method == "GET" &&
                 !is_preview_fetch(req.get_header_value("User-Agent"),
                                   req.has_header("Sec-Purpose") ? req.get_header_value("Sec-Purpose")
                                                                 : req.get_header_value("Purpose"));
  ScanCount count = counted ? record_scan(code->serial, req, res) : scans_.peek(code->serial);
  set_html(res, 200, fill_scan_page(job->page, code->serial, count, options));
}

// Counts a scan by its client (verifier/scans/client_id.h), giving a client that sent no
// cookie one to send next time.
ScanCount App::record_scan(const std::string& serial, const httplib::Request& req, httplib::Response& res) {
  ScanClient client = scan_client(req.get_header_value("Cookie"),
                                  client_key(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                                             req.get_header_value("X-Real-IP"), config_.trusted_proxies),
                                  req.get_header_value("User-Agent"));
  if (!client.issued.empty())
    res.set_header("Set-Cookie",
                   client_cookie_header(client.issued, forwarded_https(req.remote_addr,
                                                                       req.get_header_value("X-Forwarded-Proto"),
                                                                       config_.trusted_proxies)));
  return scans_.record(serial, client, time::now_unix_ms());
}

void App::lot(const Route& route, const httplib::Request& req, httplib::Response& res) {
  auto readers = verified(route, req, res, false);
  if (!readers) return;
  auto ledger = readers->get();
  auto view = load_lot_view(*ledger, readers->cache(), *route.lot);
  if (!view) return set_json(res, 404, error_json(404, "no lot with this id or GS1 lot code"));
  set_json(res, 200, lot_json(*view).dump() + "\n");
}

// A 承诺达标合格证's page or JSON, answered from the verified state only (DESIGN §5).
void App::certificate(const Route& route, const httplib::Request& req, httplib::Response& res) {
  const bool json = wants_json(req.get_header_value("Accept"));
  res.set_header("Vary", "Accept, Accept-Language");
  res.set_header("Cache-Control", "no-store");
  PageOptions options = page_options(route, req, config_.warn_after);
  auto readers = verified(route, req, res, !json);
  if (!readers) return;
  auto ledger = readers->get();
  auto tx = sql::Transaction::read(ledger->database());
  auto view = load_certificate(ledger->store(), route.certificate);
  if (!view) {
    // A number buyers recorded as collected (a paper certificate): shown as such, never as issued here.
    if (auto received = load_received_certificates(ledger->store(), route.certificate); !received.empty()) {
      auto checkpoint = readers->cache().checkpoint(*ledger);
      if (json)
        return set_json(res, 200,
                        received_certificate_json(received, checkpoint,
                                                  [&](std::uint64_t i) { return ledger->entry_bytes(i); })
                                .dump() + "\n");
      return set_html(res, 200, render_received_certificate_page(received, checkpoint, options));
    }
    // Numbers are case-sensitive: a number typed in the wrong case is answered with the ones it
    // may mean, never with another certificate (docs/certificate.md "The verifier").
    const auto near = issued_numbers_ignoring_case(ledger->store(), route.certificate);
    if (json) {
      auto body = nlohmann::json::parse(error_json(404, "未找到该合格证 / certificate not found"));
      if (!near.empty()) body["did_you_mean"] = near;
      return set_json(res, 404, body.dump() + "\n");
    }
    return set_html(res, 404, render_certificate_not_found_page(options, near));
  }
  auto checkpoint = readers->cache().checkpoint(*ledger);
  if (json)
    return set_json(res, 200, certificate_json(*view, checkpoint, ledger->entry_bytes(view->record.entry)).dump() + "\n");
  set_html(res, 200, render_certificate_page(*view, checkpoint, options));
}

void App::inclusion(const Route& route, const httplib::Request& req, httplib::Response& res) {
  auto it = route.query.find("index");
  auto index = it == route.query.end() ? std::nullopt : parse_index(it->second);
  if (!index) return set_json(res, 400, error_json(400, "give ?index=N, an entry index"));
  auto readers = verified(route, req, res, wants_html(req.get_header_value("Accept")));
  if (!readers) return;
  auto ledger = readers->get();
  auto tx = sql::Transaction::read(ledger->database());
  auto cp = readers->cache().checkpoint(*ledger);
  if (!cp) return set_json(res, 404, error_json(404, "the ledger has no checkpoint yet"));
  const std::uint64_t entries = ledger->store().size();
  if (*index >= entries)
    return set_json(res, 404, error_json(404, fmt::format("entry {} does not exist (the log has {} entries)", *index,
                                                          entries)));
  if (*index >= cp->size)
    return set_json(res, 404, error_json(404, fmt::format("entry {} is awaiting checkpoint (latest checkpoint size {})",
                                                          *index, cp->size)));
  auto hashes = merkle::inclusion_proof(*index, cp->size, ledger->store().node_reader());
  std::string proof = note::format_tlog_proof({std::nullopt, *index, hashes, cp->note});
  // A browser gets a page to read (WeChat's browser drops downloads); tools get the text.
  auto format = route.query.find("format");
  bool text = format != route.query.end() && format->second == "text";
  if (!text && wants_html(req.get_header_value("Accept")))
    return set_html(res, 200, render_proof_page(*index, proof, page_options(route, req, config_.warn_after)));
  res.set_header("Content-Disposition", fmt::format("inline; filename=\"entry-{}.tlog-proof\"", *index));
  set_text(res, 200, proof);
}

void App::consistency(const Route& route, const httplib::Request& req, httplib::Response& res) {
  auto o = route.query.find("old");
  auto n = route.query.find("new");
  auto old_opt = o == route.query.end() ? std::nullopt : parse_index(o->second);
  auto new_opt = n == route.query.end() ? std::nullopt : parse_index(n->second);
  if (!old_opt || !new_opt) return set_json(res, 400, error_json(400, "give ?old=A&new=B, tree sizes"));
  const std::uint64_t old_value = *old_opt, new_value = *new_opt;
  const std::uint64_t* old_size = &old_value;
  const std::uint64_t* new_size = &new_value;
  auto readers = verified(route, req, res, false);
  if (!readers) return;
  auto ledger = readers->get();
  auto tx = sql::Transaction::read(ledger->database());
  std::uint64_t size = log_size(*ledger);
  if (*old_size == 0 || *old_size > *new_size || *new_size > size)
    return set_json(res, 400, error_json(400, fmt::format("need 0 < old <= new <= {} (the log size)", size)));
  auto reader = ledger->store().node_reader();
  auto hashes = merkle::consistency_proof(*old_size, *new_size, reader);
  nlohmann::json j = {{"old_size", *old_size},
                      {"new_size", *new_size},
                      {"old_root", base64_encode(merkle::root(*old_size, reader))},
                      {"new_root", base64_encode(merkle::root(*new_size, reader))},
                      {"hashes", nlohmann::json::array()}};
  for (const auto& h : hashes) j["hashes"].push_back(base64_encode(h));
  set_json(res, 200, j.dump() + "\n");
}

void App::checkpoint(const Route& route, const httplib::Request& req, httplib::Response& res) {
  auto readers = verified(route, req, res, false);
  if (!readers) return;
  auto ledger = readers->get();
  auto cp = readers->cache().checkpoint(*ledger);
  if (!cp) return set_text(res, 404, "the ledger has no checkpoint yet\n");
  res.set_header("Cache-Control", "no-cache");
  set_text(res, 200, cp->note);
}

std::shared_ptr<StateReaders> App::verified(const Route& route, const httplib::Request& req, httplib::Response& res,
                                            bool html) {
  if (auto readers = state_.readers()) return readers;
  StateHealth h = state_.health();
  const bool replaying = h.status == StateStatus::replaying;
  metrics_.unverifiable();
  res.set_header("Retry-After", replaying ? "5" : "60");
  res.set_header("Cache-Control", "no-store");
  if (html) {
    set_html(res, 503, render_unverifiable_page(page_options(route, req, config_.warn_after)));
  } else {
    nlohmann::json j = {{"error", "unverifiable"},
                        {"status", 503},
                        {"message", "暂时无法核验，请稍后再试 / Temporarily unable to verify; please try again later"},
                        {"state", replaying ? "replaying" : "failed"}};
    set_json(res, 503, j.dump() + "\n");
  }
  return nullptr;
}

void App::healthz(httplib::Response& res) {
  StateHealth h = state_.health();
  switch (h.status) {
    case StateStatus::verified:
      if (scans_.commit_failing()) {
        res.set_header("Retry-After", "5");
        return set_text(res, 503, fmt::format("scan counts cannot be committed (pages are served, counts stay pending "
                                              "in memory): {}\n",
                                              scans_.commit_error()));
      }
      return set_text(res, 200, fmt::format("ok {} entries\n", h.entries));
    case StateStatus::replaying:
      res.set_header("Retry-After", "5");
      return set_text(res, 503, fmt::format("replaying: verifying the ledger ({} entries so far)\n", h.entries));
    case StateStatus::failed:
      return set_text(res, 503, fmt::format("unverifiable: {}\n", h.reason));
  }
}

void App::metrics(httplib::Response& res) {
  StateHealth h = state_.health();
  res.status = 200;
  MetricsSample s;
  s.scans = scans_.scans_recorded();
  s.ledger_size = h.entries;
  s.checkpoint_size = h.checkpoint;
  s.verified = h.status == StateStatus::verified;
  s.scan_commit_failures = scans_.flush_failures();
  s.scan_commit_failing = scans_.commit_failing();
  res.set_content(metrics_.render(s),
                  "text/plain; version=0.0.4; charset=utf-8");
}

// Waits for SIGTERM/SIGINT (blocked in every thread) and stops the server.
class SignalWatcher {
 public:
  // Blocks the signals in the calling thread: call before any other thread is started.
  static sigset_t block() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
  }
  SignalWatcher(httplib::Server& server, sigset_t set) : set_(set) {
    thread_ = std::thread([this, &server] {
      int sig = 0;
      sigwait(&set_, &sig);
      if (sig != SIGUSR1) std::cerr << "agtrace-verifier: signal " << sig << ", shutting down\n";
      server.stop();
    });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

 private:
  sigset_t set_;
  std::thread thread_;
};

}  // namespace

int serve(const ServerConfig& config) {
  signal(SIGPIPE, SIG_IGN);
  // Block the shutdown signals before any thread exists, so that every thread inherits
  // the mask and only the watcher receives them.
  sigset_t signals = SignalWatcher::block();
  StateConfig state;
  state.ledger_path = config.ledger_path;
  state.state_path = config.scans_path + ".verified";
  state.trust_path = config.scans_path + ".trust";
  state.pinned_log_keys = config.log_keys;
  state.recheck_interval_s = config.recheck_interval_s;
  state.readers = config.ledger_connections;
  App app(config, std::move(state));
  httplib::Server server;
  SignalWatcher watcher(server, signals);

  const int threads = config.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  int listen_fd = -1;
  server.set_tcp_nodelay(true);
  server.set_socket_options([&listen_fd](int fd) {
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    listen_fd = fd;
  });
  server.set_read_timeout(config.read_timeout_s, 0);
  server.set_write_timeout(config.write_timeout_s, 0);
  server.set_keep_alive_timeout(config.keep_alive_timeout_s);
  server.set_keep_alive_max_count(static_cast<std::size_t>(config.keep_alive_max));
  server.set_payload_max_length(1024);
  server.set_pre_routing_handler([&app](const httplib::Request& req, httplib::Response& res) {
    app.handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  // httplib's own refusals (400 malformed request, 414 beyond its line limit) get a short body.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    res.set_content(fmt::format("{} {}\n", res.status,
                                res.status == 414   ? "request target too long"
                                : res.status == 413 ? "payload too large"
                                : res.status == 400 ? "bad request"
                                                    : "error"),
                    "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      std::cerr << "agtrace-verifier: internal error: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "agtrace-verifier: internal error\n";
    }
    res.status = 500;
    res.set_content("500 internal error\n", "text/plain; charset=utf-8");
  });

  int port = config.port;
  if (port == 0) {
    port = server.bind_to_any_port(config.host);
    if (port < 0) throw_environment(fmt::format("--listen {}:0: cannot bind", config.host));
  } else if (!server.bind_to_port(config.host, port)) {
    throw_environment(both(i18n::Msg::verifier_cannot_bind, fmt::format("{}:{}", config.host, port)));
  }
  // The library listened with a backlog of 5; listen again with the real one.
  if (listen_fd < 0 || ::listen(listen_fd, config.listen_backlog) != 0)
    throw_environment("cannot set the listen backlog");
  std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
  // Chinese first, then English, as an operator reads it; scripts find "listening on http://…".
  std::cout << "agtrace-verifier: " << both(i18n::Msg::verifier_listening, fmt::format("http://{}:{}", host, port))
            << std::endl;
  app.state().start();
  server.listen_after_bind();
  app.scans().flush();
  std::cerr << "agtrace-verifier: " << both(i18n::Msg::verifier_stopped) << "\n";
  return 0;
}

}  // namespace agtrace::verifier
