#include <stddef.h>
#include <cblas.h>

// LAPACK routines of OpenBLAS (Fortran ABI: every argument by pointer, column-major matrices; a character
// argument is followed by its hidden length at the end of the list). OpenBLAS ships no lapacke.h here.

/// Cholesky factorisation of a symmetric positive-definite matrix (`uplo` "L": A = L·Lᵀ in the lower triangle).
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t uplo_length);

/// The same in double precision (CholeskyQR's small Gram matrices).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_length);

/// LQ factorisation of an m×n matrix (A = L·Q); `tau` and the lower part hold Q as Householder reflectors.
void sgelqf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork,
             int *info);

/// The first m rows of the orthogonal Q from `sgelqf_`'s reflectors, in place.
void sorglq_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
             const int *lwork, int *info);

/// Singular value decomposition by divide and conquer (`jobz` "S": the first min(m, n) singular vectors).
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s, float *u,
             const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork, int *iwork, int *info,
             size_t jobz_length);
