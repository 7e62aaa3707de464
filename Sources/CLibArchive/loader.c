// Loads libarchive with dlopen the first time an archive is opened and forwards keywarden's calls to it.
// Every function is looked up at load time, so a library missing one fails as a whole, at once, with a
// message, instead of at some later call.
#include "CLibArchive.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// The functions keywarden uses: X(return type, name, parameters, arguments).
#define KW_ARCHIVE_FUNCTIONS(X) \
    X(struct archive *, archive_read_new, (void), ()) \
    X(int, archive_read_free, (struct archive *a), (a)) \
    X(int, archive_read_support_filter_all, (struct archive *a), (a)) \
    X(int, archive_read_support_format_tar, (struct archive *a), (a)) \
    X(int, archive_read_support_format_zip, (struct archive *a), (a)) \
    X(int, archive_read_support_format_cpio, (struct archive *a), (a)) \
    X(int, archive_read_support_format_7zip, (struct archive *a), (a)) \
    X(int, archive_read_support_format_raw, (struct archive *a), (a)) \
    X(int, archive_read_open_memory, (struct archive *a, const void *buffer, size_t size), (a, buffer, size)) \
    X(int, archive_read_next_header, (struct archive *a, struct archive_entry **entry), (a, entry)) \
    X(la_ssize_t, archive_read_data, (struct archive *a, void *buffer, size_t size), (a, buffer, size)) \
    X(int, archive_read_has_encrypted_entries, (struct archive *a), (a)) \
    X(const char *, archive_error_string, (struct archive *a), (a)) \
    X(int, archive_format, (struct archive *a), (a)) \
    X(__LA_MODE_T, archive_entry_filetype, (struct archive_entry *entry), (entry)) \
    X(int, archive_entry_is_encrypted, (struct archive_entry *entry), (entry)) \
    X(const char *, archive_entry_pathname, (struct archive_entry *entry), (entry)) \
    X(const char *, archive_entry_pathname_utf8, (struct archive_entry *entry), (entry)) \
    X(la_int64_t, archive_entry_size, (struct archive_entry *entry), (entry)) \
    X(int, archive_entry_size_is_set, (struct archive_entry *entry), (entry))

// The library's soname (ABI 13 since libarchive 3.0).
static const char *const library = "libarchive.so.13";

typedef struct {
#define KW_FIELD(ret, name, params, args) __typeof__(&name) name;
    KW_ARCHIVE_FUNCTIONS(KW_FIELD)
#undef KW_FIELD
} functions;

static functions table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure;
static char message[512];

// Opens `soname` and looks up every function into `out`; 1 on success, else 0 with `why` filled in.
static int open_library(const char *soname, functions *out, char *why, size_t size) {
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *error = dlerror();
        snprintf(why, size, "libarchive could not be loaded (%s)", error ? error : soname);
        return 0;
    }
#define KW_RESOLVE(ret, name, params, args) \
    out->name = (__typeof__(&name))dlsym(handle, #name); \
    if (out->name == NULL) { \
        snprintf(why, size, "libarchive could not be loaded (%s has no %s)", soname, #name); \
        return 0; \
    }
    KW_ARCHIVE_FUNCTIONS(KW_RESOLVE)
#undef KW_RESOLVE
    return 1;
}

static void load(void) {
    functions found;
    if (open_library(library, &found, message, sizeof message)) table = found; else failure = message;
}

const char *keywarden_archive_load(void) {
    pthread_once(&once, load);
    return failure;
}

int keywarden_archive_probe(const char *soname, char *why, size_t size) {
    functions found;
    return open_library(soname, &found, why, size);
}

// A forwarder called before a successful load is a bug in keywarden: stop rather than call through NULL.
static void require_loaded(const char *name) {
    if (keywarden_archive_load() != NULL) {
        fprintf(stderr, "keywarden: internal error: %s called without libarchive loaded\n", name);
        abort();
    }
}

#define KW_FORWARD(ret, name, params, args) \
    ret kw_##name params { \
        require_loaded(#name); \
        return table.name args; \
    }
KW_ARCHIVE_FUNCTIONS(KW_FORWARD)
#undef KW_FORWARD
