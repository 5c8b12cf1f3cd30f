import Tessera

// Whole-array statistics whose partial results are lists or histograms rather than one state
// per element: each block task computes a partial result, partials merge in a tree of `fanIn`
// inputs, and one task finishes.

/// NumPy's sort order: NaN after everything.
@inline(__always) func lessNaNLast<T: ArrayScalar>(_ a: T, _ b: T) -> Bool {
    !a._isNaN && (b._isNaN || T._less(a, b))
}

/// NumPy's `_lerp`: `a + (b − a)·t`, but `b − (b − a)·(1 − t)` from t = 0.5 on, so that
/// `percentile([-inf, 1, 2, inf], 25)` is −inf rather than NaN and the result is monotone in t.
/// It reproduces NumPy's NaN where the formula meets inf·0 (the 0th and 100th percentile of
/// data with an infinite end).
@inline(__always) func numpyLerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
    let diff = b - a
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
}

/// Merges `refs` pairwise-up in a tree of `fanIn`-input tasks down to one task.
func treeReduce(_ refs: [TaskRef], name: String, fanIn: Int, _ merge: @escaping @Sendable ([Any]) throws -> Any) -> TaskRef {
    var level = refs
    repeat {
        let prev = level
        let count = (prev.count + fanIn - 1) / fanIn
        let layer = Layer(kind: name, count: count) { g in
            TaskSpec(inputs: Array(prev[(g * fanIn)..<Swift.min(prev.count, (g + 1) * fanIn)]), run: merge)
        }
        level = layer.refs
    } while level.count > 1
    return level[0]
}

extension ChunkedArray {
    /// One task per block applying `partial` to the block's values (the expression is fused in).
    func blockPartials(_ name: String, _ partial: @escaping @Sendable (UnsafeBufferPointer<Scalar>) throws -> Any) -> [TaskRef] {
        let src = materialized()
        let layer = Layer(kind: name, count: src.blockCount, grid: src.numBlocks) { i in
            TaskSpec(inputs: [src.layer[i]]) { v in try (v[0] as! NDArray<Scalar>).withUnsafeBufferPointer(partial) }
        }
        return layer.refs
    }

    /// Exact percentiles `q` (0...100) of all elements with linear interpolation (NumPy's default
    /// method); NaN when any element is NaN. All values meet in one task to be sorted.
    /// - Throws: `ArrayError.invalidArgument` for q outside 0...100 or an empty array.
    public func percentile(_ q: [Double]) throws -> ChunkedArray<Double> {
        try quantile(q.map { $0 / 100 }, name: "percentile")
    }

