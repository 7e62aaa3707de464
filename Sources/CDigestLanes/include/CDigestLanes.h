// PBKDF2-HMAC-SHA256's rounds for several passwords at once on the CPU's SHA extensions (x86-64 SHA-NI).
#ifndef KEYWARDEN_DIGEST_LANES_H
#define KEYWARDEN_DIGEST_LANES_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and SSSE3/SSE4.1) that `keywarden_pbkdf2_rounds` needs, else 0.
int keywarden_sha_extensions(void);

/// Runs `rounds` further PBKDF2-HMAC-SHA256 rounds for `lanes` independent derivations side by side.
/// For lane i (8 words each, SHA-256 state words in their usual order h0..h7):
///   inner[i], outer[i]: the SHA-256 states after the HMAC key's inner (0x36) and outer (0x5C) block;
///   u[i]:   the last U, as the 8 big-endian words of its 32 bytes; replaced by the last U computed;
///   sum[i]: the XOR of the Us so far, same form; every new U is XORed in.
/// Only call it when `keywarden_sha_extensions()` returned 1.
void keywarden_pbkdf2_rounds(size_t lanes, const uint32_t *inner, const uint32_t *outer, uint32_t *u, uint32_t *sum,
                             uint32_t rounds);

#endif
