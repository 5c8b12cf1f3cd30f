import Tessera

/// A node of a lazy element-wise expression: the "expression per block" that fusion builds.
///
/// A `ChunkedArray` made by element-wise operations holds one expression tree instead of a task
/// per operation. Leaves are source arrays (their blocks become the task's inputs), constants, and
/// index-generated values (random numbers, `arange`, `linspace`), which need no input at all. A
/// consumer turns the tree into one task per block: `materialize` writes the block, a reduction
/// folds the tiles straight into its accumulators. The tree itself is independent of chunking
/// except for source leaves, which `realigned(to:)` rechunks when operands disagree.
///
/// Unchecked `Sendable`: a node is immutable once built (its children and parameters are `let`s);
/// the one memoised field, `depth`, is read only while a graph is being built, on that thread.
/// Tasks on worker threads only call `evaluator(_:)`, which makes a fresh evaluator per block.
class ExprNode<T: ArrayScalar>: @unchecked Sendable {
    /// Short name used as the task kind (`add`, `random`, `sum-of-multiply`).
    var label: String { "elementwise" }
    /// Makes this node's evaluator for one output block.
    func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> { fatalError("abstract") }
    /// Adds this subtree's source leaves (each once) to `set`.
    func collectSources(_ set: inout SourceSet) {}
    /// The same expression read through `t` (broadcast, transpose, strided slice), or nil when a
    /// source leaf cannot follow it (the caller materialises first).
    func transformed(_ t: IndexTransform) -> ExprNode<T>? { fatalError("abstract") }
    /// The same expression with source leaves rechunked to output chunks `chunks`.
    func realigned(to chunks: [[Int]]) throws -> ExprNode<T> { self }
    /// Whether the node is a leaf reading a source array unchanged (nothing to fuse).
    var isPlainSource: Bool { false }
    /// Nodes on the longest path to a leaf (memoised, so long chains stay linear to build).
    lazy var depth: Int = computeDepth()
    /// 1 for leaves; operation nodes add one to their deepest child.
    func computeDepth() -> Int { 1 }
}

/// Expressions deeper than this are materialised before another operation is applied, so a
/// loop of 10,000 `y = y + 1` becomes a chain of fused tasks rather than one 10,000-node tree
/// (whose per-node tile buffers and recursive set-up would not scale).
let maxFusedDepth = 32

/// A source leaf, type-erased: how to find its block for an output block.
protocol SourceLeafProtocol: AnyObject, Sendable {
    func ref(for blockIndex: [Int]) -> TaskRef
}

/// The distinct source leaves of an expression, in a stable order.
struct SourceSet: Sendable {
    private(set) var leaves: [SourceLeafProtocol] = []
    private var seen: Set<ObjectIdentifier> = []

    mutating func insert(_ leaf: SourceLeafProtocol) {
        if seen.insert(ObjectIdentifier(leaf)).inserted { leaves.append(leaf) }
    }

    /// The distinct input tasks of output block `b`, and each leaf's position among them.
    func inputs(for b: [Int]) -> (refs: [TaskRef], slots: [ObjectIdentifier: Int]) {
        var refs: [TaskRef] = []
        var slots: [ObjectIdentifier: Int] = [:]
        for leaf in leaves {
            let r = leaf.ref(for: b)
            if let j = refs.firstIndex(where: { $0.layer === r.layer && $0.index == r.index }) {
                slots[ObjectIdentifier(leaf)] = j
            } else {
                slots[ObjectIdentifier(leaf)] = refs.count
                refs.append(r)
            }
        }
        return (refs, slots)
    }
}

/// Old index = `offset + factor * new[axis]` for each old axis (`axis == -1`: just `offset`):
/// broadcasting (factor 0), transposition (axis permuted) and strided slicing in one form.
struct IndexTransform {
    let newShape: [Int]
    let offset: [Int]
    let factor: [Int]
    let axis: [Int]

    /// Reading an array of shape `old` as if it had the broadcast shape `new`.
    static func broadcast(from old: [Int], to new: [Int]) -> IndexTransform {
        let lead = new.count - old.count
        return IndexTransform(
            newShape: new, offset: [Int](repeating: 0, count: old.count),
            factor: old.enumerated().map { k, n in (n == 1 && new[k + lead] != 1) ? 0 : 1 },
            axis: (0..<old.count).map { $0 + lead })
    }

    /// Axis `j` of the result is axis `perm[j]` of the old array.
    static func permute(_ perm: [Int], shape: [Int]) -> IndexTransform {
        var axis = [Int](repeating: 0, count: perm.count)
        for (j, p) in perm.enumerated() { axis[p] = j }
        return IndexTransform(newShape: perm.map { shape[$0] }, offset: [Int](repeating: 0, count: perm.count),
                              factor: [Int](repeating: 1, count: perm.count), axis: axis)
    }

    var isIdentity: Bool {
        offset.allSatisfy { $0 == 0 } && factor.allSatisfy { $0 == 1 } && axis == Array(0..<axis.count)
            && newShape.count == axis.count
    }

    /// An affine map over old indices, rewritten over new indices.
    func apply(_ m: AffineMap) -> AffineMap {
        var off = m.offset
        var st = [Int](repeating: 0, count: newShape.count)
        for k in 0..<offset.count {
            off += m.strides[k] * offset[k]
            if axis[k] >= 0 { st[axis[k]] += m.strides[k] * factor[k] }
        }
        return AffineMap(offset: off, strides: st)
    }
}

