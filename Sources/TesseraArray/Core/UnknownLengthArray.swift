import Tessera

/// A lazy 1-d array cut into blocks whose lengths are known only once they are computed: what
/// `unique` and `bincount` return (Dask's arrays with NaN chunks).
///
/// Every `ChunkedArray` operation plans with its blocks' shapes, so an array of unknown block
/// lengths is a type of its own rather than a `ChunkedArray` with made-up lengths: it computes
/// like any collection, and turns into a `ChunkedArray` either by ``computeChunkSizes(scheduler:)``
/// (Dask's `compute_chunk_sizes`) or, when every length happens to be known, by
/// `ChunkedArray(_:)`, which otherwise throws ``ArrayError/unknownChunkLengths(operation:chunks:)``.
///
/// ```swift
/// let u = x.unique()                           // lengths unknown: u.chunks == [[nil]]
/// let values = try u.compute()                 // an NDArray
/// let known = try u.computeChunkSizes()        // a ChunkedArray, for further operations
/// ```
public struct UnknownLengthArray<Scalar: ArrayScalar>: Computable, @unchecked Sendable {
    /// The tasks that yield the blocks, in order; each yields a 1-d `NDArray<Scalar>`.
    public let outputs: [TaskRef]
    /// Block lengths along the one axis, `nil` where unknown (Dask's NaN).
    public let chunks: [[Int?]]

    /// Wraps tasks that each yield a 1-d block of a length known only when it runs.
    /// - Parameter blocks: the block tasks, in order.
    public init(blocks: [TaskRef]) {
        self.outputs = blocks
        self.chunks = [blocks.map { _ in nil }]
    }

    /// The shape: `[nil]` unless every block length is known.
    public var shape: [Int?] { [chunks[0].contains(nil) ? nil : chunks[0].reduce(0) { $0 + $1! }] }
    /// Number of axes (always 1).
    public var ndim: Int { 1 }
    /// Number of blocks.
    public var blockCount: Int { outputs.count }

    /// Joins the computed blocks into one `NDArray`.
    /// - Parameter values: the blocks, in order.
    /// - Returns: the blocks concatenated.
    /// - Throws: `ArrayError.invalidArgument` when a block isn't 1-d.
    public func assemble(_ values: ArraySlice<Any>) throws -> NDArray<Scalar> {
        let blocks = values.map { $0 as! NDArray<Scalar> }
        if blocks.count == 1 && blocks[0].ndim == 1 { return blocks[0] }
        guard blocks.allSatisfy({ $0.ndim == 1 }) else {
            throw ArrayError.invalidArgument(operation: "assemble", reason: "blocks of an array of unknown lengths must be 1-d, got shapes \(blocks.map(\.shape))")
        }
        return NDArray(blocks.flatMap(\.scalars))
    }

    /// Computes the block lengths (and so the blocks) and returns the same blocks as a
    /// `ChunkedArray` with known chunks, Dask's `compute_chunk_sizes`. The blocks are computed
    /// again when the result is.
    /// - Parameter scheduler: where to run the blocks; the default scheduler if nil.
    /// - Returns: the array with its chunks known.
    /// - Throws: what the blocks' tasks throw (as a `TaskFailure`).
    /// - Complexity: one compute of every block.
    public func computeChunkSizes(scheduler: Scheduler? = nil) throws -> ChunkedArray<Scalar> {
        let lengths = Layer(kind: "chunk-length", count: outputs.count) { [outputs] i in
            TaskSpec(inputs: [outputs[i]]) { v in (v[0] as! NDArray<Scalar>).count }
        }
        let sizes = try delayed(name: "chunk-lengths", lengths.refs.map { Delayed<Int>(ref: $0) }) { $0 }.compute(scheduler: scheduler)
        return try ChunkedArray(blocks: outputs, lengths: sizes)
    }
}

extension ChunkedArray {
    /// The array `unknown` as a `ChunkedArray`, when all its block lengths are known.
    /// - Parameter unknown: an array of possibly unknown block lengths.
    /// - Throws: `ArrayError.unknownChunkLengths` naming the unknown blocks and the fix
    ///   (``UnknownLengthArray/computeChunkSizes(scheduler:)``).
    public init(_ unknown: UnknownLengthArray<Scalar>) throws {
        guard let sizes = unknown.chunks[0] as? [Int] else {
            throw ArrayError.unknownChunkLengths(operation: "ChunkedArray(_:)", chunks: unknown.chunks[0])
        }
        try self.init(blocks: unknown.outputs, lengths: sizes)
    }

    /// A 1-d array over existing block tasks of the given lengths.
    init(blocks: [TaskRef], lengths: [Int]) throws {
        let layer = Layer(kind: "known-lengths", count: blocks.count, grid: [blocks.count]) { i in
            TaskSpec(inputs: [blocks[i]]) { $0[0] }
        }
        try self.init(layer: layer, shape: [lengths.reduce(0, +)], chunks: [lengths.isEmpty ? [0] : lengths])
    }
}
