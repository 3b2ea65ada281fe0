// libjpeg-turbo behind return codes: an error manager whose error_exit longjmps back into the shim function
// that set it up, so no libjpeg error can exit() the process. Warnings about corrupt data are errors too,
// so a truncated file never decodes to a half-grey image.
#include "cjpeg_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char *message;
} shim_error_mgr;

static void shim_error_exit(j_common_ptr cinfo) {
    shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
    char buffer[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, buffer);
    snprintf(err->message, NST_JPEG_MESSAGE_SIZE, "%s", buffer);
    longjmp(err->jump, 1);
}

// Level -1 is a warning. Those that mean the data is damaged abort decoding; the few harmless ones
// (unknown JFIF revision, unknown Adobe transform, bad ICC marker, which we do not use) are ignored.
static void shim_emit_message(j_common_ptr cinfo, int level) {
    if (level != -1) return;
    int code = cinfo->err->msg_code;
    if (code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC) return;
    shim_error_exit(cinfo);
}

// A progressive JPEG may split its data into many scans, and the decoder does a full pass over the coefficient
// buffer for each: a small crafted file with thousands of scans costs minutes. Real encoders write about 10
// (libjpeg's default progression); libjpeg-turbo's own tools cap at 500 (ImageLimits.maxProgressiveScans).
typedef struct {
    struct jpeg_progress_mgr pub;
    int max_scans;
} shim_progress_mgr;

static void shim_progress_monitor(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    int max_scans = ((shim_progress_mgr *)cinfo->progress)->max_scans;
    if (d->input_scan_number > max_scans) {
        shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
        snprintf(err->message, NST_JPEG_MESSAGE_SIZE, "progressive JPEG has more than %d scans", max_scans);
        longjmp(err->jump, 1);
    }
}

static void shim_init_errors(shim_error_mgr *err, char *message) {
    jpeg_std_error(&err->pub);
    err->pub.error_exit = shim_error_exit;
    err->pub.emit_message = shim_emit_message;
    err->message = message;
    message[0] = 0;
}

int nst_jpeg_read_header(const unsigned char *data, size_t size, nst_jpeg_header *header,
                         char message[NST_JPEG_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    shim_error_mgr err;
    shim_init_errors(&err, message);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    header->width = (int)cinfo.image_width;
    header->height = (int)cinfo.image_height;
    header->components = cinfo.num_components;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: header->color_space = NST_JPEG_SPACE_GRAY; break;
    case JCS_RGB: header->color_space = NST_JPEG_SPACE_RGB; break;
    case JCS_YCbCr: header->color_space = NST_JPEG_SPACE_YCBCR; break;
    case JCS_CMYK: header->color_space = NST_JPEG_SPACE_CMYK; break;
    case JCS_YCCK: header->color_space = NST_JPEG_SPACE_YCCK; break;
    default: header->color_space = NST_JPEG_SPACE_OTHER; break;
    }
    header->progressive = cinfo.progressive_mode ? 1 : 0;
    header->adobe_marker = cinfo.saw_Adobe_marker ? 1 : 0;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}

int nst_jpeg_decode(const unsigned char *data, size_t size, unsigned char *out, size_t out_size, int max_scans,
                    int *out_channels, char message[NST_JPEG_MESSAGE_SIZE]) {
    struct jpeg_decompress_struct cinfo;
    shim_error_mgr err;
    JSAMPLE *volatile row = NULL;   // volatile: freed after a longjmp
    shim_init_errors(&err, message);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        free(row);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    shim_progress_mgr progress = { .pub = { .progress_monitor = shim_progress_monitor }, .max_scans = max_scans };
    cinfo.progress = &progress.pub;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    int gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    cinfo.out_color_space = cmyk ? JCS_CMYK : (gray ? JCS_GRAYSCALE : JCS_RGB);
    int inverted = cmyk && cinfo.saw_Adobe_marker;
    jpeg_start_decompress(&cinfo);
    size_t width = cinfo.output_width, height = cinfo.output_height;
    int channels = gray ? 1 : 3;
    if (width * height * (size_t)channels != out_size) {
        snprintf(message, NST_JPEG_MESSAGE_SIZE, "decoded size %zux%zu does not match the header", width, height);
        jpeg_destroy_decompress(&cinfo);
        return 2;
    }
    if (cmyk) {
        row = malloc(width * 4);
        if (!row) {
            snprintf(message, NST_JPEG_MESSAGE_SIZE, "out of memory");
            jpeg_destroy_decompress(&cinfo);
            return 3;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        unsigned char *dst = out + (size_t)cinfo.output_scanline * width * channels;
        JSAMPROW target = cmyk ? row : dst;
        jpeg_read_scanlines(&cinfo, &target, 1);
        if (!cmyk) continue;
        // Naive CMYK -> RGB (no ICC): R = (1-C)(1-K). Adobe files store 1-C and 1-K directly.
        for (size_t x = 0; x < width; x++) {
            unsigned c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2], k = row[4 * x + 3];
            if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
            dst[3 * x] = (unsigned char)((c * k + 127) / 255);
            dst[3 * x + 1] = (unsigned char)((m * k + 127) / 255);
            dst[3 * x + 2] = (unsigned char)((y * k + 127) / 255);
        }
    }
    jpeg_finish_decompress(&cinfo);
    free(row);
    jpeg_destroy_decompress(&cinfo);
    *out_channels = channels;
    return 0;
}

int nst_jpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                    int chroma444, int progressive, unsigned char **out, unsigned long *out_size,
                    char message[NST_JPEG_MESSAGE_SIZE]) {
    struct jpeg_compress_struct cinfo;
    shim_error_mgr err;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    JSAMPLE *volatile row = NULL;
    shim_init_errors(&err, message);
    cinfo.err = &err.pub;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        free(row);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : (components == 4 ? JCS_CMYK : JCS_RGB);
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    if (chroma444 && components == 3) {
        for (int i = 0; i < cinfo.num_components; i++) {
            cinfo.comp_info[i].h_samp_factor = 1;
            cinfo.comp_info[i].v_samp_factor = 1;
        }
    }
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    size_t stride = (size_t)width * components;
    if (components == 4) row = malloc(stride);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW source = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * stride);
        if (components == 4) {
            // Photoshop convention, which readers expect with the Adobe marker libjpeg writes for CMYK.
            for (size_t i = 0; i < stride; i++) row[i] = (JSAMPLE)(255 - source[i]);
            source = row;
        }
        jpeg_write_scanlines(&cinfo, &source, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(row);
    *out = buffer;
    *out_size = buffer_size;
    return 0;
}

void nst_jpeg_free(unsigned char *buffer) { free(buffer); }
