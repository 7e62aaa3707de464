#define _GNU_SOURCE
#include "CSystemFacts.h"

#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/vfs.h>

typedef struct {
    unsigned char *out;
    size_t size;
    long length;
} build_id_search;

// Looks through the note segments of the first object dl_iterate_phdr reports, which is the program itself
// (its segments are mapped, so the notes are read from memory), then stops the iteration.
static int visit(struct dl_phdr_info *info, size_t info_size, void *data) {
    (void)info_size;
    build_id_search *search = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_NOTE) continue;
        const unsigned char *at = (const unsigned char *)(info->dlpi_addr + segment->p_vaddr);
        size_t left = segment->p_memsz;
        while (left >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) note;
            memcpy(&note, at, sizeof note);
            size_t name = ((size_t)note.n_namesz + 3) & ~(size_t)3, descriptor = ((size_t)note.n_descsz + 3) & ~(size_t)3;
            if (name > left || descriptor > left || sizeof note + name + descriptor > left) break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && memcmp(at + sizeof note, "GNU", 4) == 0 && note.n_descsz > 0) {
                size_t length = note.n_descsz < search->size ? note.n_descsz : search->size;
                memcpy(search->out, at + sizeof note + name, length);
                search->length = (long)length;
                return 1;
            }
            at += sizeof note + name + descriptor;
            left -= sizeof note + name + descriptor;
        }
    }
    return 1;
}

long keywarden_build_id(unsigned char *out, size_t size) {
    build_id_search search = {out, size, -1};
    dl_iterate_phdr(visit, &search);
    return search.length;
}

long long keywarden_file_system_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long long)info.f_type;
}
