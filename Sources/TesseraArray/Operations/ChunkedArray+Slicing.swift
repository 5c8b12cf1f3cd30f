import Tessera

/// One entry of an index expression, NumPy style: `x[.at(3), .slice(step: 2), .all]`.
public enum SliceIndex: Sendable, Equatable, ExpressibleByIntegerLiteral {
    /// One position (negative counts from the end); the axis disappears.
    case at(Int)
    /// `start:stop:step` with Python's defaults and clamping (a negative step walks backwards).
    case range(start: Int?, stop: Int?, step: Int)
    /// The whole axis (`:`).
    case all
    /// A boolean mask as long as the axis: keeps the positions that are true.
    case mask([Bool])
    /// Positions to take, in order, repeats allowed (negative counts from the end).
    case take([Int])

    /// An integer literal is `.at`.
    public init(integerLiteral value: Int) { self = .at(value) }

    /// `start:stop:step`.
    public static func slice(_ start: Int? = nil, _ stop: Int? = nil, step: Int = 1) -> SliceIndex {
        .range(start: start, stop: stop, step: step)
    }
    /// `start:`.
    public static func from(_ start: Int) -> SliceIndex { .range(start: start, stop: nil, step: 1) }
    /// `:stop`.
    public static func to(_ stop: Int) -> SliceIndex { .range(start: nil, stop: stop, step: 1) }
    /// A Swift range `a..<b`.
    public static func range(_ r: Range<Int>) -> SliceIndex { .range(start: r.lowerBound, stop: r.upperBound, step: 1) }
}

/// What one index entry selects on its axis: explicit old positions, plus the affine form when it
/// has one (so fused expressions can be sliced by rewriting indices instead of moving data).
struct AxisSelection {
    var positions: [Int]
    var drops: Bool
    var affine: (start: Int, step: Int)?
}

extension ChunkedArray {
    /// Selects part of the array (NumPy basic and simple advanced indexing).
    ///
    /// Missing trailing entries mean `.all`. A fused expression of generated values stays fused
    /// (its index map is rewritten); otherwise each new block is one task copying from the old
    /// blocks it overlaps.
    /// - Throws: `ArrayError.indexOutOfRange`, `.invalidArgument` (too many indices, step 0,
    ///   more than one array index, mask length).
    public subscript(_ indices: SliceIndex...) -> ChunkedArray {
        get throws { try slice(indices) }
    }

    /// `self[indices]` from an array of entries.
    public func slice(_ indices: [SliceIndex]) throws -> ChunkedArray {
        guard indices.count <= ndim else {
            throw ArrayError.invalidArgument(operation: "index", reason: "too many indices (\(indices.count)) for an array of dimension \(ndim)")
        }
        let arrayIndexCount = indices.filter { if case .mask = $0 { return true }; if case .take = $0 { return true }; return false }.count
        guard arrayIndexCount <= 1 else {
            throw ArrayError.invalidArgument(operation: "index", reason: "only one mask or integer-array index is supported")
        }
        var sel: [AxisSelection] = []
        for k in 0..<ndim {
            let n = shape[k]
            let idx = k < indices.count ? indices[k] : .all
            switch idx {
            case .all:
                sel.append(AxisSelection(positions: Array(0..<n), drops: false, affine: (0, 1)))
            case .at(let i):
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else { throw ArrayError.indexOutOfRange(index: i, axis: k, size: n) }
                sel.append(AxisSelection(positions: [j], drops: true, affine: (j, 1)))
            case let .range(start, stop, step):
                guard step != 0 else { throw ArrayError.invalidArgument(operation: "index", reason: "slice step cannot be zero") }
                let (s, count) = resolveSlice(start, stop, step, n)
                sel.append(AxisSelection(positions: (0..<count).map { s + $0 * step }, drops: false, affine: (s, step)))
            case .mask(let m):
                guard m.count == n else {
                    throw ArrayError.invalidArgument(operation: "index", reason: "boolean index of length \(m.count) does not match axis \(k) of length \(n)")
                }
                sel.append(AxisSelection(positions: m.indices.filter { m[$0] }, drops: false, affine: nil))
            case .take(let t):
                let pos = try t.map { i -> Int in
                    let j = i < 0 ? i + n : i
                    guard j >= 0 && j < n else { throw ArrayError.indexOutOfRange(index: i, axis: k, size: n) }
                    return j
                }
                sel.append(AxisSelection(positions: pos, drops: false, affine: nil))
            }
        }
        return try select(sel)
    }

