/// Fused element-wise evaluation works on *tiles*: runs of at most `tileSize` consecutive
/// elements (row-major) of one output block. Every node of an expression fills a tile-sized
/// buffer that stays in L1/L2 cache, so a chain `x * 2 + 1` followed by a sum reads `x` once
/// and writes nothing to memory: no temporary block-sized arrays, and the dynamic dispatch
/// between nodes costs one call per tile, not per element (the numexpr approach).
let tileSize = 2048

/// Calls `body(offset, index, length)` for each run of a tile `[start, start+count)` of a block
/// of `shape` that lies on one row (last axis): `offset` is the flat position of the run in the
/// block and `index` its n-d index there.
@inline(__always)
func forEachRow(shape: [Int], start: Int, count: Int, _ body: (Int, [Int], Int) -> Void) {
    if shape.count <= 1 {
        body(start, shape.isEmpty ? [] : [start], count)
        return
    }
    let last = shape.count - 1
    let rowLength = shape[last]
    var index = [Int](repeating: 0, count: shape.count)
    var rest = start
    for k in stride(from: last, through: 0, by: -1) {
        index[k] = rest % shape[k]
        rest /= shape[k]
    }
    var offset = start
    var remaining = count
    while remaining > 0 {
        let len = Swift.min(rowLength - index[last], remaining)
        body(offset, index, len)
        offset += len
        remaining -= len
        index[last] += len
        var k = last
        while k > 0 && index[k] >= shape[k] {
            index[k] = 0
            index[k - 1] += 1
            k -= 1
        }
    }
}

/// Fills a tile of one output block with one expression node's values.
///
/// Made per block by `ExprNode.evaluator(_:)`; owns a tile buffer when it needs one.
class TileEvaluator<T: ArrayScalar> {
    /// The values of block elements `start..<start+count` (count ≤ `tileSize`), valid until the
    /// next call.
    func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> { fatalError("abstract") }
}

/// A tile buffer, freed with its owner.
final class TileBuffer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: tileSize)
    deinit { pointer.deallocate() }
}

/// What a node needs to make its evaluator for one output block.
struct BlockContext {
    /// The output block's n-d block index.
    let blockIndex: [Int]
    /// Global n-d index of the block's first element.
    let origin: [Int]
    /// The output block's shape.
    let shape: [Int]
    /// The task's input values (source blocks), in the order of `slots`.
    let values: [Any]
    /// For each source leaf (by identity), its position in `values`.
    let slots: [ObjectIdentifier: Int]

    var count: Int { shape.reduce(1, *) }
}
