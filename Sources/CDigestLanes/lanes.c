// PBKDF2-HMAC-SHA256 rounds on SHA-NI, two derivations interleaved.
//
// Each round of PBKDF2 is two SHA-256 compressions that depend on each other, and a compression is 32
// sha256rnds2 instructions that depend on each other: one derivation waits on the instruction's latency most
// of the time. Two independent derivations interleaved round group by round group fill those waits: on the
// AMD EPYC these benchmarks run on, 10,000 rounds took 1.14 ms for one derivation and 1.20 ms for two side by
// side (three or four lanes gave no more: the SHA unit is then busy). The message of every round after the
// first is the previous U (32 bytes) padded to one block, so the state words of one compression are the
// message words of the next, with no byte swapping.
#include "CDigestLanes.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>
#include <immintrin.h>

#define KW_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))

int keywarden_sha_extensions(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1)) return 0;
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & bit_SHA) != 0;
}

static const uint32_t round_constants[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// A state h0..h7 as the two registers sha256rnds2 works on: ABEF holds (from the top lane down) h0 h1 h4 h5,
// CDGH holds h2 h3 h6 h7.
KW_SHA_TARGET static inline void state_in(const uint32_t *h, __m128i *abef, __m128i *cdgh) {
    __m128i low = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0xB1);        // h1 h0 h3 h2
    __m128i high = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(h + 4)), 0x1B); // h7 h6 h5 h4
    *abef = _mm_alignr_epi8(low, high, 8);
    *cdgh = _mm_blend_epi16(high, low, 0xF0);
}

// The inverse of state_in: the words h0..h3 and h4..h7 in memory order.
KW_SHA_TARGET static inline void state_out(__m128i abef, __m128i cdgh, __m128i *low, __m128i *high) {
    __m128i t = _mm_shuffle_epi32(abef, 0x1B);
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
    *low = _mm_blend_epi16(t, cdgh, 0xF0);
    *high = _mm_alignr_epi8(cdgh, t, 8);
}

// One round for N lanes: U = HMAC(key, U) is compress(outer, pad(compress(inner, pad(U)))). `low` and `high`
// hold U's words on entry and the new U's on return.
#define KW_COMPRESS_LANES(N, state_abef, state_cdgh)                                                           \
    do {                                                                                                        \
        __m128i s0[N], s1[N], w[N][4];                                                                          \
        for (int l = 0; l < N; l++) {                                                                           \
            s0[l] = state_abef[l];                                                                              \
            s1[l] = state_cdgh[l];                                                                              \
            w[l][0] = low[l];                                                                                   \
            w[l][1] = high[l];                                                                                  \
            w[l][2] = padding_words_8_11;                                                                       \
            w[l][3] = padding_words_12_15;                                                                      \
        }                                                                                                       \
        for (int g = 0; g < 16; g++) {                                                                          \
            const __m128i k = _mm_load_si128((const __m128i *)(round_constants + 4 * g));                       \
            for (int l = 0; l < N; l++) {                                                                       \
                __m128i *m = w[l];                                                                              \
                if (g >= 4) {                                                                                   \
                    __m128i t = _mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]);                                 \
                    t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4));                   \
                    m[g & 3] = _mm_sha256msg2_epu32(t, m[(g + 3) & 3]);                                         \
                }                                                                                               \
                __m128i x = _mm_add_epi32(m[g & 3], k);                                                         \
                s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], x);                                                 \
                s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(x, 0x0E));                        \
            }                                                                                                   \
        }                                                                                                       \
        for (int l = 0; l < N; l++)                                                                             \
            state_out(_mm_add_epi32(s0[l], state_abef[l]), _mm_add_epi32(s1[l], state_cdgh[l]), &low[l], &high[l]); \
    } while (0)

#define KW_ROUNDS_FUNCTION(N)                                                                                   \
    KW_SHA_TARGET static void rounds_##N(const uint32_t *inner, const uint32_t *outer, uint32_t *u, uint32_t *sum, \
                                         uint32_t rounds) {                                                     \
        /* The block after a 32-byte U: 0x80, zeros, the message length 96 bytes (the key block and U) = 768 bits. */ \
        const __m128i padding_words_8_11 = _mm_set_epi32(0, 0, 0, (int)0x80000000);                            \
        const __m128i padding_words_12_15 = _mm_set_epi32(768, 0, 0, 0);                                        \
        __m128i inner_abef[N], inner_cdgh[N], outer_abef[N], outer_cdgh[N], low[N], high[N], sum_low[N], sum_high[N]; \
        for (int l = 0; l < N; l++) {                                                                           \
            state_in(inner + 8 * l, &inner_abef[l], &inner_cdgh[l]);                                            \
            state_in(outer + 8 * l, &outer_abef[l], &outer_cdgh[l]);                                            \
            low[l] = _mm_loadu_si128((const __m128i *)(u + 8 * l));                                             \
            high[l] = _mm_loadu_si128((const __m128i *)(u + 8 * l + 4));                                        \
            sum_low[l] = _mm_loadu_si128((const __m128i *)(sum + 8 * l));                                       \
            sum_high[l] = _mm_loadu_si128((const __m128i *)(sum + 8 * l + 4));                                  \
        }                                                                                                       \
        for (uint32_t r = 0; r < rounds; r++) {                                                                 \
            KW_COMPRESS_LANES(N, inner_abef, inner_cdgh);                                                       \
            KW_COMPRESS_LANES(N, outer_abef, outer_cdgh);                                                       \
            for (int l = 0; l < N; l++) {                                                                       \
                sum_low[l] = _mm_xor_si128(sum_low[l], low[l]);                                                 \
                sum_high[l] = _mm_xor_si128(sum_high[l], high[l]);                                              \
            }                                                                                                   \
        }                                                                                                       \
        for (int l = 0; l < N; l++) {                                                                           \
            _mm_storeu_si128((__m128i *)(u + 8 * l), low[l]);                                                   \
            _mm_storeu_si128((__m128i *)(u + 8 * l + 4), high[l]);                                              \
            _mm_storeu_si128((__m128i *)(sum + 8 * l), sum_low[l]);                                             \
            _mm_storeu_si128((__m128i *)(sum + 8 * l + 4), sum_high[l]);                                        \
        }                                                                                                       \
    }

KW_ROUNDS_FUNCTION(1)
KW_ROUNDS_FUNCTION(2)

void keywarden_pbkdf2_rounds(size_t lanes, const uint32_t *inner, const uint32_t *outer, uint32_t *u, uint32_t *sum,
                             uint32_t rounds) {
    for (; lanes >= 2; lanes -= 2, inner += 16, outer += 16, u += 16, sum += 16) rounds_2(inner, outer, u, sum, rounds);
    if (lanes == 1) rounds_1(inner, outer, u, sum, rounds);
}

#else

int keywarden_sha_extensions(void) { return 0; }

void keywarden_pbkdf2_rounds(size_t lanes, const uint32_t *inner, const uint32_t *outer, uint32_t *u, uint32_t *sum,
                             uint32_t rounds) {
    (void)lanes, (void)inner, (void)outer, (void)u, (void)sum, (void)rounds;
    __builtin_trap();
}

#endif