/// `offset + Σ strides[k] * index[k]`: where an index-generated leaf reads its virtual array.
struct AffineMap {
    var offset: Int
    var strides: [Int]
    static func rowMajor(_ shape: [Int]) -> AffineMap { AffineMap(offset: 0, strides: rowMajorStrides(shape)) }
}

// MARK: - source leaf

/// A materialised array read by the expression, possibly broadcast or with permuted axes.
final class SourceLeaf<T: ArrayScalar>: ExprNode<T>, SourceLeafProtocol, @unchecked Sendable {
    let source: ChunkedArray<T>
    /// For each source axis, the output axis it runs along (ignored for length-1 source axes).
    let axisOf: [Int]
    let outShape: [Int]

    init(_ source: ChunkedArray<T>, axisOf: [Int]? = nil, outShape: [Int]? = nil) {
        self.source = source
        self.axisOf = axisOf ?? Array(0..<source.shape.count)
        self.outShape = outShape ?? source.shape
    }

    override var label: String { "elementwise" }
    override var isPlainSource: Bool { axisOf == Array(0..<source.shape.count) && outShape == source.shape }

    func ref(for b: [Int]) -> TaskRef {
        var idx = [Int](repeating: 0, count: source.shape.count)
        for k in 0..<idx.count where source.shape[k] != 1 { idx[k] = b[axisOf[k]] }
        return source.blockRef(idx)
    }

    override func collectSources(_ set: inout SourceSet) { set.insert(self) }

    override func transformed(_ t: IndexTransform) -> ExprNode<T>? {
        var newAxis = [Int](repeating: 0, count: axisOf.count)
        for k in 0..<axisOf.count where source.shape[k] != 1 {
            let a = axisOf[k]
            guard t.offset[a] == 0, t.factor[a] == 1, t.axis[a] >= 0, t.newShape[t.axis[a]] == source.shape[k] else { return nil }
            newAxis[k] = t.axis[a]
        }
        return SourceLeaf(source, axisOf: newAxis, outShape: t.newShape)
    }

    override func realigned(to chunks: [[Int]]) throws -> ExprNode<T> {
        let need = (0..<axisOf.count).map { k in source.shape[k] == 1 ? [1] : chunks[axisOf[k]] }
        if need == source.chunks { return self }
        return SourceLeaf(try source.rechunk(.sizes(need)), axisOf: axisOf, outShape: outShape)
    }

    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> {
        let block = ctx.values[ctx.slots[ObjectIdentifier(self)]!] as! NDArray<T>
        let srcStrides = rowMajorStrides(block.shape)
        var st = [Int](repeating: 0, count: ctx.shape.count)
        for k in 0..<axisOf.count where source.shape[k] != 1 { st[axisOf[k]] += srcStrides[k] }
        let outStrides = rowMajorStrides(ctx.shape)
        let contiguous = block.count == ctx.count && (0..<st.count).allSatisfy { ctx.shape[$0] <= 1 || st[$0] == outStrides[$0] }
        return SourceEvaluator(block: block, strides: st, shape: ctx.shape, contiguous: contiguous)
    }
}

final class SourceEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let block: NDArray<T>
    let strides: [Int]
    let shape: [Int]
    let contiguous: Bool
    let buffer = TileBuffer<T>()

    init(block: NDArray<T>, strides: [Int], shape: [Int], contiguous: Bool) {
        self.block = block
        self.strides = strides
        self.shape = shape
        self.contiguous = contiguous
    }

    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        let p = block.pointer
        if contiguous { return p + start }
        let out = buffer.pointer
        let last = strides.count - 1
        forEachRow(shape: shape, start: start, count: count) { off, idx, len in
            var base = 0
            for k in 0..<idx.count { base += strides[k] * idx[k] }
            let s = last >= 0 ? strides[last] : 0
            stridedCopy(UnsafeRawPointer(p + base), s, UnsafeMutableRawPointer(out + (off - start)), len, T.self)
        }
        return UnsafePointer(out)
    }
}

// MARK: - constants

/// One value everywhere (a Python scalar operand, `full`).
final class ConstLeaf<T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
    override var label: String { "full" }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? { self }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> { ConstEvaluator(value) }
}

final class ConstEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let buffer = TileBuffer<T>()
    init(_ value: T) { buffer.pointer.initialize(repeating: value, count: tileSize) }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> { UnsafePointer(buffer.pointer) }
}

/// `out[j] = src[j * stride]`, dispatched on the dtype so the loop is specialised. (Transposed
/// blocks read this way stay fast: consecutive tiles read neighbouring columns, whose cache
/// lines are still in L2; an explicit blocked transpose measured slower.)
@inline(__always)
func stridedCopy<T: ArrayScalar>(_ src: UnsafeRawPointer, _ stride: Int, _ out: UnsafeMutableRawPointer, _ count: Int, _: T.Type) {
    func run<C>(_: C.Type) {
        let s = src.assumingMemoryBound(to: C.self), o = out.assumingMemoryBound(to: C.self)
        for j in 0..<count { o[j] = s[j * stride] }
    }
    switch T.dtype {
    case .float64: run(Double.self)
    case .float32: run(Float.self)
    case .int64: run(Int64.self)
    case .int32: run(Int32.self)
    case .bool: run(Bool.self)
    }
}
