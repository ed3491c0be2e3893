// The characters of UTF-8 text, one code point at a time: for the checks that look at what a clerk
// typed character by character (a paper certificate's number, a field a schema pattern refused).
// Header-only, pure.
#pragma once

#include <cstddef>
#include <string_view>

namespace agtrace {

// One character of UTF-8 text.
struct Utf8Char {
  char32_t code_point = 0;
  std::string_view bytes;     // its bytes in the text
  std::size_t position = 0;   // its place in the text, counted in characters from 1
};

// `for (Utf8Char c : Utf8Chars(text))`: the characters of `text` in order. The text is expected to be
// valid UTF-8 (decoded and checked on input); a sequence cut short by the end of the text gives the
// bytes it has, its code point decoded from them, and a stray continuation byte starts a
// two-byte sequence, so no byte is ever skipped or read beyond the text.
class Utf8Chars {
 public:
  explicit Utf8Chars(std::string_view text) : text_(text) {}

  class iterator {
   public:
    iterator(std::string_view text, std::size_t at, std::size_t position) : text_(text), at_(at), position_(position) {}
    Utf8Char operator*() const {
      const std::size_t n = length();
      const auto lead = static_cast<unsigned char>(text_[at_]);
      char32_t cp = n == 1 ? lead : n == 2 ? (lead & 0x1F) : n == 3 ? (lead & 0x0F) : (lead & 0x07);
      for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text_[at_ + k]) & 0x3F);
      return {cp, text_.substr(at_, n), position_};
    }
    iterator& operator++() {
      at_ += length();
      ++position_;
      return *this;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    // The length of the sequence at `at_` by its lead byte, cut at the end of the text.
    std::size_t length() const {
      const auto lead = static_cast<unsigned char>(text_[at_]);
      const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      return n < text_.size() - at_ ? n : text_.size() - at_;
    }
    std::string_view text_;
    std::size_t at_, position_;
  };

  iterator begin() const { return {text_, 0, 1}; }
  iterator end() const { return {text_, text_.size(), 0}; }

 private:
  std::string_view text_;
};

}  // namespace agtrace
