// A JSON Schema `pattern` matched without std::regex (issue 17: std::regex was two thirds of
// the event schema check in verify's profile). SchemaPattern compiles the subset of
// ECMAScript regular expressions the event schemas use — literals, `.`-free character
// classes with ranges, \d \s \xHH and escaped punctuation, groups with alternation, the
// quantifiers ? * + {n} {n,} {n,m}, and the anchors ^ and $ — into a small backtracking
// matcher over bytes, with std::regex_search's verdict: true when some substring matches.
// Any other syntax (lookahead, backreferences, `.`, lazy quantifiers, ...) is refused at
// construction. schema_pattern_test compares it with std::regex on every pattern of the
// schemas and on random and edited strings.
//
// Thread safety: search() is const; one SchemaPattern may be shared.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace agtrace {

class SchemaPattern {
 public:
  // Compiles `pattern`. Throws std::invalid_argument if it uses syntax outside the subset.
  explicit SchemaPattern(std::string_view pattern);
  ~SchemaPattern();
  SchemaPattern(SchemaPattern&&) noexcept;
  SchemaPattern& operator=(SchemaPattern&&) noexcept;

  // Whether some substring of `text` (bytes) matches, as std::regex_search(text, std::regex(pattern)).
  bool search(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agtrace
