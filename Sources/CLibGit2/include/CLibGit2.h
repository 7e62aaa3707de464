#pragma once
// libgit2, loaded on first use: a scan of plain files never opens a repository, and linking libgit2
// (with the libraries it pulls in: mbedTLS, libssh2, Kerberos, http-parser) cost every run about 2 ms of
// start-up. The types and constants come from libgit2's own headers; the functions keywarden calls are
// reached through `kw_`-prefixed forwarders (keywarden_git2_functions.h lists them) into the library
// `keywarden_git_load` opened.
#include <git2.h>
#include <git2/sys/repository.h>
#include "keywarden_git2_functions.h"

/// Opens libgit2 (once per process; later calls return the first answer). Returns NULL when it is loaded
/// with every function keywarden uses, else a message saying what failed (static storage). No `kw_`
/// function may be called before this has returned NULL.
const char *keywarden_git_load(void);

/// Whether `soname` opens as a libgit2 with every function keywarden uses (1), else 0 with `why` filled
/// in; the loaded library is not used. For tests of the failure path.
int keywarden_git_probe(const char *soname, char *why, size_t size);

#define KW_GIT2_DECLARE(ret, name, params, args) ret kw_##name params;
KW_GIT2_FUNCTIONS(KW_GIT2_DECLARE)
#undef KW_GIT2_DECLARE

/// How many times libgit2 asked mbedTLS to load CA certificates and was answered by keywarden's no-op
/// stand-ins (ca_bundle.c) instead: 1 after the first repository is opened when libgit2 is built on mbedTLS,
/// 0 when it is built on OpenSSL. For tests.
long keywarden_git_skipped_ca_loads(void);

/// git_libgit2_opts is variadic, which Swift cannot call: one fixed-signature wrapper per option used.

/// Turns off re-hashing every object read from the object database (git itself does not re-hash on
/// read either); zlib and pack-format errors are still reported.
int keywarden_git_set_strict_hash_verification(int enabled);

/// Objects of `type` larger than `bytes` are not kept in libgit2's object cache (0: none are).
int keywarden_git_set_cache_object_limit(git_object_t type, size_t bytes);

/// The size of each window libgit2 maps from a pack file.
int keywarden_git_set_mwindow_size(size_t bytes);

/// The most pack-file bytes libgit2 keeps mapped at once, across all repositories of the process.
int keywarden_git_set_mwindow_mapped_limit(size_t bytes);