    func select(_ sel: [AxisSelection]) throws -> ChunkedArray {
        let newAxes = (0..<ndim).filter { !sel[$0].drops }
        let newShape = newAxes.map { sel[$0].positions.count }
        // New chunks: cut where the old block changes (and keep empty axes as one empty block).
        let newChunks: [[Int]] = newAxes.map { k in
            let offs = grid.offsets[k]
            var c: [Int] = []
            var last = -1
            for p in sel[k].positions {
                var b = 0
                while offs[b + 1] <= p { b += 1 }
                if b == last { c[c.count - 1] += 1 } else { c.append(1); last = b }
            }
            return c.isEmpty ? [0] : c
        }
        if sel.allSatisfy({ $0.affine != nil }) {
            var axisMap = [Int](repeating: -1, count: ndim)
            for (j, k) in newAxes.enumerated() { axisMap[k] = j }
            let t = IndexTransform(newShape: newShape, offset: sel.map { $0.affine!.start },
                                   factor: sel.map { $0.drops ? 0 : $0.affine!.step }, axis: axisMap)
            if t.isIdentity && newShape == shape { return self }
            if let e = expression.transformed(t), let r = try? e.realigned(to: newChunks) {
                return ChunkedArray(expression: r, shape: newShape, chunks: newChunks)
            }
        }
        return gather(sel, newAxes: newAxes, newShape: newShape, newChunks: newChunks)
    }

    /// One task per new block, copying the selected elements out of the old blocks they live in.
    func gather(_ sel: [AxisSelection], newAxes: [Int], newShape: [Int], newChunks: [[Int]]) -> ChunkedArray {
        let src = materialized()
        let oldGrid = grid
        let newGrid = BlockGrid(newChunks)
        let nd = ndim
        // Per old axis: for each selected position, its old block and offset inside that block.
        let located: [[(block: Int, local: Int)]] = (0..<nd).map { k in
            let offs = oldGrid.offsets[k]
            return sel[k].positions.map { p in
                var b = 0
                while offs[b + 1] <= p { b += 1 }
                return (b, p - offs[b])
            }
        }
        let layer = Layer(kind: "getitem", count: newGrid.blockCount, grid: newGrid.counts) { i in
            let nb = newGrid.index(i)
            let origin = newGrid.origin(nb), bshape = newGrid.shape(nb)
            // The selected positions of this block along each old axis.
            let ranges: [ArraySlice<(block: Int, local: Int)>] = (0..<nd).map { k in
                if let j = newAxes.firstIndex(of: k) { return located[k][origin[j]..<(origin[j] + bshape[j])] }
                return located[k][0...]
            }
            // Distinct old blocks per axis, and each selected position's ordinal among them: the
            // input slot of an element is then row-major over the ordinals, with no lookups.
            var ids: [[Int]] = []
            var ordinals: [[Int]] = []
            for r in ranges {
                var list: [Int] = []
                var ord: [Int] = []
                for e in r {
                    if let o = list.firstIndex(of: e.block) { ord.append(o) } else { ord.append(list.count); list.append(e.block) }
                }
                if list.isEmpty { list = [0] }
                ids.append(list)
                ordinals.append(ord)
            }
            var oldBlocks: [[Int]] = [[]]
            for list in ids { oldBlocks = oldBlocks.flatMap { p in list.map { p + [$0] } } }
            let refs = oldBlocks.map { src.blockRef($0) }
            let localPos = ranges.map { $0.map(\.local) }
            let blockSize = ranges.map { $0.map(\.block) }
            let sizes: [[Int]] = (0..<nd).map { k in blockSize[k].map { oldGrid.chunks[k][$0] } }
            let idCounts = ids.map(\.count)
            // Rows of the new block run along the last kept axis; old axes after it are all
            // dropped, so their contribution to slot and offset is a constant folded in here.
            let kLast = newAxes.last ?? -1
            var sufSlotMul = 1, sufSlotAdd = 0, sufLocalMul = 1, sufLocalAdd = 0
            for k in (kLast + 1)..<nd {
                sufSlotAdd = sufSlotAdd * idCounts[k] + ordinals[k][0]
                sufSlotMul *= idCounts[k]
                sufLocalAdd = sufLocalAdd * sizes[k][0] + localPos[k][0]
                sufLocalMul *= sizes[k][0]
            }
            let rowLength = kLast >= 0 ? bshape.last! : 1
            var plan = RowGatherPlan(slotMul: (kLast >= 0 ? idCounts[kLast] : 1) * sufSlotMul)
            for j in 0..<rowLength {
                if kLast >= 0 {
                    plan.slotAdd.append(ordinals[kLast][j] * sufSlotMul + sufSlotAdd)
                    plan.localMul.append(sizes[kLast][j] * sufLocalMul)
                    plan.localAdd.append(localPos[kLast][j] * sufLocalMul + sufLocalAdd)
                } else {
                    plan.slotAdd.append(sufSlotAdd)
                    plan.localMul.append(sufLocalMul)
                    plan.localAdd.append(sufLocalAdd)
                }
            }
            let prefixAxes = kLast >= 0 ? Array(0..<kLast) : []
            return TaskSpec(inputs: refs) { [ordinals, plan] values in
                let blocks = values.map { UnsafeRawPointer(($0 as! NDArray<Scalar>).pointer) }
                let n = bshape.reduce(1, *)
                let result = NDArray<Scalar>(shape: bshape) { out in
                    guard n > 0 else { return }
                    let rowShape = Array(bshape.dropLast())
                    let rows = kLast >= 0 ? rowShape.reduce(1, *) : 1
                    var rowIdx = [Int](repeating: 0, count: rowShape.count)
                    for r in 0..<rows {
                        var rest = r
                        for k in stride(from: rowShape.count - 1, through: 0, by: -1) { rowIdx[k] = rest % rowShape[k]; rest /= rowShape[k] }
                        var slot = 0, local = 0, j = 0
                        for k in prefixAxes {
                            let q = sel[k].drops ? 0 : rowIdx[j]
                            if !sel[k].drops { j += 1 }
                            slot = slot * idCounts[k] + ordinals[k][q]
                            local = local * sizes[k][q] + localPos[k][q]
                        }
                        plan.run(Scalar.self, blocks: blocks, out: UnsafeMutableRawPointer(out.baseAddress! + r * rowLength),
                                 count: rowLength, slot: slot, local: local)
                    }
                }
                withExtendedLifetime(values) {}
                return result
            }
        }
        return ChunkedArray(shape: newShape, grid: newGrid, node: ArrayNode(layer: layer))
    }
}

