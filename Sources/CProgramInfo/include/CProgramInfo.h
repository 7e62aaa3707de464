#pragma once
// Facts about the running program's own image.
#include <stddef.h>

/// Copies the GNU build id of the running program (the descriptor of its `NT_GNU_BUILD_ID` note, which the
/// linker computes from the linked output) into `out`, at most `size` bytes. Returns the number of bytes
/// copied, or -1 when the program carries no such note.
long keywarden_build_id(unsigned char *out, size_t size);
