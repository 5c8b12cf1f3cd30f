import Tessera

// TSQR (Demmel, Grigori, Hoemmen, Langou 2008; Benson, Gleich, Demmel 2013, as in Dask):
//
//   up:   every row block is factored locally (A_i = Q_i·R_i, compact form, HouseholderFactor);
//         groups of `Linalg.fanIn` R factors are stacked and factored again, level by level,
//         until one R remains — the R of the whole matrix.
//   down: Q is recovered from the top: a node's transform T (k × K; the identity at the root,
//         or the left singular vectors of R for the SVD) becomes Q_node·[T; 0], whose row slices
//         are its children's transforms; at the leaves Q_i·[T_i; 0] is the block of Q.
//
// Asking only for R never runs the down pass (the cull drops it), and Q is never formed densely
// per block: one `?gemqr` applies the reflectors to the small transform.

extension Linalg {
    /// The QR factorisation `a = q·r` with `q` (m × K) orthonormal columns and `r` (K × n) upper
    /// triangular, K = min(m, n) (NumPy's `mode="reduced"`). A tall-and-skinny matrix cut along
    /// rows goes through TSQR: `q` has `a`'s row chunks and `r` is one block. A short-and-wide
    /// matrix (m ≤ n) cut along columns is factored as Dask's `sfqr`: `q` is one block and `r`
    /// has `a`'s column chunks.
    ///
    /// ```swift
    /// let a = try ChunkedArray<Double>.random(shape: [2_000_000, 50], chunks: [100_000, 50])
    /// let (q, r) = try Linalg.qr(a)
    /// let (qv, rv) = try compute(q, r)
    /// ```
    /// - Parameter a: a 2-d matrix, tall and cut along rows only, or short (m ≤ n) and cut
    ///   along columns (its rows are gathered into one block).
    /// - Complexity: tall: O(m·n²) flops in one task per row block, plus O(n³) per tree node;
    ///   short: O(m³) for the head, then O(m²) per column of `r`, one task per column block.
    /// - Throws: `LinalgError.wrongDimensions` unless 2-d; `.notTallAndSkinny` when a taller than
    ///   wide `a` is cut along columns (the message gives the rechunk).
    public static func qr<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> (q: ChunkedArray<T>, r: ChunkedArray<T>) {
        if a.ndim == 2 {
            let m = a.shape[0], n = a.shape[1]
            if (m <= n && a.numBlocks[1] > 1) || (m < n && a.numBlocks[0] > 1) { return try shortWideQR(a) }
        }
        let t = try TSQR(a, operation: "qr")
        return (try t.q(transform: nil, columns: t.kRoot), try t.r())
    }
}

/// The graph of a TSQR factorisation (see the file header).
struct TSQR<T: LinalgScalar> {
    let a: ChunkedArray<T>
    /// Columns of `a`.
    let n: Int
    /// `levels[0]` factors the row blocks; each later level factors stacked R's of the one below;
    /// the last level has a single node, the root.
    let levels: [Layer]
    /// Rows of R of each node, per level.
    let ks: [[Int]]
    /// For levels ≥ 1: the range of nodes of the level below that each node stacks.
    let children: [[Range<Int>]]

    /// Rows of the final R: min(m, n).
    var kRoot: Int { ks.last![0] }
    var root: TaskRef { levels.last![0] }