/// Python's slice semantics: the first position and the number of positions of
/// `start:stop:step` on an axis of length `n`.
func resolveSlice(_ start: Int?, _ stop: Int?, _ step: Int, _ n: Int) -> (Int, Int) {
    if step > 0 {
        var s = start ?? 0, e = stop ?? n
        if s < 0 { s += n }
        if e < 0 { e += n }
        s = Swift.min(Swift.max(s, 0), n)
        e = Swift.min(Swift.max(e, 0), n)
        return (s, e > s ? (e - s + step - 1) / step : 0)
    } else {
        var s = start ?? (n - 1), e = stop ?? -(n + 1)
        if s < 0 { s += n }
        if e < 0 { e += n }
        s = Swift.min(Swift.max(s, -1), n - 1)
        e = Swift.min(Swift.max(e, -1), n - 1)
        return (s, s > e ? (s - e + (-step) - 1) / (-step) : 0)
    }
}

/// Copies one row of a gathered block: element `j` comes from input `slot·slotMul + slotAdd[j]`
/// at offset `local·localMul[j] + localAdd[j]`. Dispatched on the dtype so the copy loop is
/// specialised (a generic element copy costs a witness call per element).
struct RowGatherPlan {
    let slotMul: Int
    var slotAdd: [Int] = []
    var localMul: [Int] = []
    var localAdd: [Int] = []

    func run<T: ArrayScalar>(_ type: T.Type, blocks: [UnsafeRawPointer], out: UnsafeMutableRawPointer, count: Int, slot: Int, local: Int) {
        switch T.dtype {
        case .float64: copy(Double.self, blocks, out, count, slot, local)
        case .float32: copy(Float.self, blocks, out, count, slot, local)
        case .int64: copy(Int64.self, blocks, out, count, slot, local)
        case .int32: copy(Int32.self, blocks, out, count, slot, local)
        case .bool: copy(Bool.self, blocks, out, count, slot, local)
        }
    }

    @inline(__always)
    private func copy<C>(_: C.Type, _ blocks: [UnsafeRawPointer], _ out: UnsafeMutableRawPointer, _ count: Int, _ slot: Int, _ local: Int) {
        let o = out.assumingMemoryBound(to: C.self)
        let base = slot * slotMul
        slotAdd.withUnsafeBufferPointer { sa in
            localMul.withUnsafeBufferPointer { lm in
                localAdd.withUnsafeBufferPointer { la in
                    for j in 0..<count {
                        o[j] = blocks[base + sa[j]].assumingMemoryBound(to: C.self)[local * lm[j] + la[j]]
                    }
                }
            }
        }
    }
}
