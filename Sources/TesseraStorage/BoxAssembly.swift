@_spi(TesseraStorage) import TesseraArray

/// The box `[origin, origin + shape)` of an array stored in a regular grid of chunks of
/// `chunkShape` (edge chunks stored whole, as Zarr and HDF5 store them): each overlapping
/// chunk is decoded once by `chunk`, which writes the whole chunk (row-major, `chunkShape`'s
/// element count) into the buffer it is given and returns false for a chunk never written
/// (read as `fill`). A chunk whose elements are one contiguous run of the box (the box is the
/// chunk, or the chunk lies inside it spanning its trailing axes: every 1-d chunk) is decoded
/// straight into the box; any other is decoded apart and its overlap copied in. A format that
/// knows which chunks were written without reading them (HDF5's chunk index) says so through
/// `isStored`: a chunk it denies is never allocated, only its overlap with the box is filled —
/// a chunk shape far larger than the box (legal for extendable datasets, and what a damaged file
/// may claim) costs nothing then.
/// - Complexity: one `chunk` call per overlapping stored chunk; O(box elements) copying and
///   filling, none for chunks decoded in place.
func assembleBox<T: ArrayScalar>(origin: [Int], shape: [Int], chunkShape: [Int], fill: T,
                                 isStored: ([Int]) -> Bool = { _ in true },
                                 chunk: ([Int], UnsafeMutableBufferPointer<T>) throws -> Bool) throws -> NDArray<T> {
    let nd = shape.count
    if shape.contains(0) { return NDArray(shape: shape, repeating: fill) }
    let first = (0..<nd).map { origin[$0] / chunkShape[$0] }
    let last = (0..<nd).map { (origin[$0] + shape[$0] - 1) / chunkShape[$0] }
    let strides = rowMajorStrides(shape)
    let chunkCount = chunkShape.reduce(1, *)
    // Chunks span the box's trailing axes when, past the first axis on which a chunk holds more
    // than one index, each is as long as the box's.
    let lead = chunkShape.firstIndex { $0 != 1 } ?? nd
    let spansTrailing = (0..<nd).allSatisfy { $0 <= lead || chunkShape[$0] == shape[$0] }
    return try NDArray<T>(shape: shape) { out in
        let dst = out.baseAddress!
        try forEachIndex(from: first, to: last) { c in
            let chunkOrigin = (0..<nd).map { c[$0] * chunkShape[$0] }
            let inside = (0..<nd).allSatisfy { chunkOrigin[$0] >= origin[$0] && chunkOrigin[$0] + chunkShape[$0] <= origin[$0] + shape[$0] }
            if !isStored(c) {
                fillOverlap(fill, c, chunkShape, into: dst, shape: shape, origin: origin)
                return
            }
            if inside && spansTrailing {
                let offset = (0..<nd).reduce(0) { $0 + (chunkOrigin[$1] - origin[$1]) * strides[$1] }
                let run = UnsafeMutableBufferPointer(start: dst + offset, count: chunkCount)
                if try !chunk(c, run) { run.initialize(repeating: fill) }
                return
            }
            let got = try NDArray<T>(shape: chunkShape) { buffer in
                if try !chunk(c, buffer) { buffer.initialize(repeating: fill) }
            }
            copyRegion(from: got, origin: chunkOrigin, into: dst, shape: shape, strides: strides, origin: origin)
        }
    }
}

/// Sets the part of chunk `c` (of shape `chunkShape`) inside the row-major box `[origin,
/// origin + shape)` at `dst` to `fill`: a chunk that was never written.
func fillOverlap<T: ArrayScalar>(_ fill: T, _ c: [Int], _ chunkShape: [Int], into dst: UnsafeMutablePointer<T>, shape: [Int], origin: [Int]) {
    let (lo, ext) = overlap(c, chunkShape, origin, shape)
    copyRegion(from: NDArray(shape: ext, repeating: fill), origin: lo, into: dst, shape: shape, strides: rowMajorStrides(shape), origin: origin)
}

/// The part of chunk `c` (of shape `chunkShape`) inside the box `[origin, origin + shape)`:
/// its low corner and extent, in global coordinates.
func overlap(_ c: [Int], _ chunkShape: [Int], _ origin: [Int], _ shape: [Int]) -> ([Int], [Int]) {
    var lo = c, ext = c
    for k in 0..<c.count {
        lo[k] = Swift.max(c[k] * chunkShape[k], origin[k])
        ext[k] = Swift.min((c[k] + 1) * chunkShape[k], origin[k] + shape[k]) - lo[k]
    }
    return (lo, ext)
}

/// Calls `body` with every index between `first` and `last` (inclusive), row-major.
func forEachIndex(from first: [Int], to last: [Int], _ body: ([Int]) throws -> Void) rethrows {
    var idx = first
    while true {
        try body(idx)
        var k = idx.count - 1
        while k >= 0 {
            idx[k] += 1
            if idx[k] <= last[k] { break }
            idx[k] = first[k]
            k -= 1
        }
        if k < 0 { return }
    }
}
