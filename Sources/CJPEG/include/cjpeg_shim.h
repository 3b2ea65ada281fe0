// libjpeg-turbo wrapper: errors become return codes (filled in by the ImageIO work).
#include <stddef.h>
