import Foundation
import Tessera

/// Linear algebra on chunked arrays, on BLAS and LAPACK (Dask's `dask.array.linalg`).
///
/// Every algorithm here builds a graph of block tasks, each task one or a few BLAS/LAPACK calls on
/// whole blocks (OpenBLAS runs single-threaded inside a task: the parallelism is across blocks).
///
/// - Products (`matmul`, `dot`, `tensordot`, in `ChunkedArray+Matmul.swift`): output block
///   `(i, j)` is the sum over contraction blocks `k` of `A[i, k]·B[k, j]`, one `?gemm` per block
///   pair. Consecutive pairs are accumulated in place (`beta = 1`) by one task; when there are
///   few output blocks and many contraction blocks the pairs are split into groups whose partial
///   products are summed in a tree (fan-in `fanIn`), so `xᵀ·x` of a tall array still runs on
///   every core.
/// - `qr` and `svd` (TSQR): for tall-and-skinny arrays cut along rows only. Each block is
///   factored locally, the small R factors are stacked and factored again up a tree, and Q is
///   recovered down the tree by applying each level's Householder reflectors.
/// - `solve`, `inv`, `cholesky`, `lstsq`: right-looking blocked LU with partial pivoting over
///   whole block columns, tiled Cholesky, and least squares through TSQR and the SVD of R.
/// - `lu`, `det`, `slogdet`: from the same blocked LU's panels; `eigh` on one gathered block.
/// - `qr` of a short-and-wide matrix cut along columns: one head factorisation, then Qᵀ·A_j per
///   column block (Dask's `sfqr`).
/// - `norm`: Frobenius, nuclear, 1, 2 and infinity norms of vectors and matrices.
public enum Linalg {
    /// How many partial-product tasks a product aims for when the output has few blocks: below
    /// this, contraction blocks are split into groups whose partial sums meet in a tree.
    public static let targetPartialTasks = 16
    /// Fan-in of the trees that sum partial products and stack R factors.
    public static let fanIn = 4

    /// The kernel set OpenBLAS runs (`SkylakeX`, `Haswell`, …), after Tessera's check that it
    /// matches the CPU (see OpenBLASKernels.swift); nil when the BLAS isn't OpenBLAS.
    public static var blasCore: String? {
        _ = OpenBLASKernels.ensured
        return dlopen(nil, RTLD_NOW).flatMap { OpenBLASKernels.currentCore($0) }
    }
}
