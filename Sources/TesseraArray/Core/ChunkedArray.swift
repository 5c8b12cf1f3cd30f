import Foundation
import Tessera

/// A lazy n-d array cut into blocks, Tessera's `dask.array`.
///
/// A `ChunkedArray` is a description: a shape, per-axis block sizes (`chunks`), and either a graph
/// layer whose task `i` yields block `i` (row-major over the block grid) as an `NDArray`, or a
/// fused element-wise expression that becomes such a layer, or a reduction, when something
/// consumes it. Nothing runs until `compute()`.
///
/// ```swift
/// let x = ChunkedArray<Double>.randomUniform(shape: [1_000_000], chunks: [100_000], seed: 1)
/// let total = try (x * 2 + 1).sum().compute().scalar!
/// ```
public struct ChunkedArray<Scalar: ArrayScalar>: Computable, @unchecked Sendable {
    /// The length of each axis.
    public let shape: [Int]
    /// Block sizes along each axis; each list sums to the axis length (`[0]` for an empty axis).
    public let chunks: [[Int]]
    let grid: BlockGrid
    let node: ArrayNode<Scalar>

    /// Wraps a layer of block tasks: the foundation other modules (linear algebra) build on.
    ///
    /// - Parameters:
    ///   - layer: task `i` must produce an `NDArray<Scalar>` of the shape of block `i`, blocks
    ///     numbered row-major over the grid of `chunks`.
    ///   - shape: the array's shape.
    ///   - chunks: per-axis block sizes; each must sum to its axis length.
    /// - Throws: `ArrayError.invalidChunks` when chunks don't tile `shape` or the layer's task
    ///   count differs from the number of blocks.
    public init(layer: Layer, shape: [Int], chunks: [[Int]]) throws {
        let resolved = try Chunks.sizes(chunks).resolve(shape: shape, itemSize: Scalar.dtype.itemSize)
        let grid = BlockGrid(resolved)
        guard layer.count == grid.blockCount else {
            throw ArrayError.invalidChunks(shape: shape, chunks: "\(chunks)",
                                           reason: "layer \(layer.name) has \(layer.count) tasks for \(grid.blockCount) blocks")
        }
        self.init(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }

    init(shape: [Int], grid: BlockGrid, node: ArrayNode<Scalar>) {
        self.shape = shape
        self.chunks = grid.chunks
        self.grid = grid
        self.node = node
    }

    /// An array defined by a fused expression; `chunks` must already be resolved.
    init(expression: ExprNode<Scalar>, shape: [Int], chunks: [[Int]]) {
        self.init(shape: shape, grid: BlockGrid(chunks), node: ArrayNode(expression: expression))
    }

    /// Number of axes.
    public var ndim: Int { shape.count }
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// Number of blocks along each axis.
    public var numBlocks: [Int] { grid.counts }
    /// Total number of blocks.
    public var blockCount: Int { grid.blockCount }
    /// The element type.
    public var dtype: DType { Scalar.dtype }
    /// Bytes of the whole array.
    public var nbytes: Int { count * Scalar.dtype.itemSize }

    /// The shape of block `index`.
    public func blockShape(_ index: [Int]) -> [Int] { grid.shape(index) }
    /// The global index of the first element of block `index`.
    public func blockOrigin(_ index: [Int]) -> [Int] { grid.origin(index) }

    /// The layer whose task `i` yields block `i` (a fused expression becomes one task per block here).
    public var layer: Layer { node.layer(shape: shape, grid: grid) }

    /// The task that yields block `index` (for example `blockRef([i, j])`).
    public func blockRef(_ index: [Int]) -> TaskRef {
        precondition(index.count == ndim && zip(index, grid.counts).allSatisfy { $0 >= 0 && $0 < $1 },
                     "block index \(index) outside the block grid \(grid.counts)")
        return layer[grid.flat(index)]
    }

    /// The task that yields block `(i, j, …)`.
    public func blockRef(_ index: Int...) -> TaskRef { blockRef(index) }

    /// The block tasks, row-major over the block grid.
    public var outputs: [TaskRef] { layer.refs }

    /// Joins computed blocks into one `NDArray`.
    public func assemble(_ values: ArraySlice<Any>) throws -> NDArray<Scalar> {
        if values.count == 1, let only = values.first as? NDArray<Scalar>, only.shape == shape { return only }
        let outStrides = rowMajorStrides(shape)
        return NDArray(shape: shape) { out in
            guard let base = out.baseAddress else { return }
            for (i, v) in values.enumerated() {
                let block = v as! NDArray<Scalar>
                copyRegion(from: block, origin: grid.origin(grid.index(i)), into: base, shape: shape, strides: outStrides, origin: [Int](repeating: 0, count: ndim))
            }
        }
    }

    /// This array as an element-wise expression (a source leaf when it is materialised).
    var expression: ExprNode<Scalar> {
        guard let e = node.expression else { return SourceLeaf(self) }
        return e.depth < maxFusedDepth ? e : SourceLeaf(materialized())
    }

    /// Whether this array is an unmaterialised fused expression.
    var isFused: Bool { node.expression != nil }
}

/// What a `ChunkedArray` is made of: a layer, or an expression whose layer is made (once) on demand.
final class ArrayNode<Scalar: ArrayScalar>: @unchecked Sendable {
    let expression: ExprNode<Scalar>?
    private var cached: Layer?
    private let lock = NSLock()

