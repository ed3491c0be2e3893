// A backtracking matcher for the regular expressions of the schemas' `pattern`s
// (schema_pattern.h).
#include "ledger/event/schema_pattern.h"

#include <bitset>
#include <stdexcept>
#include <vector>

namespace agtrace {

namespace {

constexpr unsigned kMany = ~0u;

struct Item;
using Seq = std::vector<Item>;

struct Item {
  enum Kind { kSet, kGroup, kBol, kEol } kind = kSet;
  std::bitset<256> set;    // kSet: the bytes it matches
  std::vector<Seq> alts;   // kGroup: its alternatives
  unsigned min = 1, max = 1;
};

[[noreturn]] void unsupported(std::string_view pattern, const char* what) {
  throw std::invalid_argument(std::string("SchemaPattern: ") + what + " in " + std::string(pattern));
}

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  std::vector<Seq> parse() {
    auto alts = alternatives();
    if (i_ != p_.size()) unsupported(p_, "an unbalanced )");
    return alts;
  }

 private:
  bool more() const { return i_ < p_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(p_[i_]); }

  std::vector<Seq> alternatives() {
    std::vector<Seq> alts(1);
    while (more() && peek() != ')') {
      if (peek() == '|') {
        ++i_;
        alts.emplace_back();
        continue;
      }
      alts.back().push_back(atom());
      quantifier(alts.back().back());
    }
    return alts;
  }

  static std::bitset<256> digits() {
    std::bitset<256> s;
    for (int c = '0'; c <= '9'; ++c) s.set(c);
    return s;
  }
  static std::bitset<256> spaces() {  // std::regex's \s for char in the C locale
    std::bitset<256> s;
    for (char c : {' ', '\t', '\n', '\v', '\f', '\r'}) s.set(static_cast<unsigned char>(c));
    return s;
  }
  static int hex(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // After a backslash: a byte (returned) or a class (in `set`, returning -1).
  int escape(std::bitset<256>& set) {
    if (!more()) unsupported(p_, "a trailing backslash");
    const unsigned char c = p_[i_++];
    if (c == 'd') {
      set = digits();
      return -1;
    }
    if (c == 's') {
      set = spaces();
      return -1;
    }
    if (c == 'x') {
      if (i_ + 2 > p_.size() || hex(p_[i_]) < 0 || hex(p_[i_ + 1]) < 0) unsupported(p_, "a bad \\x escape");
      const int v = hex(p_[i_]) * 16 + hex(p_[i_ + 1]);
      i_ += 2;
      return v;
    }
    if (std::string_view(".\\/+*?()[]{}|^$-").find(static_cast<char>(c)) != std::string_view::npos) return c;
    unsupported(p_, "an escape other than \\d \\s \\xHH or punctuation");
  }

  Item atom() {
    Item item;
    const unsigned char c = p_[i_++];
    switch (c) {
      case '^':
        item.kind = Item::kBol;
        return item;
      case '$':
        item.kind = Item::kEol;
        return item;
      case '(': {
        if (more() && peek() == '?') unsupported(p_, "(? syntax");
        item.kind = Item::kGroup;
        item.alts = alternatives();
        if (!more() || peek() != ')') unsupported(p_, "an unclosed (");
        ++i_;
        return item;
      }
      case '[':
        item.set = bracket();
        return item;
      case '\\': {
        std::bitset<256> set;
        const int b = escape(set);
        if (b >= 0) set.set(static_cast<unsigned char>(b));
        item.set = set;
        return item;
      }
      case '.': case '*': case '+': case '?': case '{': case '}': case ']': case '|': case ')':
        unsupported(p_, "a metacharacter out of place");
      default:
        item.set.set(c);
        return item;
    }
  }

  // After '[': the class up to its ']'.
  std::bitset<256> bracket() {
    std::bitset<256> set;
    bool negate = false;
    if (more() && peek() == '^') {
      negate = true;
      ++i_;
    }
    if (more() && peek() == ']') unsupported(p_, "an empty class");
    for (;;) {
      if (!more()) unsupported(p_, "an unclosed [");
      if (peek() == ']') {
        ++i_;
        break;
      }
      if (peek() == '[') unsupported(p_, "[ inside a class");
      std::bitset<256> cls;
      int lo = static_cast<unsigned char>(p_[i_++]);
      if (lo == '\\') lo = escape(cls);
      if (lo < 0) {
        set |= cls;
        continue;
      }
      if (i_ + 1 < p_.size() && peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        int hi = static_cast<unsigned char>(p_[i_++]);
        if (hi == '\\') hi = escape(cls);
        // Ranges only within ASCII: beyond it char's signedness would decide.
        if (hi < 0 || hi < lo || hi > 0x7f) unsupported(p_, "a range that is not ASCII or not ordered");
        for (int b = lo; b <= hi; ++b) set.set(b);
      } else {
        set.set(lo);
      }
    }
    return negate ? ~set : set;
  }

  unsigned number() {
    if (!more() || peek() < '0' || peek() > '9') unsupported(p_, "a bad {} quantifier");
    unsigned v = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (peek() - '0');
      if (v > 10000) unsupported(p_, "a repeat count over 10000");
      ++i_;
    }
    return v;
  }

