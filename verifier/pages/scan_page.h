// The scan page (DESIGN §5): what a consumer sees after scanning the QR code on a box.
//
// Pure rendering: a CodeView and the scan count in, one self-contained HTML document out —
// inline CSS only (its hash goes into the Content-Security-Policy), no script, no external
// asset, every value HTML-escaped, readable on a 360 px wide screen, well under 30 KB for
// a normal journey. Chinese by default, English on request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/certificates.h"
#include "verifier/http/negotiate.h"
#include "verifier/view/trace_view.h"

namespace agtrace::verifier {

// The anti-counterfeit counts of one code (from the scans database).
struct ScanCount {
  std::uint64_t count = 0;          // scans so far, including this one when it was counted
  std::int64_t first_unix_ms = 0;   // 0 when never scanned
  std::int64_t last_unix_ms = 0;
  // Distinct clients among those scans (verifier/scans/client_id.h). Scans counted before
  // the scans file told clients apart are in `count` only, so this may be smaller.
  std::uint64_t clients = 0;
};

struct PageOptions {
  Lang lang = Lang::zh;
  std::uint64_t warn_after = 5;  // more distinct clients than this: the red "may be copied" warning
};

// The Content-Security-Policy every page is served with: nothing but its own inline
// style (by hash) and data: images; no script, no frames, no form posts elsewhere.
const std::string& page_csp();

// The scan page of a genuine, unvoided code.
std::string render_scan_page(const CodeView& view, const ScanCount& scans, const PageOptions& options);

// The scan page with its per-code parts left open: everything in it depends only on the
// packed lot, the label job, the ledger's size and checkpoint, and the language, so it
// can be cached and shared by every code of the job. pieces[i] is followed by slots[i].
struct ScanPageTemplate {
  enum class Slot { serial, scan_block, copy_banner };
  std::vector<std::string> pieces;
  std::vector<Slot> slots;
  std::size_t size() const;
};
ScanPageTemplate render_scan_template(const CodeView& view, const PageOptions& options);
// Fills a template with a code's serial and scan counts: equal to render_scan_page.
std::string fill_scan_page(const ScanPageTemplate& t, const std::string& serial, const ScanCount& scans,
                           const PageOptions& options);
// The anti-counterfeit block alone.
std::string render_scan_block(const ScanCount& scans, const PageOptions& options);

// The page for an unknown or voided code: "未找到该追溯码" ("Code not found" in English; served 404).
std::string render_not_found_page(const PageOptions& options);

// The page of a 承诺达标合格证 (/c/{number}; docs/certificate.md), from the verifier's
// verified state: title, status (有效 / 已作废 / 已失效 with the reason, as a red banner when
// not valid), the promise, the fields, the ticked bases with their evidence (inspection
// reports), the pesticide applications of the lineage with their pre-harvest intervals, the
// parent certificates of a buyer's re-issue, and the "signed and publicly verifiable" block
// with the certificate entry's inclusion proof once `checkpoint` covers it.
std::string render_certificate_page(const CertificateView& view, const std::optional<CheckpointInfo>& checkpoint,
                                    const PageOptions& options);

// The page of a number that no certificate issued in this ledger has, but that buyers recorded
// as collected (certificate_received, usually a paper certificate from a grower outside the
// system; `received` not empty, one per issuer): it says plainly that this is a paper
// certificate the buyer collected and recorded — not issued or checked in this system — and for
// each, who recorded it and when, for which lot, and what was copied from the paper (issuer,
// 开具日期, product, quantity, 产地); no validity badge, no counterfeit warning. Served 200.
std::string render_received_certificate_page(const std::vector<ReceivedCertificateView>& received,
                                             const std::optional<CheckpointInfo>& checkpoint,
                                             const PageOptions& options);

// The page for an unknown certificate number (served 404): the counterfeit warning; when
// `did_you_mean` holds the numbers of issued certificates that differ from the one asked for only
// in letter case (certificates.h issued_numbers_ignoring_case), it links them instead and asks the
// reader to compare with the paper (numbers are case-sensitive, so the page does not guess).
std::string render_certificate_not_found_page(const PageOptions& options,
                                              const std::vector<std::string>& did_you_mean = {});

// The inclusion proof of entry `index` as a page (a phone's in-app browser shows a page,
// but may drop a download): a few words on what it proves, and `proof_text` — the C2SP
// tlog-proof, unchanged apart from HTML escaping — in a <pre> to copy.
std::string render_proof_page(std::uint64_t index, const std::string& proof_text, const PageOptions& options);

// The page served with 503 while the verifier cannot vouch for the ledger (DESIGN §5
// "fails closed"; docs/scan-page.md): "暂时无法核验，请稍后再试", no facts of any code.
std::string render_unverifiable_page(const PageOptions& options);

// The page for a malformed scan URL (served 400); `reason` is shown escaped.
std::string render_bad_request_page(const std::string& reason, const PageOptions& options);

// An RFC 3339 time in Beijing time (UTC+08:00): "2022-10-08T07:00:00+08:00" and
// "2022-10-07T23:00:00Z" → "2022-10-08 07:00". Text that is not RFC 3339 is shown as is.
std::string display_time(const std::string& rfc3339);

// An instant shown in China Standard Time: "2025-05-20 14:03:09".
std::string display_cst(std::int64_t unix_ms);

}  // namespace agtrace::verifier
