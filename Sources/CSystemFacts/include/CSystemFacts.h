#pragma once
// Facts the C library gives and Swift's Glibc module does not: the running program's build id, a file system's type.
#include <stddef.h>

/// Copies the GNU build id of the running program (the descriptor of its `NT_GNU_BUILD_ID` note, which the
/// linker computes from the linked output) into `out`, at most `size` bytes. Returns the number of bytes
/// copied, or -1 when the program carries no such note.
long keywarden_build_id(unsigned char *out, size_t size);

/// The type of the file system `path` is on (statfs's `f_type`, a magic number such as 0xEF53 for ext4), or -1
/// when it cannot be found.
long long keywarden_file_system_type(const char *path);
