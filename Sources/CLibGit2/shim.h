#pragma once
#include <git2.h>
#include <git2/sys/repository.h>

/// git_libgit2_opts is variadic, which Swift cannot call: one fixed-signature wrapper per option used.

/// Turns off re-hashing every object read from the object database (git itself does not re-hash on
/// read either); zlib and pack-format errors are still reported.
static inline int keywarden_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// Objects of `type` larger than `bytes` are not kept in libgit2's object cache (0: none are).
static inline int keywarden_git_set_cache_object_limit(git_object_t type, size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

/// The size of each window libgit2 maps from a pack file.
static inline int keywarden_git_set_mwindow_size(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, bytes);
}

/// The most pack-file bytes libgit2 keeps mapped at once, across all repositories of the process.
static inline int keywarden_git_set_mwindow_mapped_limit(size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes);
}
