#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

// Opens `soname` and looks up every function of `library` into `slots`; 1 on success, else 0 with `why`.
// Lazily bound: with RTLD_NOW the dynamic linker resolved every function that libgit2 and the libraries it
// pulls in (Kerberos, mbedTLS, libssh2: about 2,500) might ever call, some 1.6 ms of CPU per git scan that
// uses a few dozen of them. Every function keywarden calls is still looked up here, so a library without
// one is refused at load time with a message, as before.
static int open_library(const keywarden_library *library, const char *soname, void **slots, char *why, size_t size) {
    void *handle = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (handle == NULL) {
        const char *error = dlerror();
        snprintf(why, size, "%s could not be loaded (%s)", library->label, error ? error : soname);
        return 0;
    }
    for (size_t i = 0; i < library->count; i++) {
        slots[i] = dlsym(handle, library->names[i]);
        if (slots[i] == NULL) {
            snprintf(why, size, "%s could not be loaded (%s has no %s)", library->label, soname, library->names[i]);
            return 0;
        }
    }
    return 1;
}

const char *keywarden_library_load(keywarden_library *library) {
    pthread_mutex_lock(&library->lock);
    if (__atomic_load_n(&library->state, __ATOMIC_ACQUIRE) == 0) {
        int loaded = open_library(library, library->soname, library->slots, library->message, sizeof library->message);
        __atomic_store_n(&library->state, loaded ? 1 : 2, __ATOMIC_RELEASE);
    }
    const char *result = __atomic_load_n(&library->state, __ATOMIC_ACQUIRE) == 1 ? NULL : library->message;
    pthread_mutex_unlock(&library->lock);
    return result;
}

int keywarden_library_probe(const keywarden_library *library, const char *soname, char *why, size_t size) {
    void **slots = calloc(library->count, sizeof *slots);
    if (slots == NULL) {
        snprintf(why, size, "%s could not be probed (out of memory)", library->label);
        return 0;
    }
    int ok = open_library(library, soname, slots, why, size);
    free(slots);
    return ok;
}

void keywarden_library_require_slow(keywarden_library *library, const char *function) {
    if (keywarden_library_load(library) != NULL) {
        fprintf(stderr, "keywarden: internal error: %s called without %s loaded\n", function, library->label);
        abort();
    }
}