    /// Exact quantiles `q` (0...1) of all elements, linear interpolation.
    /// - Throws: `ArrayError.invalidArgument` for q outside 0...1 or an empty array.
    public func quantile(_ q: [Double], name: String = "quantile") throws -> ChunkedArray<Double> {
        guard q.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw ArrayError.invalidArgument(operation: name, reason: "quantiles must lie in [0, 1] (percentiles in [0, 100]), got \(q)")
        }
        guard count > 0 else { throw ArrayError.invalidArgument(operation: name, reason: "empty array of shape \(fmt(shape))") }
        let parts = blockPartials("\(name)-chunk") { $0.map(\._double) }
        let layer = Layer(kind: name, count: 1, grid: [1]) { _ in
            TaskSpec(inputs: parts) { values in
                var all = values.flatMap { $0 as! [Double] }
                if all.contains(where: \.isNaN) { return NDArray([Double](repeating: .nan, count: q.count)) }
                all.sort()
                return NDArray(q.map { p -> Double in
                    let pos = p * Double(all.count - 1)
                    let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, all.count - 1)
                    return numpyLerp(all[lo], all[hi], pos - Double(lo))
                })
            }
        }
        return try ChunkedArray<Double>(layer: layer, shape: [q.count], chunks: [[q.count]])
    }

    /// The sorted distinct elements (NaNs count as one value, last), as Dask's `unique`: one
    /// block whose length is only known after computing.
    /// - Parameter fanIn: how many partial results one merge task takes.
    /// - Returns: a lazy 1-d array of unknown length (see ``UnknownLengthArray``).
    /// - Complexity: O(n log n / blocks) per block in parallel, then merges of the distinct values.
    public func unique(fanIn: Int = defaultFanIn) -> UnknownLengthArray<Scalar> {
        @Sendable func distinct(_ v: [Scalar]) -> [Scalar] {
            let s = v.sorted(by: lessNaNLast)
            var out: [Scalar] = []
            for x in s where out.isEmpty || !(out.last! == x || (out.last!._isNaN && x._isNaN)) { out.append(x) }
            return out
        }
        let parts = blockPartials("unique-chunk") { distinct(Array($0)) }
        let root = treeReduce(parts, name: "unique-combine", fanIn: Swift.max(2, fanIn)) { values in distinct(values.flatMap { $0 as! [Scalar] }) }
        let layer = Layer(kind: "unique", count: 1) { _ in TaskSpec(inputs: [root]) { NDArray($0[0] as! [Scalar]) } }
        return UnknownLengthArray(blocks: layer.refs)
    }

    /// Equal-width histogram of the elements over `range` (NumPy's `histogram`: the last bin
    /// includes its right edge; values outside the range and NaNs are not counted).
    /// - Returns: the counts (a lazy array of `bins` elements) and the `bins + 1` edges.
    /// - Throws: `ArrayError.invalidArgument` for bins < 1 or an empty or non-finite range.
    public func histogram(bins: Int, range: (Double, Double), fanIn: Int = defaultFanIn) throws -> (counts: ChunkedArray<Int64>, edges: NDArray<Double>) {
        let (lo, hi) = range
        guard bins >= 1, lo.isFinite, hi.isFinite, hi > lo else {
            throw ArrayError.invalidArgument(operation: "histogram", reason: "need bins ≥ 1 and a finite range with max > min, got \(bins) bins over \(range)")
        }
        // Edges as NumPy's linspace makes them (lo + i·step), so values on edges land where NumPy puts them.
        let step = (hi - lo) / Double(bins)
        let edges = (0...bins).map { $0 == bins ? hi : lo + Double($0) * step }
        let parts = blockPartials("histogram-chunk") { values -> [Int64] in
            var c = [Int64](repeating: 0, count: bins)
            let scale = Double(bins) / (hi - lo)
            for v in values {
                let x = v._double
                guard x >= lo && x <= hi else { continue }
                var b = Swift.min(Int((x - lo) * scale), bins - 1)
                // Floating rounding can put x one bin off its edges; fix against the edges.
                if x < edges[b] { b -= 1 } else if b + 1 < bins && x >= edges[b + 1] { b += 1 }
                c[b] += 1
            }
            return c
        }
        let root = treeReduce(parts, name: "histogram-combine", fanIn: Swift.max(2, fanIn)) { values in
            var c = values[0] as! [Int64]
            for v in values.dropFirst() { for (i, x) in (v as! [Int64]).enumerated() { c[i] += x } }
            return c
        }
        let layer = Layer(kind: "histogram", count: 1, grid: [1]) { _ in TaskSpec(inputs: [root]) { NDArray($0[0] as! [Int64]) } }
        return (try ChunkedArray<Int64>(layer: layer, shape: [bins], chunks: [[bins]]), NDArray(edges))
    }
}

extension ChunkedArray where Scalar: NumericScalar {
    /// Counts of each non-negative integer value (NumPy's `bincount`), at least `minlength`
    /// long. The length depends on the data: the result is one block of unknown length, as in
    /// Dask. A negative or fractional value fails the compute with `ArrayError.invalidArgument`.
    /// - Parameters:
    ///   - minlength: the least number of bins.
    ///   - fanIn: how many partial results one merge task takes.
    /// - Returns: a lazy 1-d array of unknown length (see ``UnknownLengthArray``).
    /// - Complexity: one pass over the blocks, then merges of the counts.
    public func bincount(minlength: Int = 0, fanIn: Int = defaultFanIn) -> UnknownLengthArray<Int64> {
        let parts = blockPartials("bincount-chunk") { values -> [Int64] in
            var c = [Int64](repeating: 0, count: minlength)
            for v in values {
                let x = v._int64
                guard x >= 0, v._double == Double(x) else {
                    throw ArrayError.invalidArgument(operation: "bincount", reason: "values must be non-negative integers, found \(v)")
                }
                if Int(x) >= c.count { c += [Int64](repeating: 0, count: Int(x) + 1 - c.count) }
                c[Int(x)] += 1
            }
            return c
        }
        let root = treeReduce(parts, name: "bincount-combine", fanIn: Swift.max(2, fanIn)) { values in
            let all = values.map { $0 as! [Int64] }
            var c = [Int64](repeating: 0, count: all.map(\.count).max() ?? 0)
            for a in all { for (i, x) in a.enumerated() { c[i] += x } }
            return c
        }
        let layer = Layer(kind: "bincount", count: 1) { _ in TaskSpec(inputs: [root]) { NDArray($0[0] as! [Int64]) } }
        return UnknownLengthArray(blocks: layer.refs)
    }
}
