// libpng 1.6. Reading uses the simplified png_image API, which reports errors without longjmp. Writing 8-bit images
// goes through cpng_write8 below: png_image cannot set zlib's level, and its default (6) spent 0.17 s on a 1024×768
// result where level 4 takes about a third of that for files 0.5 % larger.
#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H
#include <png.h>
#include <stddef.h>

/// Encodes `height` rows of `width` interleaved 8-bit samples with `channels` 1 (gray), 2 (gray+alpha), 3 (RGB) or
/// 4 (RGBA) as a PNG with an sRGB chunk, zlib at `level` (0–9) and libpng's adaptive row filters. On success returns
/// 1 and a malloc'ed buffer in *out (*size bytes; the caller frees it); on failure returns 0 and libpng's message in
/// `message` (at most `message_size` bytes, NUL-terminated).
int cpng_write8(const unsigned char *samples, int width, int height, int channels, int level,
                unsigned char **out, size_t *size, char *message, size_t message_size);

#endif
