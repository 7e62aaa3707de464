#pragma once
// OpenSSL's libcrypto for SHA-256 and SHA-512 only (imported by Hashing), linked from its static archive:
// pure computation on keywarden's own data, with no start-up cost. TLS goes through CLibSSL, which loads
// the system's libssl when a connection is first made.

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 (in favour of EVP) but still provided, and they
// hash without OpenSSL's library initialisation, which EVP's first use triggers and which cost a small
// scan about a fifth of its run time (see Hashing/Digest.swift).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