    init(_ a: ChunkedArray<T>, operation: String) throws {
        guard a.ndim == 2 else { throw LinalgError.wrongDimensions(operation: operation, shape: a.shape, expected: "a 2-d matrix") }
        _ = OpenBLASKernels.ensured
        let m = a.shape[0], n = a.shape[1]
        let rowBlocks = a.chunks[0].count
        let fix = "Rechunk it first, e.g. a.rechunk(.sizes([a.chunks[0], [\(n)]])) for one block of columns"
        if a.chunks[1].count > 1 {
            throw LinalgError.notTallAndSkinny(operation: operation, shape: a.shape, chunks: a.chunks, suggestion: fix + ".")
        }
        if m < n && rowBlocks > 1 {
            throw LinalgError.notTallAndSkinny(operation: operation, shape: a.shape, chunks: a.chunks,
                                               suggestion: "A wide matrix must be one block: a.rechunk(.sizes([[\(m)], [\(n)]])).")
        }
        self.a = a
        self.n = n
        let leaves = Layer(kind: operation + "-local", count: rowBlocks, grid: [rowBlocks, 1]) { i in
            TaskSpec(inputs: [a.blockRef([i, 0])]) { v in try HouseholderFactor(v[0] as! NDArray<T>) }
        }
        var levels = [leaves]
        var ks = [a.chunks[0].map { Swift.min($0, n) }]
        var children: [[Range<Int>]] = [[]]
        let fan = Swift.max(2, Linalg.fanIn)
        while levels.last!.count > 1 {
            let below = levels.last!, belowK = ks.last!
            let count = (below.count + fan - 1) / fan
            let ranges = (0..<count).map { ($0 * fan)..<Swift.min(below.count, ($0 + 1) * fan) }
            let layer = Layer(kind: operation + "-stack", count: count) { j in
                TaskSpec(inputs: ranges[j].map { below[$0] }) { v in
                    let rs = v.map { ($0 as! HouseholderFactor<T>).r }
                    return try HouseholderFactor(vstack(rs, columns: n))
                }
            }
            levels.append(layer)
            ks.append(ranges.map { r in Swift.min(n, r.reduce(0) { $0 + belowK[$1] }) })
            children.append(ranges)
        }
        self.levels = levels
        self.ks = ks
        self.children = children
    }

    /// R (K × n) as a one-block array.
    func r() throws -> ChunkedArray<T> {
        let root = self.root
        let layer = Layer(kind: "qr-r", count: 1, grid: [1, 1]) { _ in
            TaskSpec(inputs: [root]) { v in (v[0] as! HouseholderFactor<T>).r }
        }
        return try ChunkedArray(layer: layer, shape: [kRoot, n], chunks: [[kRoot], [n]])
    }

    /// `Q·T` (m × columns) with `a`'s row chunks, where `transform` yields T (K × columns);
    /// `nil` means the identity, giving Q itself.
    func q(transform: TaskRef?, columns: Int) throws -> ChunkedArray<T> {
        let k = kRoot
        let top = levels.count - 1
        // The root's product Q_root·[T; 0].
        var above = Layer(kind: top == 0 ? "qr-q" : "qr-apply", count: 1, grid: top == 0 ? [1, 1] : nil) { [root] _ in
            TaskSpec(inputs: [root] + (transform.map { [$0] } ?? [])) { v in
                let f = v[0] as! HouseholderFactor<T>
                return try f.apply(v.count > 1 ? v[1] as! NDArray<T> : identity(k))
            }
        }
        var level = top - 1
        while level >= 0 {
            let parent = above, ranges = children[level + 1], lk = ks[level], nodes = levels[level]
            // parent index and row offset of each node in its parent's stacked R's
            var parentOf = [Int](repeating: 0, count: nodes.count), offset = [Int](repeating: 0, count: nodes.count)
            for (p, r) in ranges.enumerated() {
                var o = 0
                for j in r { parentOf[j] = p; offset[j] = o; o += lk[j] }
            }
            above = Layer(kind: level == 0 ? "qr-q" : "qr-apply", count: nodes.count, grid: level == 0 ? [nodes.count, 1] : nil) { [parentOf, offset] j in
                TaskSpec(inputs: [nodes[j], parent[parentOf[j]]]) { v in
                    let f = v[0] as! HouseholderFactor<T>
                    return try f.apply(rowSlice(v[1] as! NDArray<T>, offset[j]..<(offset[j] + lk[j])))
                }
            }
            level -= 1
        }
        return try ChunkedArray(layer: above, shape: [a.shape[0], columns], chunks: [a.chunks[0], [columns]])
    }
}
