import CBLAS
import CLAPACKE

// The BLAS and LAPACK routines Tessera's linear algebra uses, behind one protocol so the
// algorithms are written once for Double (d-routines) and Float (s-routines).
//
// Layout conventions: blocks are row-major. BLAS takes row-major directly. The QR kernels call
// LAPACK in column-major on a column-major copy they make themselves (see HouseholderFactor.swift).
// Small factorisations (LU, Cholesky, SVD of an R) use LAPACKE's row-major interface.

/// Element types BLAS and LAPACK work on directly: `Double` and `Float`.
///
/// Integer arrays multiply in exact wrapping Int64 arithmetic instead (see `GemmPlan.runInteger`);
/// the factorisations need a floating-point type.
public protocol LinalgScalar: FloatingScalar {
    /// Machine epsilon of the type.
    static var _epsilon: Self { get }
    /// Row-major `C = alpha·op(A)·op(B) + beta·C` (`cblas_?gemm`).
    static func _gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                      a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                      beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Row-major triangular solve in place (`cblas_?trsm`): `op(A)·X = alpha·B` (left) or
    /// `X·op(A) = alpha·B` (right), B overwritten with X.
    static func _trsm(left: Bool, lower: Bool, transA: Bool, unitDiagonal: Bool, m: Int, n: Int,
                      alpha: Self, a: UnsafePointer<Self>, lda: Int, b: UnsafeMutablePointer<Self>, ldb: Int)
    /// Column-major QR factorisation with LAPACK's own choice of algorithm (`?geqr`: a
    /// cache-blocked TSQR for tall-skinny input); `tsize` -1 asks for the size of `t` in `t[0]`.
    static func _geqr(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, t: UnsafeMutablePointer<Self>, tsize: Int) -> Int32
    /// Column-major `C = Q·C` with Q from `?geqr` (`?gemqr`, side L, no transpose).
    static func _gemqrLeft(m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, t: UnsafePointer<Self>, tsize: Int,
                                      c: UnsafeMutablePointer<Self>, ldc: Int) -> Int32
    /// Row-major SVD by divide and conquer (`?gesdd`, jobz 'S': thin U and Vᵀ).
    static func _gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, s: UnsafeMutablePointer<Self>,
                       u: UnsafeMutablePointer<Self>, ldu: Int, vt: UnsafeMutablePointer<Self>, ldvt: Int) -> Int32
    /// Row-major LU with partial pivoting (`?getrf`); pivots are 1-based row numbers.
    static func _getrf(m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32
    /// Row-major Cholesky factorisation, lower (`?potrf` 'L').
    static func _potrf(n: Int, a: UnsafeMutablePointer<Self>, lda: Int) -> Int32
    /// Row-major symmetric eigendecomposition from the lower triangle by divide and conquer
    /// (`?syevd`, jobz 'V', uplo 'L'): eigenvalues ascending into `w`, eigenvectors over `a`'s columns.
    static func _syevd(n: Int, a: UnsafeMutablePointer<Self>, lda: Int, w: UnsafeMutablePointer<Self>) -> Int32
}

extension Double: LinalgScalar {
    public static var _epsilon: Double { .ulpOfOne }

    public static func _gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                             a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                             beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func _trsm(left: Bool, lower: Bool, transA: Bool, unitDiagonal: Bool, m: Int, n: Int,
                             alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int) {
        cblas_dtrsm(CblasRowMajor, left ? CblasLeft : CblasRight, lower ? CblasLower : CblasUpper,
                    transA ? CblasTrans : CblasNoTrans, unitDiagonal ? CblasUnit : CblasNonUnit,
                    blasint(m), blasint(n), alpha, a, blasint(lda), b, blasint(ldb))
    }

    public static func _geqr(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, t: UnsafeMutablePointer<Double>, tsize: Int) -> Int32 {
        LAPACKE_dgeqr(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(lda), t, Int32(tsize))
    }

    public static func _gemqrLeft(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, t: UnsafePointer<Double>, tsize: Int,
                                             c: UnsafeMutablePointer<Double>, ldc: Int) -> Int32 {
        LAPACKE_dgemqr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "N")),
                       Int32(m), Int32(n), Int32(k), a, Int32(lda), t, Int32(tsize), c, Int32(ldc))
    }

    public static func _gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, s: UnsafeMutablePointer<Double>,
                              u: UnsafeMutablePointer<Double>, ldu: Int, vt: UnsafeMutablePointer<Double>, ldvt: Int) -> Int32 {
        LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), Int32(m), Int32(n), a, Int32(lda), s,
                       u, Int32(ldu), vt, Int32(ldvt))
    }

    public static func _getrf(m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), a, Int32(lda), ipiv)
    }

    public static func _potrf(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int32 {
        LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(lda))
    }

    public static func _syevd(n: Int, a: UnsafeMutablePointer<Double>, lda: Int, w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), Int32(n), a, Int32(lda), w)
    }
}

extension Float: LinalgScalar {
    public static var _epsilon: Float { .ulpOfOne }

    public static func _gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    public static func _trsm(left: Bool, lower: Bool, transA: Bool, unitDiagonal: Bool, m: Int, n: Int,
                             alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int) {
        cblas_strsm(CblasRowMajor, left ? CblasLeft : CblasRight, lower ? CblasLower : CblasUpper,
                    transA ? CblasTrans : CblasNoTrans, unitDiagonal ? CblasUnit : CblasNonUnit,
                    blasint(m), blasint(n), alpha, a, blasint(lda), b, blasint(ldb))
    }

    public static func _geqr(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, t: UnsafeMutablePointer<Float>, tsize: Int) -> Int32 {
        LAPACKE_sgeqr(LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(lda), t, Int32(tsize))
    }

    public static func _gemqrLeft(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, t: UnsafePointer<Float>, tsize: Int,
                                             c: UnsafeMutablePointer<Float>, ldc: Int) -> Int32 {
        LAPACKE_sgemqr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "N")),
                       Int32(m), Int32(n), Int32(k), a, Int32(lda), t, Int32(tsize), c, Int32(ldc))
    }

    public static func _gesdd(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, s: UnsafeMutablePointer<Float>,
                              u: UnsafeMutablePointer<Float>, ldu: Int, vt: UnsafeMutablePointer<Float>, ldvt: Int) -> Int32 {
        LAPACKE_sgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), Int32(m), Int32(n), a, Int32(lda), s,
                       u, Int32(ldu), vt, Int32(ldvt))
    }

    public static func _getrf(m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int, ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        LAPACKE_sgetrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), a, Int32(lda), ipiv)
    }

    public static func _potrf(n: Int, a: UnsafeMutablePointer<Float>, lda: Int) -> Int32 {
        LAPACKE_spotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), a, Int32(lda))
    }

    public static func _syevd(n: Int, a: UnsafeMutablePointer<Float>, lda: Int, w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), Int32(n), a, Int32(lda), w)
    }
}
