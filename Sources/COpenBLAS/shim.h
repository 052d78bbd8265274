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

/// Inverse of a triangular matrix in place (`uplo` "L"/"U", `diag` "N": the diagonal is stored).
void dtrtri_(const char *uplo, const char *diag, const int *n, double *a, const int *lda, int *info,
             size_t uplo_length, size_t diag_length);

/// Estimate of the reciprocal condition number of a triangular matrix (`norm` "1" or "I").
void dtrcon_(const char *norm, const char *uplo, const char *diag, const int *n, const double *a, const int *lda,
             double *rcond, double *work, int *iwork, int *info, size_t norm_length, size_t uplo_length,
             size_t diag_length);

/// Eigenvalues (ascending) and, with `jobz` "V", eigenvectors of a symmetric matrix by divide and conquer.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info, size_t jobz_length, size_t uplo_length);
