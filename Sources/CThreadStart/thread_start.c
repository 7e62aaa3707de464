#define _GNU_SOURCE
#include "CThreadStart.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    void *(*body)(void *);
    void *argument;
    int widen;
    cpu_set_t allowed;
} start_record;

static void *trampoline(void *raw) {
    start_record record = *(start_record *)raw;
    free(raw);
    // Best effort: a thread left on the other cores still does its work.
    if (record.widen) (void)pthread_setaffinity_np(pthread_self(), sizeof record.allowed, &record.allowed);
    return record.body(record.argument);
}

// pthread_create with `record` for the trampoline, on `cores` (NULL: wherever the system places it).
static int create(pthread_t *thread, start_record *record, int detached, const cpu_set_t *cores) {
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return -1;
    int rc = 0;
    if (detached) rc = pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (rc == 0 && cores != NULL) rc = pthread_attr_setaffinity_np(&attributes, sizeof *cores, cores);
    if (rc == 0) rc = pthread_create(thread, &attributes, trampoline, record);
    pthread_attr_destroy(&attributes);
    return rc;
}

int keywarden_thread_start(void *(*body)(void *), void *argument, int detached, pthread_t *thread) {
    start_record *record = malloc(sizeof *record);
    if (record == NULL) return -1;
    record->body = body;
    record->argument = argument;
    record->widen = 0;
    int here = sched_getcpu();
    if (here >= 0 && sched_getaffinity(0, sizeof record->allowed, &record->allowed) == 0 && CPU_COUNT(&record->allowed) > 1
        && CPU_ISSET(here, &record->allowed)) {
        cpu_set_t others = record->allowed;
        CPU_CLR(here, &others);
        record->widen = 1;
        if (create(thread, record, detached, &others) == 0) return 0;
        // Refused on the narrowed set of cores (a set the system no longer allows): created plainly instead.
        record->widen = 0;
    }
    int rc = create(thread, record, detached, NULL);
    if (rc != 0) free(record);
    return rc;
}

long keywarden_thread_allowed_cores(unsigned char *out, size_t size) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    size_t n = size < sizeof set ? size : sizeof set;
    memcpy(out, &set, n);
    return (long)n;
}
