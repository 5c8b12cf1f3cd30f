import Tessera

// The one mechanism behind every product: output block `o` is the sum over `kBlocks` contraction
// steps of `product(A block, B block)`. Consecutive steps are accumulated in one task (in place,
// BLAS `beta = 1`); when the output has fewer than `Linalg.targetPartialTasks` blocks the steps
// are cut into groups, one task each, and their partial blocks are summed in a tree of fan-in
// `Linalg.fanIn`. So a 4×4-block product runs 16 tasks of 4 gemms, and `xᵀ·x` of a tall array
// (one output block, 20 contraction blocks) runs 16 partial tasks and a 2-level sum.

/// A lazy product of block pairs.
///
/// - Parameters:
///   - kind: the layer kind (`matmul`, `tensordot`).
///   - outShape, outGrid: the result's shape and blocks.
///   - kBlocks: the number of contraction steps per output block (at least 1).
///   - pair: the A and B block tasks of step `k` for output block index `o`.
///   - product: sums the products of the given block pairs into one output block of the given
///     shape (it runs in a task).
func contraction<T: ArrayScalar>(kind: String, outShape: [Int], outGrid: BlockGrid, kBlocks: Int,
                                 pair: @escaping @Sendable ([Int], Int) -> (TaskRef, TaskRef),
                                 product: @escaping @Sendable ([(NDArray<T>, NDArray<T>)], [Int]) throws -> NDArray<T>) -> ChunkedArray<T> {
    _ = OpenBLASKernels.ensured
    let outBlocks = Swift.max(outGrid.blockCount, 1)
    let kb = Swift.max(kBlocks, 1)
    var groups = Swift.min(kb, Swift.max(1, (Linalg.targetPartialTasks + outBlocks - 1) / outBlocks))
    let groupSize = (kb + groups - 1) / groups
    groups = (kb + groupSize - 1) / groupSize
    let g0 = groups
    let partial = Layer(kind: kind, count: outGrid.blockCount * groups,
                        grid: groups == 1 ? outGrid.counts : outGrid.counts + [groups]) { t in
        let o = t / g0, g = t % g0
        let idx = outGrid.index(o)
        let bshape = outGrid.shape(idx)
        var refs: [TaskRef] = []
        for k in (g * groupSize)..<Swift.min(kb, (g + 1) * groupSize) {
            let (a, b) = pair(idx, k)
            refs.append(a)
            refs.append(b)
        }
        return TaskSpec(inputs: refs) { values in
            var pairs: [(NDArray<T>, NDArray<T>)] = []
            pairs.reserveCapacity(values.count / 2)
            var i = 0
            while i < values.count {
                pairs.append((values[i] as! NDArray<T>, values[i + 1] as! NDArray<T>))
                i += 2
            }
            return try product(pairs, bshape)
        }
    }
    let layer = treeSum(partial, outGrid: outGrid, perOutput: groups, kind: kind + "-sum", as: T.self)
    return ChunkedArray(shape: outShape, grid: outGrid, node: ArrayNode(layer: layer))
}

/// Sums `perOutput` consecutive blocks of `partial` per output block in a tree of fan-in
/// `Linalg.fanIn`; the last level has exactly one task per output block.
func treeSum<T: ArrayScalar>(_ partial: Layer, outGrid: BlockGrid, perOutput: Int, kind: String, as _: T.Type) -> Layer {
    var level = partial, per = perOutput
    let fan = Swift.max(2, Linalg.fanIn)
    while per > 1 {
        let next = (per + fan - 1) / fan
        let prev = level, prevPer = per
        level = Layer(kind: kind, count: outGrid.blockCount * next,
                      grid: next == 1 ? outGrid.counts : outGrid.counts + [next]) { t in
            let o = t / next, g = t % next
            let refs = ((g * fan)..<Swift.min(prevPer, (g + 1) * fan)).map { prev[o * prevPer + $0] }
            return TaskSpec(inputs: refs) { values in sumBlocks(values.map { $0 as! NDArray<T> }) }
        }
        per = next
    }
    return level
}

/// How one operand block is presented to gemm as a matrix.
enum GemmView: Sendable {
    /// Row-major as stored: rows are the leading axes.
    case plain
    /// Stored transposed: gemm reads it with `trans`.
    case transposed
    /// Needs a copy with its axes permuted first.
    case permuted([Int])
}

/// Sums `op(A)·op(B)` over block pairs into one output block, in the BLAS type `G`.
///
/// `rowsA`/`rowsB` say how many leading axes (after any permutation) form the rows of each
/// operand's matrix: A is (M × K), B is (K × N). `batch` > 0 means the first `batch` axes of the
/// output are a batch over which separate gemms run; `sharedA`/`sharedB` mark an operand without
/// the batch axes (reused for every batch element).
struct GemmPlan: Sendable {
    var viewA: GemmView
    var viewB: GemmView
    var freeAxesA: [Int]
    var freeAxesB: [Int]
    var contractedAxesA: [Int]
    var contractedAxesB: [Int]
    var batch = 0
    var sharedA = false
    var sharedB = false

