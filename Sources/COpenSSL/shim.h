#pragma once
// One system library for OpenSSL (libcrypto and libssl), imported by Hashing and Verification.

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 (in favour of EVP) but still provided, and they
// hash without OpenSSL's library initialisation, which EVP's first use triggers and which cost a small
// scan about a fifth of its run time (see Hashing/Digest.swift).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>

/* SSL_set_tlsext_host_name and SSL_CTX_set_min_proto_version are macros Swift cannot call. */
static inline int keywarden_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline int keywarden_ssl_ctx_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
