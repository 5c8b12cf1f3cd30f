import Tessera

/// One general mechanism serves every reduction (Dask's `reduction(chunk, combine, aggregate)`):
///
/// 1. **chunk** — one task per input block evaluates the block's fused expression tile by tile
///    and folds each run of values straight into per-output-element states (`fold`); no block of
///    the input expression is ever written to memory.
/// 2. **combine** — states of blocks that reduce into the same output block merge in a tree with
///    `fanIn` inputs per task (`merge`), so no task waits on hundreds of inputs.
/// 3. **aggregate** — the last merge turns states into values (`finalize`), one task per output block.
///
/// The graph of `(x * 2 + 1).sum()` is therefore one task per block plus the tree.
struct Reducer<T: ArrayScalar, S: Sendable, R: ArrayScalar>: Sendable {
    /// Task kind prefix: `sum`, `mean`, `argmin`.
    let name: String
    /// The state of an element that has seen nothing.
    let initial: S
    /// Folds `count` consecutive values at `values` into `state`; the first value's position
    /// (row-major over the reduced axes of the whole array) is `position`.
    let fold: @Sendable (inout S, UnsafePointer<T>, Int, Int) -> Void
    /// Merges a later state into an earlier one.
    let merge: @Sendable (inout S, S) -> Void
    /// The result for one output element.
    let finalize: @Sendable (S) throws -> R
    /// Whether reducing zero elements has no answer (min, max, argmin, argmax).
    var needsElements = false
    /// Optional fast path when the last axis is kept: folds `count` consecutive values, value
    /// `j` into `states[j]`, all at reduced position `position`.
    var foldRow: (@Sendable (UnsafeMutablePointer<S>, UnsafePointer<T>, Int, Int) -> Void)? = nil
}

/// The states of one block (or of a merged group of blocks), one per output element.
final class PartialStates<S>: @unchecked Sendable {
    var states: [S]
    init(_ states: [S]) { self.states = states }
}

/// The default number of inputs per combine task.
public let defaultFanIn = 8

extension ChunkedArray {
    /// Normalises axes (negative counted from the end, nil meaning all), sorted.
    /// - Throws: `ArrayError.invalidAxis` for an axis out of range or given twice.
    func normalizedAxes(_ axes: [Int]?) throws -> [Int] {
        guard let axes else { return Array(0..<ndim) }
        var out: [Int] = []
        for a in axes {
            let k = a < 0 ? a + ndim : a
            guard k >= 0 && k < ndim, !out.contains(k) else { throw ArrayError.invalidAxis(axis: a, ndim: ndim) }
            out.append(k)
        }
        return out.sorted()
    }

