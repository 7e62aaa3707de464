#pragma once
// Byte-class scans that Swift's SIMD types do not compile to vector code (a SIMD16 version of the search
// below, through Swift's generic SIMD operations, made a directory scan four times slower).
#include <stddef.h>
#include <stdint.h>

/// The start of the first run of at least `minimum` bytes of the base64 alphabet (A-Z a-z 0-9 + /) that
/// starts at or after `from`, or `n` when `p[from..<n]` holds none. `minimum` must be 16 or more.
size_t keywarden_next_base64_run(const uint8_t *p, size_t n, size_t from, size_t minimum);

/// The first byte at or after `from` that is a backslash, a quote (" ' `) or `}`, or `n` when there is none: the
/// bytes where the named-value layer may rebuild a value (escapes, joined literals, templates).
size_t keywarden_next_quote_or_escape(const uint8_t *p, size_t n, size_t from);

/// When the quote at `i` is followed by blanks, line breaks and joining operators (`+ . \\ & _ < |`), then maybe a
/// string prefix (Python r b f u, C# @ and $, up to two) and another quote: the index after that quote (where the
/// next piece starts). 0 otherwise. A quote right after a quote (`""`) is an empty string, not a join.
size_t keywarden_join_end(const uint8_t *p, size_t n, size_t i);

/// The first quote at or after `from` that is followed by blanks, line breaks and joining
/// operators (`+ . \\ & _ < |`), or by a string prefix, and then another quote: where string literals may be
/// joined (`"a" + "b"`, `"a" "b"`, `'a' . 'b'`). `n` when there is none. Escapes are not read: an escaped
/// quote may be taken for one (more candidates, never fewer).
size_t keywarden_next_join(const uint8_t *p, size_t n, size_t from);
