// cpng_write8: libpng's full write API behind one call, so Swift never sees its setjmp/longjmp error handling.
#include "cpng_shim.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct cpng_buffer { unsigned char *data; size_t size, capacity; int failed; };
struct cpng_error { jmp_buf jump; char *message; size_t message_size; };

static void cpng_write_data(png_structp png, png_bytep bytes, png_size_t length) {
    struct cpng_buffer *b = png_get_io_ptr(png);
    if (b->failed) return;
    if (b->size + length > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 65536;
        while (capacity < b->size + length) capacity *= 2;
        unsigned char *grown = realloc(b->data, capacity);
        if (!grown) { b->failed = 1; png_error(png, "out of memory"); }
        b->data = grown; b->capacity = capacity;
    }
    memcpy(b->data + b->size, bytes, length);
    b->size += length;
}

static void cpng_flush(png_structp png) { (void)png; }

static void cpng_fail(png_structp png, png_const_charp text) {
    struct cpng_error *e = png_get_error_ptr(png);
    if (e->message_size > 0) { strncpy(e->message, text, e->message_size - 1); e->message[e->message_size - 1] = 0; }
    longjmp(e->jump, 1);
}

static void cpng_warn(png_structp png, png_const_charp text) { (void)png; (void)text; }

int cpng_write8(const unsigned char *samples, int width, int height, int channels, int level,
                unsigned char **out, size_t *size, char *message, size_t message_size) {
    static const int types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    struct cpng_error error = {.message = message, .message_size = message_size};
    struct cpng_buffer buffer = {0};
    if (message_size > 0) message[0] = 0;
    if (channels < 1 || channels > 4 || width < 1 || height < 1) {
        if (message_size > 0) { strncpy(message, "bad image shape", message_size - 1); message[message_size - 1] = 0; }
        return 0;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, cpng_fail, cpng_warn);
    if (!png) {
        if (message_size > 0) { strncpy(message, "out of memory", message_size - 1); message[message_size - 1] = 0; }
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    // Set after setjmp and read after a longjmp back to it, so volatile: otherwise its value there is indeterminate.
    png_bytep *volatile rows = NULL;
    if (!info || setjmp(error.jump)) {
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        free(buffer.data);
        return 0;
    }
    rows = malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = (png_bytep)samples + (size_t)y * (size_t)width * (size_t)channels;
    png_set_write_fn(png, &buffer, cpng_write_data, cpng_flush);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_set_rows(png, info, rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    png_destroy_write_struct(&png, &info);
    free(rows);
    *out = buffer.data;
    *size = buffer.size;
    return 1;
}
