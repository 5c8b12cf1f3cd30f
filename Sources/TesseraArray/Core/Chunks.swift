/// How an array is cut into blocks, as the user says it.
///
/// ```swift
/// .auto                        // blocks of about 128 MiB
/// .blockShape([1000, 1000])    // every block 1000×1000 (the last ones ragged); -1 = whole axis
/// .sizes([[5, 5, 2], [4]])     // explicit per-axis sizes
/// ```
public enum Chunks: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral {
    /// About 128 MiB per block, blocks as close to square as the shape allows.
    case auto
    /// One block shape; the last block along each axis takes the remainder. -1 means the whole axis.
    case blockShape([Int])
    /// Explicit block sizes along each axis; each axis' sizes must sum to its length.
    case sizes([[Int]])

    /// The same block edge along every axis: `chunks: 1000`.
    public init(integerLiteral value: Int) { self = .blockShape([value]) }
    /// A block shape: `chunks: [1000, 500]`.
    public init(arrayLiteral elements: Int...) { self = .blockShape(elements) }

    /// Bytes per block that `.auto` aims for.
    public static let autoBytes = 128 << 20

    /// The most blocks an array may have. A graph of this many tasks is far beyond what the
    /// schedulers are built for; the limit exists so that a huge shape with small chunks (from a
    /// crafted `.npy` header, say) fails before allocating its per-axis block lists.
    public static let maximumBlockCount = blockCountLimit

    #if FUZZING
    // Under `make fuzz` (debug, AddressSanitizer) each pass over a block list costs about a
    // microsecond per block: a damaged HDF5 or Zarr header naming 16M one-element chunks took
    // minutes to open, a libFuzzer timeout rather than a finding. The limit's own path is what
    // the fuzzers need to reach, and a smaller limit reaches it sooner.
    static let blockCountLimit = 1 << 14
    #else
    static let blockCountLimit = 1 << 24
    #endif

    /// The per-axis block sizes for `shape`.
    /// - Throws: `ArrayError.invalidChunks` when the chunks don't tile the shape or would make
    ///   more than `maximumBlockCount` blocks; `.invalidArgument` for a negative length or a
    ///   shape whose byte count overflows.
    /// - Complexity: O(number of blocks along each axis).
    public func resolve(shape: [Int], itemSize: Int) throws -> [[Int]] {
        _ = try checkedElementCount(shape, itemSize: itemSize, operation: "chunks")
        // The spec is described only when an error is thrown, and abbreviated: a list of sizes
        // may hold millions of entries (a huge dataset with tiny chunks), and describing it
        // eagerly once cost minutes under AddressSanitizer.
        func tooMany(_ counts: [Int], _ spec: String) -> ArrayError {
            .invalidChunks(shape: shape, chunks: spec, reason: "\(counts.map(String.init).joined(separator: " × ")) blocks exceed the maximum of \(Chunks.maximumBlockCount); use larger chunks")
        }
        func checkCounts(_ counts: [Int], _ spec: @autoclosure () -> String) throws {
            guard let total = checkedProduct(counts), total <= Chunks.maximumBlockCount else { throw tooMany(counts, spec()) }
        }
        switch self {
        case .auto:
            var edges = Chunks.autoEdges(shape: shape, itemSize: itemSize)
            // The 128 MiB target can still leave too many blocks for a huge shape: grow the
            // largest axis' edge until the grid fits.
            while true {
                let counts = zip(shape, edges).map { n, e in n == 0 ? 1 : (n - 1) / e + 1 }
                if let total = checkedProduct(counts), total <= Chunks.maximumBlockCount { break }
                guard let k = counts.indices.max(by: { counts[$0] < counts[$1] }) else { break }
                edges[k] = edges[k] > shape[k] / 2 ? shape[k] : edges[k] * 2
            }
            return zip(shape, edges).map { regularChunks($0, $1) }
        case .blockShape(var b):
            if b.count == 1 && shape.count > 1 { b = [Int](repeating: b[0], count: shape.count) }
            guard b.count == shape.count else {
                throw ArrayError.invalidChunks(shape: shape, chunks: "\(b)", reason: "needs one block edge per axis")
            }
            let edges = try zip(shape, b).map { n, edge in
                let e = edge == -1 ? Swift.max(n, 1) : edge
                guard e > 0 else { throw ArrayError.invalidChunks(shape: shape, chunks: "\(b)", reason: "block edges must be positive") }
                return e
            }
            try checkCounts(zip(shape, edges).map { n, e in n == 0 ? 1 : (n - 1) / e + 1 }, "\(b)")
            return zip(shape, edges).map { regularChunks($0, $1) }
        case .sizes(let s):
            guard s.count == shape.count else {
                throw ArrayError.invalidChunks(shape: shape, chunks: "\(s)", reason: "needs one list of sizes per axis")
            }
            for (axis, (n, sizes)) in zip(shape, s).enumerated() {
                guard sizes.allSatisfy({ $0 >= 0 }), checkedSum(sizes) == n, !sizes.isEmpty || n == 0 else {
                    throw ArrayError.invalidChunks(shape: shape, chunks: Chunks.abbreviated(s), reason: "sizes of axis \(axis) must be non-negative and sum to \(n)")
                }
            }
            try checkCounts(s.map { Swift.max($0.count, 1) }, Chunks.abbreviated(s))
            // A zero-length axis has one empty block, as in Dask.
            return zip(shape, s).map { n, sizes in n == 0 ? [0] : sizes.filter { $0 > 0 } }
        }
    }

