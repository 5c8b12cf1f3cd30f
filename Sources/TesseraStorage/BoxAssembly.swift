@_spi(TesseraStorage) import TesseraArray

/// The box `[origin, origin + shape)` of an array stored in a regular grid of chunks of
/// `chunkShape` (edge chunks stored whole, as Zarr and HDF5 store them): each overlapping
/// chunk is fetched once by `chunk` (nil: never written, reads as `fill`) and its overlap
/// copied in. A box that is exactly one chunk is that chunk, without a copy.
/// - Complexity: one `chunk` call per overlapping chunk; O(box elements) copying.
func assembleBox<T: ArrayScalar>(origin: [Int], shape: [Int], chunkShape: [Int], fill: T,
                                 chunk: ([Int]) throws -> NDArray<T>?) throws -> NDArray<T> {
    let nd = shape.count
    if shape.contains(0) { return NDArray(shape: shape, repeating: fill) }
    if (0..<nd).allSatisfy({ origin[$0] % chunkShape[$0] == 0 && shape[$0] == chunkShape[$0] }) {
        return try chunk((0..<nd).map { origin[$0] / chunkShape[$0] }) ?? NDArray(shape: shape, repeating: fill)
    }
    let first = (0..<nd).map { origin[$0] / chunkShape[$0] }
    let last = (0..<nd).map { (origin[$0] + shape[$0] - 1) / chunkShape[$0] }
    let strides = rowMajorStrides(shape)
    return try NDArray<T>(shape: shape) { out in
        let dst = out.baseAddress!
        try forEachIndex(from: first, to: last) { c in
            let chunkOrigin = (0..<nd).map { c[$0] * chunkShape[$0] }
            if let got = try chunk(c) {
                copyRegion(from: got, origin: chunkOrigin, into: dst, shape: shape, strides: strides, origin: origin)
            } else {
                fillOverlap(fill, c, chunkShape, into: dst, shape: shape, origin: origin)
            }
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