    /// Builds the chunk → combine tree → aggregate graph of a reduction over `axes`.
    func reduce<S, R>(_ r: Reducer<Scalar, S, R>, axes: [Int]?, keepdims: Bool, fanIn: Int) throws -> ChunkedArray<R> {
        guard fanIn >= 2 else { throw ArrayError.invalidArgument(operation: r.name, reason: "fanIn must be at least 2, got \(fanIn)") }
        let axes = try normalizedAxes(axes)
        let shape = self.shape
        let nd = ndim
        let reduced = (0..<nd).map { axes.contains($0) }
        let reducedCount = axes.map { shape[$0] }.reduce(1, *)
        let outShapeKeep = (0..<nd).map { reduced[$0] ? 1 : shape[$0] }
        if r.needsElements && reducedCount == 0 && outShapeKeep.reduce(1, *) > 0 {
            throw ArrayError.emptyReduction(operation: r.name, shape: shape)
        }
        let grid = self.grid
        // Positions along the reduced axes, row-major over their full lengths.
        var reducedStrides = [Int](repeating: 0, count: nd)
        var acc = 1
        for k in stride(from: nd - 1, through: 0, by: -1) where reduced[k] {
            reducedStrides[k] = acc
            acc *= shape[k]
        }

        let expr = expression
        var sources = SourceSet()
        expr.collectSources(&sources)
        let lastReduced = nd == 0 || reduced[nd - 1]
        let chunkLayer = Layer(kind: "\(r.name)-chunk", count: grid.blockCount, grid: grid.counts) { [sources, reducedStrides] i in
            let b = grid.index(i)
            let (refs, slots) = sources.inputs(for: b)
            let origin = grid.origin(b), bshape = grid.shape(b)
            return TaskSpec(inputs: refs) { values in
                let pshape = (0..<nd).map { reduced[$0] ? 1 : bshape[$0] }
                let pstrides = rowMajorStrides(pshape)
                var states = [S](repeating: r.initial, count: pshape.reduce(1, *))
                let n = bshape.reduce(1, *)
                if n > 0 {
                    let ctx = BlockContext(blockIndex: b, origin: origin, shape: bshape, values: values, slots: slots)
                    let ev = expr.evaluator(ctx)
                    var s = 0
                    while s < n {
                        let c = Swift.min(tileSize, n - s)
                        let p = ev.eval(s, c)
                        forEachRow(shape: bshape, start: s, count: c) { off, idx, len in
                            var slot = 0, pos = 0
                            for k in 0..<nd {
                                if reduced[k] { pos += (origin[k] + idx[k]) * reducedStrides[k] } else { slot += idx[k] * pstrides[k] }
                            }
                            let run = p + (off - s)
                            if lastReduced {
                                r.fold(&states[slot], run, len, pos)
                            } else if let foldRow = r.foldRow {
                                states.withUnsafeMutableBufferPointer { foldRow($0.baseAddress! + slot, run, len, pos) }
                            } else {
                                for j in 0..<len { r.fold(&states[slot + j], run + j, 1, pos) }
                            }
                        }
                        s += c
                    }
                }
                return PartialStates(states)
            }
        }

        // Output grid: kept axes keep their blocks, reduced axes have one block of length 1.
        let outChunksKeep = (0..<nd).map { reduced[$0] ? [1] : chunks[$0] }
        let outGrid = BlockGrid(outChunksKeep)
        let reducedGridAxes = (0..<nd).filter { reduced[$0] }
        let reducedBlockCounts = reducedGridAxes.map { grid.counts[$0] }
        let m = reducedBlockCounts.reduce(1, *)
        // For each output block, the flat numbers of the input blocks reducing into it.
        func inputBlocks(_ o: Int) -> [Int] {
            let oi = outGrid.index(o)
            return (0..<m).map { j in
                var rest = j
                var bi = oi
                for (t, k) in reducedGridAxes.enumerated().reversed() {
                    bi[k] = rest % reducedBlockCounts[t]
                    rest /= reducedBlockCounts[t]
                }
                return grid.flat(bi)
            }
        }
        @Sendable func mergeAll(_ values: [Any]) -> [S] {
            var states = (values[0] as! PartialStates<S>).states
            for v in values.dropFirst() {
                let other = (v as! PartialStates<S>).states
                for e in 0..<states.count { r.merge(&states[e], other[e]) }
            }
            return states
        }
        var groups: [[TaskRef]] = (0..<outGrid.blockCount).map { o in inputBlocks(o).map { chunkLayer[$0] } }
        while (groups.first?.count ?? 0) > fanIn {
            let perOut = (groups[0].count + fanIn - 1) / fanIn
            let prev = groups
            let layer = Layer(kind: "\(r.name)-combine", count: prev.count * perOut) { t in
                let o = t / perOut, g = t % perOut
                let ins = Array(prev[o][(g * fanIn)..<Swift.min(prev[o].count, (g + 1) * fanIn)])
                return TaskSpec(inputs: ins) { values in PartialStates(mergeAll(values)) }
            }
            groups = (0..<prev.count).map { o in (0..<perOut).map { layer[o * perOut + $0] } }
        }
        let outShape = keepdims ? outShapeKeep : (0..<nd).filter { !reduced[$0] }.map { shape[$0] }
        let outChunks = keepdims ? outChunksKeep : (0..<nd).filter { !reduced[$0] }.map { chunks[$0] }
        let finalGroups = groups
        let aggregate = Layer(kind: "\(r.name)-aggregate", count: outGrid.blockCount, grid: outChunks.map(\.count)) { o in
            let full = outGrid.shape(outGrid.index(o))
            let bshape = keepdims ? full : (0..<nd).filter { !reduced[$0] }.map { full[$0] }
            return TaskSpec(inputs: finalGroups[o]) { values in
                try NDArray(shape: bshape, scalars: try mergeAll(values).map(r.finalize))
            }
        }
        return try ChunkedArray<R>(layer: aggregate, shape: outShape, chunks: outChunks)
    }
}
