// OpenBLAS: CBLAS for GEMM, the thread-count control, and the one LAPACK routine we use.
#include <cblas.h>

void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_corename(void);

// Symmetric eigendecomposition (LAPACK, Fortran ABI), for whitening/colouring feature covariances.
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info);
