// libgit2 built on mbedTLS (Debian's libgit2-1.5 among others) parses the whole system CA bundle inside
// git_libgit2_init(), whether or not the process will ever open a TLS connection: about 3.6 ms of CPU on
// every git scan (a staged scan in the 27,000-entry benchmark monorepo spent a tenth of its time there).
// keywarden makes no network connection through libgit2 (it reads local repositories only; key
// verification has its own OpenSSL client), so the CA store libgit2 would build is never used.
//
// These two definitions take the place of mbedTLS's for libgit2: symbols of the executable come first in
// the dynamic linker's lookup, ahead of libmbedx509 which libgit2 pulls in when it is loaded. They load
// nothing and report success, leaving libgit2 an empty CA chain. Were a later version of keywarden to
// fetch over HTTPS through libgit2, every certificate would then fail verification (libgit2 checks the
// verification result itself): the failure is loud, never a silently trusted connection.
// A libgit2 built on OpenSSL never calls them (OpenSSL's CA store is read on first use only).
#include "CLibGit2.h"

#include <stdatomic.h>

static atomic_long skipped_loads;

__attribute__((visibility("default"), used)) int mbedtls_x509_crt_parse_file(void *chain, const char *path) {
    (void)chain, (void)path;
    atomic_fetch_add(&skipped_loads, 1);
    return 0;
}

__attribute__((visibility("default"), used)) int mbedtls_x509_crt_parse_path(void *chain, const char *path) {
    (void)chain, (void)path;
    atomic_fetch_add(&skipped_loads, 1);
    return 0;
}

long keywarden_git_skipped_ca_loads(void) { return atomic_load(&skipped_loads); }