  void quantifier(Item& item) {
    if (!more()) return;
    const unsigned char c = peek();
    if (c != '?' && c != '*' && c != '+' && c != '{') return;
    if (item.kind == Item::kBol || item.kind == Item::kEol) unsupported(p_, "a quantified anchor");
    ++i_;
    if (c == '?') {
      item.min = 0;
      item.max = 1;
    } else if (c == '*') {
      item.min = 0;
      item.max = kMany;
    } else if (c == '+') {
      item.min = 1;
      item.max = kMany;
    } else {
      item.min = item.max = number();
      if (more() && peek() == ',') {
        ++i_;
        item.max = more() && peek() == '}' ? kMany : number();
      }
      if (!more() || peek() != '}' || item.max < item.min) unsupported(p_, "a bad {} quantifier");
      ++i_;
    }
    if (more() && (peek() == '?' || peek() == '*' || peek() == '+' || peek() == '{'))
      unsupported(p_, "a lazy or repeated quantifier");
  }

  std::string_view p_;
  std::size_t i_ = 0;
};

bool nullable(const Seq& seq);
bool nullable(const Item& item) {
  if (item.min == 0 || item.kind == Item::kBol || item.kind == Item::kEol) return true;
  if (item.kind == Item::kSet) return false;
  for (const auto& alt : item.alts)
    if (nullable(alt)) return true;
  return false;
}
bool nullable(const Seq& seq) {
  for (const auto& item : seq)
    if (!nullable(item)) return false;
  return true;
}

// A group's alternatives must each consume a byte, so that a repetition always moves on.
void check_groups(const Seq& seq, std::string_view pattern) {
  for (const auto& item : seq) {
    if (item.kind != Item::kGroup) continue;
    for (const auto& alt : item.alts) {
      if (nullable(alt)) unsupported(pattern, "a group that can match nothing");
      check_groups(alt, pattern);
    }
  }
}

// What to match after the current sequence: the rest of an enclosing sequence, or another
// repetition of a group.
struct Cont {
  const Seq* seq = nullptr;
  std::size_t k = 0;
  const Item* repeat = nullptr;  // when set: `repeat` once more, having matched `count` times
  unsigned count = 0;
  const Cont* next = nullptr;
};

class Matcher {
 public:
  explicit Matcher(std::string_view text) : t_(text) {}

  bool seq(const Seq& s, std::size_t k, std::size_t pos, const Cont* next) const {
    if (k == s.size()) return resume(next, pos);
    const Item& item = s[k];
    switch (item.kind) {
      case Item::kBol:
        return pos == 0 && seq(s, k + 1, pos, next);
      case Item::kEol:
        return pos == t_.size() && seq(s, k + 1, pos, next);
      case Item::kSet: {
        std::size_t run = 0;
        while (run < item.max && pos + run < t_.size() && item.set.test(static_cast<unsigned char>(t_[pos + run])))
          ++run;
        if (run < item.min) return false;
        for (std::size_t j = run + 1; j-- > item.min;)
          if (seq(s, k + 1, pos + j, next)) return true;
        return false;
      }
      case Item::kGroup: {
        const Cont after{&s, k + 1, nullptr, 0, next};
        return repeat(item, 0, pos, &after);
      }
    }
    return false;
  }

 private:
  bool resume(const Cont* c, std::size_t pos) const {
    if (!c) return true;
    if (c->repeat) return repeat(*c->repeat, c->count, pos, c->next);
    return seq(*c->seq, c->k, pos, c->next);
  }

  // `item` matched `count` times up to `pos`; `next` follows the whole repetition.
  bool repeat(const Item& item, unsigned count, std::size_t pos, const Cont* next) const {
    if (count < item.max) {
      const Cont again{nullptr, 0, &item, count + 1, next};
      for (const auto& alt : item.alts)
        if (seq(alt, 0, pos, &again)) return true;
    }
    return count >= item.min && resume(next, pos);
  }

  std::string_view t_;
};

}  // namespace

struct SchemaPattern::Impl {
  Seq top;
  bool anchored = false;  // begins with ^: only a match at the start can succeed
};

SchemaPattern::SchemaPattern(std::string_view pattern) : impl_(std::make_unique<Impl>()) {
  Item group;
  group.kind = Item::kGroup;
  group.alts = Parser(pattern).parse();
  impl_->anchored = group.alts.size() == 1 && !group.alts[0].empty() && group.alts[0][0].kind == Item::kBol;
  for (const auto& alt : group.alts) check_groups(alt, pattern);
  if (group.alts.size() == 1) {
    impl_->top = std::move(group.alts[0]);
  } else {
    impl_->top.push_back(std::move(group));
  }
}

SchemaPattern::~SchemaPattern() = default;
SchemaPattern::SchemaPattern(SchemaPattern&&) noexcept = default;
SchemaPattern& SchemaPattern::operator=(SchemaPattern&&) noexcept = default;

bool SchemaPattern::search(std::string_view text) const {
  const Matcher m(text);
  const std::size_t last = impl_->anchored ? 0 : text.size();
  for (std::size_t start = 0; start <= last; ++start)
    if (m.seq(impl_->top, 0, start, nullptr)) return true;
  return false;
}

}  // namespace agtrace
