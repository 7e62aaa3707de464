#include "CByteScan.h"

static inline int in_alphabet(uint8_t b) {
    uint8_t folded = (uint8_t)(b | 0x20);
    return (uint8_t)(folded - 'a') < 26 || (uint8_t)(b - '0') < 10 || b == '+' || b == '/';
}

// The bytes from `at` on one at a time, `run` alphabet bytes already counted just before `at`.
static size_t finish(const uint8_t *p, size_t n, size_t at, size_t run, size_t minimum) {
    for (; at < n; at++) {
        if (!in_alphabet(p[at])) { run = 0; continue; }
        if (++run >= minimum) return at + 1 - run;
    }
    return n;
}

// The bytes from `at` on one at a time: the first backslash, quote or `}`, or `n`.
static size_t next_quote_or_escape_from(const uint8_t *p, size_t n, size_t at) {
    for (; at < n; at++) {
        uint8_t b = p[at];
        if (b == '\\' || b == '"' || b == '\'' || b == '`' || b == '}') return at;
    }
    return n;
}

#if defined(__SSE2__)
#include <emmintrin.h>

size_t keywarden_next_quote_or_escape(const uint8_t *p, size_t n, size_t from) {
    size_t at = from;
    const __m128i backslash = _mm_set1_epi8('\\'), dquote = _mm_set1_epi8('"'), squote = _mm_set1_epi8('\''),
                  backtick = _mm_set1_epi8('`'), brace = _mm_set1_epi8('}');
    for (; at + 16 <= n; at += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + at));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, dquote)),
                                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, squote), _mm_cmpeq_epi8(v, backtick)),
                                                _mm_cmpeq_epi8(v, brace)));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask) return at + (unsigned)__builtin_ctz(mask);
    }
    return next_quote_or_escape_from(p, n, at);
}

// One bit per byte of the 16 at `p` (bit i for byte i): set when the byte is in the alphabet. Unsigned range
// tests by saturating subtraction: (x - lo) saturated-minus (hi - lo) is zero exactly when lo <= x <= hi.
static inline unsigned alphabet_mask(const uint8_t *p) {
    const __m128i zero = _mm_setzero_si128();
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(folded, _mm_set1_epi8('a')), _mm_set1_epi8(25)), zero);
    __m128i digit = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9)), zero);
    __m128i sign = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('/')));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sign));
}

size_t keywarden_next_base64_run(const uint8_t *p, size_t n, size_t from, size_t minimum) {
    size_t run = 0;   // alphabet bytes in a row just before `at`
    size_t at = from;
    for (; at + 16 <= n; at += 16) {
        unsigned mask = alphabet_mask(p + at);
        if (mask == 0xFFFF) {
            run += 16;
            if (run >= minimum) return at + 16 - run;
            continue;
        }
        // The run so far continues through the chunk's first alphabet bytes; a run inside the chunk has at most
        // 14 bytes (fewer than `minimum`); the chunk's last alphabet bytes start the next run.
        unsigned first = (unsigned)__builtin_ctz(~mask);
        if (run + first >= minimum) return at - run;
        run = (unsigned)__builtin_clz(~(mask << 16));
    }
    return finish(p, n, at, run, minimum);
}

#else

size_t keywarden_next_base64_run(const uint8_t *p, size_t n, size_t from, size_t minimum) {
    return finish(p, n, from, 0, minimum);
}

size_t keywarden_next_quote_or_escape(const uint8_t *p, size_t n, size_t from) {
    return next_quote_or_escape_from(p, n, from);
}

#endif