    init(layer: Layer) { self.expression = nil; self.cached = layer }
    init(expression: ExprNode<Scalar>) { self.expression = expression }

    func layer(shape: [Int], grid: BlockGrid) -> Layer {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let l = materializeExpression(expression!, shape: shape, grid: grid)
        cached = l
        return l
    }
}

/// One task per output block: evaluate the expression tile by tile into the block.
func materializeExpression<T: ArrayScalar>(_ expr: ExprNode<T>, shape: [Int], grid: BlockGrid) -> Layer {
    if let leaf = expr as? SourceLeaf<T>, leaf.isPlainSource { return leaf.source.layer }
    var sources = SourceSet()
    expr.collectSources(&sources)
    return Layer(kind: expr.label, count: grid.blockCount, grid: grid.counts) { [sources] i in
        let b = grid.index(i)
        let (refs, slots) = sources.inputs(for: b)
        let origin = grid.origin(b), bshape = grid.shape(b)
        return TaskSpec(inputs: refs) { values in
            let ctx = BlockContext(blockIndex: b, origin: origin, shape: bshape, values: values, slots: slots)
            let ev = expr.evaluator(ctx)
            return NDArray<T>(shape: bshape) { out in
                let n = out.count
                var s = 0
                while s < n {
                    let c = Swift.min(tileSize, n - s)
                    (out.baseAddress! + s).update(from: ev.eval(s, c), count: c)
                    s += c
                }
            }
        }
    }
}

/// Copies `block` (whose first element sits at global index `origin`) into the part of a
/// row-major destination buffer (of `shape`, first element at global `dstOrigin`) that overlaps it.
/// (SPI for the storage readers, which assemble blocks from stored chunks the same way.)
@_spi(TesseraStorage) public func copyRegion<T>(from block: NDArray<T>, origin: [Int], into dst: UnsafeMutablePointer<T>, shape: [Int], strides: [Int], origin dstOrigin: [Int]) {
    let nd = shape.count
    var lo = [Int](repeating: 0, count: nd), ext = [Int](repeating: 0, count: nd)
    for k in 0..<nd {
        let a = Swift.max(origin[k], dstOrigin[k])
        let b = Swift.min(origin[k] + block.shape[k], dstOrigin[k] + shape[k])
        if b <= a { return }
        lo[k] = a
        ext[k] = b - a
    }
    let src = block.pointer
    if nd == 0 { dst[0] = src[0]; return }
    let srcStrides = rowMajorStrides(block.shape)
    forEachRow(shape: ext, start: 0, count: ext.reduce(1, *)) { _, idx, len in
        var so = 0, d = 0
        for k in 0..<nd {
            so += (lo[k] - origin[k] + idx[k]) * srcStrides[k]
            d += (lo[k] - dstOrigin[k] + idx[k]) * strides[k]
        }
        (dst + d).update(from: src + so, count: len)
    }
}
