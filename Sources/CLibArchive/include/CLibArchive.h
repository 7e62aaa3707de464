#pragma once
// libarchive, loaded on demand: keywarden opens archives rarely, and linking libarchive (with the ten
// libraries it pulls in: ICU, libxml2, the compressors) cost every run about 2 ms of start-up. The
// types and constants come from libarchive's own headers; the functions keywarden calls are reached
// through `kw_`-prefixed forwarders that call into the library `keywarden_archive_load` opened.
#include <archive.h>
#include <archive_entry.h>

/// Opens libarchive (once per process; later calls return the first answer). Returns NULL when it is
/// loaded with every function keywarden uses, else a message saying what failed (static storage).
/// No `kw_` function may be called before this has returned NULL.
const char *keywarden_archive_load(void);

/// Whether `soname` opens as a libarchive with every function keywarden uses (1), else 0 with `why` filled
/// in; the loaded library is not used. For tests of the failure path and for `doctor`.
int keywarden_archive_probe(const char *soname, char *why, size_t size);

struct archive *kw_archive_read_new(void);
int kw_archive_read_free(struct archive *a);
int kw_archive_read_support_filter_all(struct archive *a);
int kw_archive_read_support_format_tar(struct archive *a);
int kw_archive_read_support_format_zip(struct archive *a);
int kw_archive_read_support_format_cpio(struct archive *a);
int kw_archive_read_support_format_7zip(struct archive *a);
int kw_archive_read_support_format_raw(struct archive *a);
int kw_archive_read_open_memory(struct archive *a, const void *buffer, size_t size);
int kw_archive_read_next_header(struct archive *a, struct archive_entry **entry);
la_ssize_t kw_archive_read_data(struct archive *a, void *buffer, size_t size);
int kw_archive_read_has_encrypted_entries(struct archive *a);
const char *kw_archive_error_string(struct archive *a);
int kw_archive_format(struct archive *a);
__LA_MODE_T kw_archive_entry_filetype(struct archive_entry *entry);
int kw_archive_entry_is_encrypted(struct archive_entry *entry);
const char *kw_archive_entry_pathname(struct archive_entry *entry);
const char *kw_archive_entry_pathname_utf8(struct archive_entry *entry);
la_int64_t kw_archive_entry_size(struct archive_entry *entry);
int kw_archive_entry_size_is_set(struct archive_entry *entry);
