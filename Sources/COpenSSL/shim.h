#pragma once
// SHA256_Init/Update/Final are deprecated in OpenSSL 3 (in favour of EVP) but still provided, and they
// hash without OpenSSL's library initialisation, which EVP's first use triggers and which cost a small
// scan about a fifth of its run time (see Hashing/Digest.swift).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
