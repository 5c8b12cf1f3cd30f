import Tessera

// QR of a short-and-wide matrix (m ≤ n) cut along columns (Dask's `sfqr`): with A = [A_head | …]
// where A_head is the first m columns, A_head = Q·R_head fixes Q (m × m) for the whole matrix,
// and every column block of R is Qᵀ·A_j — one gemm per block, in parallel. R's columns inside
// the head are read from R_head itself, so its lower triangle is exactly zero rather than
// rounding noise. Rows are gathered into one block first: a short matrix's rows fit one task.

extension Linalg {
    /// `qr` of a matrix no taller than it is wide, with any column chunking.
    static func shortWideQR<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> (q: ChunkedArray<T>, r: ChunkedArray<T>) {
        _ = OpenBLASKernels.ensured
        let m = a.shape[0], n = a.shape[1]
        let short = a.numBlocks[0] == 1 ? a : try a.rechunk(.sizes([[m], a.chunks[1]]))
        let widths = short.chunks[1]
        var starts = [0]
        for w in widths { starts.append(starts.last! + w) }
        let origin = starts
        let headBlocks = widths.indices.filter { origin[$0] < m || m == 0 && $0 == 0 }
        let head = Layer(kind: "qr-head", count: 1) { _ in
            TaskSpec(inputs: headBlocks.map { short.blockRef([0, $0]) }) { v in
                let tiles = v.map { $0 as! NDArray<T> }
                let whole = NDArray<T>(shape: [m, m]) { out in
                    guard let o = out.baseAddress, !out.isEmpty else { return }
                    for (b, t) in zip(headBlocks, tiles) {
                        let w = t.shape[1], c0 = origin[b], take = Swift.min(w, m - c0)
                        for i in 0..<m { (o + i * m + c0).update(from: t.pointer + i * w, count: take) }
                    }
                }
                return try HouseholderFactor(whole)
            }
        }
        let q = try oneBlock("qr-q", shape: [m, m], inputs: [head[0]]) { v in try (v[0] as! HouseholderFactor<T>).apply(identity(m)) }
        let qRef = q.blockRef([0, 0])
        let rLayer = Layer(kind: "qr-r", count: widths.count, grid: [1, widths.count]) { j in
            let c0 = origin[j], c1 = origin[j + 1]
            return TaskSpec(inputs: [head[0], qRef, short.blockRef([0, j])]) { v in
                let rHead = (v[0] as! HouseholderFactor<T>).r
                if c1 <= m { return columnSlice(rHead, c0..<c1) }
                let r = gemm(v[1] as! NDArray<T>, v[2] as! NDArray<T>, transA: true)
                let w = c1 - c0
                if c0 < m {
                    let p = r.mutablePointer
                    for i in 0..<m { for c in c0..<m { p[i * w + (c - c0)] = rHead.pointer[i * m + c] } }
                }
                return r
            }
        }
        return (q, try ChunkedArray(layer: rLayer, shape: [m, n], chunks: [[m], widths]))
    }
}
