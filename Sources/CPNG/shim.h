// libpng 1.6: we use the simplified png_image API, which reports errors without longjmp.
#include <png.h>
