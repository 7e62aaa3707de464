#pragma once
// Loading a C library on first use (dlopen) instead of linking it: for libgit2 and libarchive, which most
// runs never need. A library is loaded whole: every function keywarden calls is looked up at once, so a
// library missing one is refused at load time, with a message, instead of failing at a later call.
#include <pthread.h>
#include <stddef.h>

typedef struct {
    /// The library's name in messages ("libgit2").
    const char *label;
    /// The file dlopen is given ("libgit2.so.1.5").
    const char *soname;
    /// The functions to look up, and where their addresses go (`count` of each).
    const char *const *names;
    void **slots;
    size_t count;
    /// Load state: 0 not tried, 1 loaded, 2 failed with `message`.
    pthread_mutex_t lock;
    int state;
    char message[512];
} keywarden_library;

/// Loads `library` (the first call; later calls return the first answer). NULL when every function is
/// there, else a message saying what failed (held in `library`).
const char *keywarden_library_load(keywarden_library *library);

/// Whether `soname` would serve as `library` (1), else 0 with `why` filled in. `library` is not changed.
int keywarden_library_probe(const keywarden_library *library, const char *soname, char *why, size_t size);

/// `keywarden_library_require` when the library is not known to be loaded yet.
void keywarden_library_require_slow(keywarden_library *library, const char *function);

/// Stops the process with a message when `library` is not loaded: a forwarder called before a successful
/// load is a bug in keywarden, and calling through a missing address would be worse. Once loaded, one
/// atomic read.
static inline void keywarden_library_require(keywarden_library *library, const char *function) {
    if (__builtin_expect(__atomic_load_n(&library->state, __ATOMIC_ACQUIRE) == 1, 1)) return;
    keywarden_library_require_slow(library, function);
}

// For a library's loader.c, given `LIST`, an X-macro of X(return type, name, parameters, arguments):

/// Defines the keywarden_library `VAR` for LIST's functions, with their names and address slots.
#define KEYWARDEN_LIBRARY(VAR, LABEL, SONAME, LIST) \
    enum { LIST(KEYWARDEN_LIBRARY_INDEX) kw_slot_count }; \
    static const char *const kw_names[] = { LIST(KEYWARDEN_LIBRARY_NAME) }; \
    static void *kw_slots[kw_slot_count]; \
    static keywarden_library VAR = { .label = LABEL, .soname = SONAME, .names = kw_names, .slots = kw_slots, \
                                     .count = kw_slot_count, .lock = PTHREAD_MUTEX_INITIALIZER };
#define KEYWARDEN_LIBRARY_INDEX(ret, name, params, args) kw_slot_##name,
#define KEYWARDEN_LIBRARY_NAME(ret, name, params, args) #name,

/// The loaded address of `name`, with its declared type.
#define KEYWARDEN_LIBRARY_CALL(name) ((__typeof__(&name))kw_slots[kw_slot_##name])

/// Defines `kw_NAME`, which forwards to `name` of `VAR` once loaded; its type must be exactly `name`'s.
#define KEYWARDEN_LIBRARY_FORWARD(VAR, ret, name, params, args) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&kw_##name), __typeof__(&name)), #name " differs from the library's"); \
    ret kw_##name params { \
        keywarden_library_require(&VAR, #name); \
        return KEYWARDEN_LIBRARY_CALL(name) args; \
    }
