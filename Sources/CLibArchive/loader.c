// Loads libarchive with dlopen the first time an archive is opened and forwards keywarden's calls to it.
// Each forwarder's type is checked against libarchive's own declaration.
#include "CLibArchive.h"

#include <CLibraryLoader.h>

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

// The soname: ABI 13 since libarchive 3.0.
KEYWARDEN_LIBRARY(archive, "libarchive", "libarchive.so.13", KW_ARCHIVE_FUNCTIONS)

const char *keywarden_archive_load(void) { return keywarden_library_load(&archive); }

int keywarden_archive_probe(const char *soname, char *why, size_t size) { return keywarden_library_probe(&archive, soname, why, size); }

#define KW_FORWARD(ret, name, params, args) KEYWARDEN_LIBRARY_FORWARD(archive, ret, name, params, args)
KW_ARCHIVE_FUNCTIONS(KW_FORWARD)
#undef KW_FORWARD
