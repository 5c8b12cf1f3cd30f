import Tessera

extension ChunkedArray {
    /// The positions of the `k` largest elements of a 1-d array, largest first, or for negative
    /// `k` of the `|k|` smallest, smallest first: Dask's `argtopk`. Equal elements come in order
    /// of position; NaN counts as largest, as in ``topk(_:fanIn:)``.
    ///
    /// ```swift
    /// let worst = try delays.argtopk(5).compute()     // positions of the five largest
    /// ```
    /// - Parameters:
    ///   - k: how many positions; the sign chooses largest (positive) or smallest (negative).
    ///   - fanIn: how many partial results one merge task takes.
    /// - Returns: a lazy 1-d array of `|k|` positions.
    /// - Throws: `ArrayError.invalidArgument` for an array that isn't 1-d, or `|k|` that is 0 or
    ///   exceeds the element count.
    /// - Complexity: O(n log n / blocks) per block in parallel, then O(|k| × blocks) in merges.
    public func argtopk(_ k: Int, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        let m = Swift.abs(k)
        guard ndim == 1, m > 0, m <= count, fanIn >= 2 else {
            throw ArrayError.invalidArgument(operation: "argtopk",
                                             reason: "needs a 1-d array and k in 1...\(count) in magnitude (got shape \(shape), k \(k), fanIn \(fanIn))")
        }
        let descending = k > 0
        typealias Entry = (value: Scalar, position: Int64)
        @Sendable func best(_ v: [Entry]) -> [Entry] {
            let sorted = v.sorted { a, b in
                let before = descending ? lessNaNLast(b.value, a.value) : lessNaNLast(a.value, b.value)
                let after = descending ? lessNaNLast(a.value, b.value) : lessNaNLast(b.value, a.value)
                return before || (!after && a.position < b.position)
            }
            return Array(sorted.prefix(m))
        }
        var origins: [Int64] = [0]
        for c in chunks[0] { origins.append(origins.last! + Int64(c)) }
        let src = materialized()
        let starts = origins
        let parts = Layer(kind: "argtopk-chunk", count: src.blockCount) { i in
            TaskSpec(inputs: [src.layer[i]]) { v in
                (v[0] as! NDArray<Scalar>).withUnsafeBufferPointer { b in
                    best(b.enumerated().map { ($0.element, starts[i] + Int64($0.offset)) })
                }
            }
        }.refs
        let root = treeReduce(parts, name: "argtopk-combine", fanIn: fanIn) { values in best(values.flatMap { $0 as! [Entry] }) }
        let layer = Layer(kind: "argtopk", count: 1, grid: [1]) { _ in
            TaskSpec(inputs: [root]) { NDArray(($0[0] as! [Entry]).map(\.position)) }
        }
        return try ChunkedArray<Int64>(layer: layer, shape: [m], chunks: [[m]])
    }
}
