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
