// zlib: inflates the gzip-compressed IDX files of Fashion-MNIST.
#include <zlib.h>
