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

static inline int is_quote(uint8_t b) { return b == '"' || b == '\'' || b == '`'; }

// The bytes a joined literal may have between its pieces besides blanks and line breaks (the named-value
// layer's joining operators), and the string prefixes glued to a quote (Python r b f u, C# @ and $).
static inline int joins(uint8_t b) { return b == '+' || b == '.' || b == '\\' || b == '&' || b == '_' || b == '<' || b == '|'; }
static inline int is_prefix(uint8_t b) {
    return b == 'r' || b == 'b' || b == 'f' || b == 'u' || b == 'R' || b == 'B' || b == 'F' || b == 'U' || b == '@' || b == '$';
}

size_t keywarden_join_end(const uint8_t *p, size_t n, size_t i) {
    size_t k = i + 1;
    int gap = 0;
    while (k < n && k - i < 64) {
        uint8_t c = p[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || joins(c)) { gap = 1; k++; continue; }
        break;
    }
    size_t q = k;
    while (q < n && q - k < 2 && is_prefix(p[q])) q++;
    return q < n && is_quote(p[q]) && (gap || q > k) ? q + 1 : 0;
}

static inline int joins_after(const uint8_t *p, size_t n, size_t i) { return keywarden_join_end(p, n, i) != 0; }

#if defined(__SSE2__)
size_t keywarden_next_join(const uint8_t *p, size_t n, size_t from) {
    size_t at = from;
    // 16 at a time: a block without a quote is passed at once; in one with quotes, only a quote followed by a
    // blank, a line break or a joining operator (or a string prefix) is looked at further. Most quotes of code
    // are followed by a letter, `)`, `,` or `;`, and go no further.
    const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\''), bt = _mm_set1_epi8('`');
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'),
                  plus = _mm_set1_epi8('+'), dot = _mm_set1_epi8('.'), bs = _mm_set1_epi8('\\'), amp = _mm_set1_epi8('&'),
                  us = _mm_set1_epi8('_'), lt = _mm_set1_epi8('<'), bar = _mm_set1_epi8('|');
    for (; at + 17 <= n; at += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + at));
        __m128i q = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq)), _mm_cmpeq_epi8(v, bt));
        unsigned quotes = (unsigned)_mm_movemask_epi8(q);
        if (!quotes) continue;
        __m128i w = _mm_loadu_si128((const __m128i *)(p + at + 1));
        __m128i g = _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, sp), _mm_cmpeq_epi8(w, tab)),
                                              _mm_or_si128(_mm_cmpeq_epi8(w, cr), _mm_cmpeq_epi8(w, lf))),
                                 _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, plus), _mm_cmpeq_epi8(w, dot)),
                                                           _mm_or_si128(_mm_cmpeq_epi8(w, bs), _mm_cmpeq_epi8(w, amp))),
                                              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, us), _mm_cmpeq_epi8(w, lt)),
                                                           _mm_cmpeq_epi8(w, bar))));
        unsigned gaps = (unsigned)_mm_movemask_epi8(g);
        // In order: a quote followed by a gap byte, or (rarely: `"a"f"b"`) by a string prefix.
        while (quotes) {
            unsigned bit = (unsigned)__builtin_ctz(quotes);
            size_t i = at + bit;
            if (((gaps >> bit) & 1 || is_prefix(p[i + 1])) && joins_after(p, n, i)) return i;
            quotes &= quotes - 1;
        }
    }
    for (; at < n; at++) if (is_quote(p[at]) && joins_after(p, n, at)) return at;
    return n;
}
#else
size_t keywarden_next_join(const uint8_t *p, size_t n, size_t from) {
    for (size_t at = from; at < n; at++) if (is_quote(p[at]) && joins_after(p, n, at)) return at;
    return n;
}
#endif
