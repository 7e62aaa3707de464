// Loads libgit2 with dlopen the first time a repository is opened and forwards keywarden's calls to it.
// Each forwarder's type is checked against libgit2's own declaration.
#include "CLibGit2.h"

#include <CLibraryLoader.h>

// The library's soname: the ABI keywarden is built against (Debian 12: libgit2-1.5).
#define KW_STRING(x) #x
#define KW_SONAME(major, minor) "libgit2.so." KW_STRING(major) "." KW_STRING(minor)

// git_libgit2_opts is variadic: looked up like the others, called only by the fixed-argument wrappers below.
#define KW_ALL_FUNCTIONS(X) KW_GIT2_FUNCTIONS(X) X(int, git_libgit2_opts, (int option, ...), ())

KEYWARDEN_LIBRARY(git2, "libgit2", KW_SONAME(LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR), KW_ALL_FUNCTIONS)

const char *keywarden_git_load(void) { return keywarden_library_load(&git2); }

int keywarden_git_probe(const char *soname, char *why, size_t size) { return keywarden_library_probe(&git2, soname, why, size); }

#define KW_FORWARD(ret, name, params, args) KEYWARDEN_LIBRARY_FORWARD(git2, ret, name, params, args)
KW_GIT2_FUNCTIONS(KW_FORWARD)
#undef KW_FORWARD

int keywarden_git_set_strict_hash_verification(int enabled) {
    keywarden_library_require(&git2, "git_libgit2_opts");
    return KEYWARDEN_LIBRARY_CALL(git_libgit2_opts)(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

int keywarden_git_set_cache_object_limit(git_object_t type, size_t bytes) {
    keywarden_library_require(&git2, "git_libgit2_opts");
    return KEYWARDEN_LIBRARY_CALL(git_libgit2_opts)(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

int keywarden_git_set_mwindow_size(size_t bytes) {
    keywarden_library_require(&git2, "git_libgit2_opts");
    return KEYWARDEN_LIBRARY_CALL(git_libgit2_opts)(GIT_OPT_SET_MWINDOW_SIZE, bytes);
}

int keywarden_git_set_mwindow_mapped_limit(size_t bytes) {
    keywarden_library_require(&git2, "git_libgit2_opts");
    return KEYWARDEN_LIBRARY_CALL(git_libgit2_opts)(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, bytes);
}
