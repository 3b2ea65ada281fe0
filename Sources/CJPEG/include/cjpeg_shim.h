// libjpeg-turbo wrapper: libjpeg reports errors with exit() or longjmp; these functions turn them into
// return codes (0 = success) plus a formatted one-line message. Corrupt-data warnings count as errors.
#ifndef CJPEG_SHIM_H
#define CJPEG_SHIM_H
#include <stddef.h>

#define NST_JPEG_MESSAGE_SIZE 200

// Colour space of the file (libjpeg's J_COLOR_SPACE, mapped so Swift needs no jpeglib.h).
enum { NST_JPEG_SPACE_OTHER = 0, NST_JPEG_SPACE_GRAY = 1, NST_JPEG_SPACE_RGB = 2, NST_JPEG_SPACE_YCBCR = 3,
       NST_JPEG_SPACE_CMYK = 4, NST_JPEG_SPACE_YCCK = 5 };

/// What the JPEG header says, read without decoding any scan.
typedef struct {
    int width, height;
    int components;       // components in the file (1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK)
    int color_space;      // one of NST_JPEG_SPACE_* below
    int progressive;      // 1 for SOF2 (progressive), else 0
    int adobe_marker;     // 1 if an Adobe APP14 marker was seen (CMYK stored inverted, Photoshop style)
} nst_jpeg_header;

/// Reads the header of an in-memory JPEG. Returns 0, or nonzero with `message` filled.
int nst_jpeg_read_header(const unsigned char *data, size_t size, nst_jpeg_header *header,
                         char message[NST_JPEG_MESSAGE_SIZE]);

/// Decodes an in-memory JPEG into interleaved 8-bit samples: 1 channel for grayscale files, else 3 (RGB;
/// CMYK and YCCK are converted, inverted Adobe CMYK included). `out` must hold width*height*channels bytes
/// as given by nst_jpeg_read_header (`out_size` is checked). Returns 0, or nonzero with `message` filled.
/// A progressive file with more than `max_scans` scans is refused (each scan is a pass over the whole image).
int nst_jpeg_decode(const unsigned char *data, size_t size, unsigned char *out, size_t out_size, int max_scans,
                    int *out_channels, char message[NST_JPEG_MESSAGE_SIZE]);

/// Encodes interleaved 8-bit samples (components 1 = gray, 3 = RGB, 4 = CMYK written Adobe-inverted as
/// Photoshop does) at `quality` 1...100. chroma444 != 0 keeps full chroma resolution (else 4:2:0);
/// progressive != 0 writes a progressive file. On success *out is malloc'ed (free with nst_jpeg_free).
int nst_jpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                    int chroma444, int progressive, unsigned char **out, unsigned long *out_size,
                    char message[NST_JPEG_MESSAGE_SIZE]);

/// Frees a buffer returned by nst_jpeg_encode.
void nst_jpeg_free(unsigned char *buffer);

#endif