    /// Per-axis sizes as an error shows them: at most a few entries of each axis, then a count.
    static func abbreviated(_ sizes: [[Int]]) -> String {
        let axes = sizes.map { axis in
            axis.count <= 8 ? "\(axis)" : "[\(axis.prefix(6).map(String.init).joined(separator: ", ")), … (\(axis.count) sizes)]"
        }
        return "[\(axes.joined(separator: ", "))]"
    }

    static func autoEdges(shape: [Int], itemSize: Int) -> [Int] {
        var remaining = Double(Swift.max(1, autoBytes / Swift.max(itemSize, 1)))
        var edges = [Int](repeating: 1, count: shape.count)
        // Smallest axes first: an axis shorter than its fair share is taken whole and leaves more
        // for the others.
        let order = shape.indices.sorted { shape[$0] < shape[$1] }
        for (k, axis) in order.enumerated() {
            let left = Double(order.count - k)
            let fair = Swift.max(1, Int(Foundation.pow(remaining, 1 / left)))
            let e = Swift.min(Swift.max(shape[axis], 1), fair)
            edges[axis] = e
            remaining = Swift.max(1, remaining / Double(e))
        }
        return edges
    }
}

import Foundation

/// Blocks of `edge` along an axis of length `n`, the last one ragged; `[0]` for an empty axis.
func regularChunks(_ n: Int, _ edge: Int) -> [Int] {
    if n == 0 { return [0] }
    var c = [Int](repeating: edge, count: n / edge)
    if n % edge != 0 { c.append(n % edge) }
    return c
}

/// The block grid of an array: per-axis sizes and offsets, and conversions between a flat block
/// number (row-major over the grid, the task index) and an n-d block index.
struct BlockGrid: Sendable {
    let chunks: [[Int]]
    let offsets: [[Int]]
    let counts: [Int]
    let blockCount: Int

    init(_ chunks: [[Int]]) {
        self.chunks = chunks
        self.offsets = chunks.map { c in
            var o = [0]
            o.reserveCapacity(c.count + 1)
            for x in c { o.append(o.last! + x) }
            return o
        }
        self.counts = chunks.map(\.count)
        self.blockCount = counts.reduce(1, *)
    }

    /// The n-d index of block `flat`.
    func index(_ flat: Int) -> [Int] {
        var idx = [Int](repeating: 0, count: counts.count)
        var rest = flat
        for k in stride(from: counts.count - 1, through: 0, by: -1) {
            idx[k] = rest % counts[k]
            rest /= counts[k]
        }
        return idx
    }

    /// The flat number of block `index`.
    func flat(_ index: [Int]) -> Int {
        var f = 0
        for k in 0..<counts.count { f = f * counts[k] + index[k] }
        return f
    }

    func shape(_ index: [Int]) -> [Int] { (0..<index.count).map { chunks[$0][index[$0]] } }
    func origin(_ index: [Int]) -> [Int] { (0..<index.count).map { offsets[$0][index[$0]] } }
}