    func run<T: ArrayScalar, G: LinalgScalar>(_ pairs: [(NDArray<T>, NDArray<T>)], outShape: [Int], _: G.Type) -> NDArray<T> {
        let nb = outShape.prefix(batch).reduce(1, *)
        let c = NDArray<G>(shape: outShape) { _ in }
        if c.count == 0 { return converted(c, to: T.self) }
        let cp = c.mutablePointer
        // The first gemm overwrites (beta = 0), so the block needs no zero-filling pass.
        var started = false
        for (a0, b0) in pairs {
            let a = converted(a0, to: G.self), b = converted(b0, to: G.self)
            let m = freeAxesA.map { a.shape[$0] }.reduce(1, *)
            let k = contractedAxesA.map { a.shape[$0] }.reduce(1, *)
            let n = freeAxesB.map { b.shape[$0] }.reduce(1, *)
            if k == 0 { continue }
            let (am, transA) = view(a, viewA)
            let (bm, transB) = view(b, viewB)
            let lda = Swift.max(transA ? m : k, 1), ldb = Swift.max(transB ? k : n, 1)
            for e in 0..<nb {
                G._gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                        a: am.pointer + (sharedA ? 0 : e * m * k), lda: lda,
                        b: bm.pointer + (sharedB ? 0 : e * k * n), ldb: ldb,
                        beta: started ? 1 : 0, c: cp + e * m * n, ldc: Swift.max(n, 1))
            }
            started = true
        }
        if !started { cp.initialize(repeating: 0, count: c.count) }
        return converted(c, to: T.self)
    }

    /// The same sum of products in exact wrapping Int64 arithmetic, for integer element types.
    /// The result is the true integer product modulo 2⁶⁴ (then truncated to the element type),
    /// which is NumPy's wrap-around and, addition modulo 2⁶⁴ being associative, the same for
    /// every chunking. Going through Double would round products above 2⁵³ and clamp on overflow.
    /// - Complexity: O(m·n·k) per pair, inner loop over contiguous rows of B (vectorised).
    func runInteger<T: ArrayScalar>(_ pairs: [(NDArray<T>, NDArray<T>)], outShape: [Int]) -> NDArray<T> {
        let nb = outShape.prefix(batch).reduce(1, *)
        let count = outShape.reduce(1, *)
        let c = NDArray<Int64>(shape: outShape) { $0.initialize(repeating: 0) }
        if count == 0 { return converted(c, to: T.self) }
        let cp = c.mutablePointer
        for (a0, b0) in pairs {
            let a = converted(a0, to: Int64.self), b = converted(b0, to: Int64.self)
            let m = freeAxesA.map { a.shape[$0] }.reduce(1, *)
            let k = contractedAxesA.map { a.shape[$0] }.reduce(1, *)
            let n = freeAxesB.map { b.shape[$0] }.reduce(1, *)
            if k == 0 || m == 0 || n == 0 { continue }
            // Row-major (m × k) and (k × n) matrices: the free-then-contracted axis order that
            // every view (plain, transposed, permuted) stands for; batched plans are plain.
            let am = batch > 0 ? a : permuted(a, freeAxesA + contractedAxesA)
            let bm = batch > 0 ? b : permuted(b, contractedAxesB + freeAxesB)
            for e in 0..<nb {
                let ap = am.pointer + (sharedA ? 0 : e * m * k), bp = bm.pointer + (sharedB ? 0 : e * k * n)
                let ce = cp + e * m * n
                for i in 0..<m {
                    let row = ce + i * n
                    for p in 0..<k {
                        let x = ap[i * k + p]
                        if x == 0 { continue }
                        let brow = bp + p * n
                        for j in 0..<n { row[j] &+= x &* brow[j] }
                    }
                }
            }
        }
        return converted(c, to: T.self)
    }

    private func view<G>(_ a: NDArray<G>, _ v: GemmView) -> (NDArray<G>, Bool) {
        switch v {
        case .plain: return (a, false)
        case .transposed: return (a, true)
        case .permuted(let axes): return (permuted(a, axes), false)
        }
    }
}

extension ChunkedArray {
    /// Runs a gemm plan in the BLAS type for this element type (Float in single precision,
    /// Double in double precision), or in exact wrapping Int64 arithmetic for integers.
    static func runPlan(_ plan: GemmPlan, _ pairs: [(NDArray<Scalar>, NDArray<Scalar>)], _ outShape: [Int]) -> NDArray<Scalar> {
        switch Scalar.dtype {
        case .float32: return plan.run(pairs, outShape: outShape, Float.self)
        case .float64: return plan.run(pairs, outShape: outShape, Double.self)
        case .int64, .int32, .bool: return plan.runInteger(pairs, outShape: outShape)
        }
    }
}
