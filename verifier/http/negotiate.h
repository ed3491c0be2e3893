// Content and language negotiation, link-preview bot detection and the client key of the
// rate limiter: the small decisions a handler makes from request headers. Pure and
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agtrace::verifier {

enum class Lang { zh, en };

// The page language: `lang_param` ("en"/"zh", from ?lang=) wins; otherwise Chinese when
// Accept-Language names zh* anywhere with q > 0 (whatever English's q: "en-US,en;q=0.9,zh-CN;q=0.8"
// is a Chinese reader's phone set to English), English when it names en* and no zh*, and
// Chinese when neither is named (DESIGN §5: Chinese by default).
Lang choose_lang(std::optional<std::string_view> lang_param, std::string_view accept_language);

// True when the client asks for JSON: Accept names application/json (or +json) with a
// higher q than text/html, or without naming text/html at all.
bool wants_json(std::string_view accept);

// True when a header field's name and value hold no control byte other than HTAB (no NUL,
// CR, LF or DEL). RFC 9110 §5.5: a recipient must reject or replace them; the verifier
// answers 400 (nginx in front refuses them too), so no handler ever sees one.
bool header_field_clean(std::string_view name, std::string_view value);

// True for user agents that fetch a page to preview a link or to index it (chat apps,
// social sites, search engines), and for browser prefetches (`purpose` is the Purpose or
// Sec-Purpose header). Such fetches are not scans by a person and are not counted.
bool is_preview_fetch(std::string_view user_agent, std::string_view purpose);

// The rate limiter's key for a request: the socket's remote address, unless that address
// is one of `trusted_proxies`; then the right-most address in X-Forwarded-For that is not
// itself a trusted proxy (or X-Real-IP when X-Forwarded-For is absent). Forwarded headers
// from anyone else are ignored, so a client cannot choose its own key.
std::string client_key(std::string_view remote_addr, std::string_view x_forwarded_for,
                       std::string_view x_real_ip, const std::vector<std::string>& trusted_proxies);

// True when the client reached us over https: a trusted proxy (nginx terminating TLS) says
// so in X-Forwarded-Proto. From anyone else the header is ignored (false).
bool forwarded_https(std::string_view remote_addr, std::string_view x_forwarded_proto,
                     const std::vector<std::string>& trusted_proxies);

// True when the client asks for an HTML page: Accept names text/html with a higher q
// than text/plain (browsers navigating do; curl's "*/*" does not).
bool wants_html(std::string_view accept);

}  // namespace agtrace::verifier
