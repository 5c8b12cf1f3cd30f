// Sizes computed from outside input (a `.npy` header, a user's shape, an `arange` length) are
// products that can overflow `Int`. Release builds use `-Ounchecked`, where an overflowing `*`
// silently wraps: a wrapped byte count once let a crafted header pass validation and read out
// of bounds. Every such size goes through these checked helpers and becomes a clear error.

/// The largest number of elements an array may have: its bytes must be addressable (NumPy's
/// "maximum allowed size exceeded" is the same rule).
func maximumElementCount(itemSize: Int) -> Int { Int.max / Swift.max(itemSize, 1) }

/// The product of `factors`, or nil when it overflows `Int`.
@_spi(TesseraStorage) public func checkedProduct(_ factors: [Int]) -> Int? {
    var p = 1
    for f in factors {
        let (r, o) = p.multipliedReportingOverflow(by: f)
        if o { return nil }
        p = r
    }
    return p
}

/// The sum of `terms`, or nil when it overflows `Int`.
func checkedSum(_ terms: [Int]) -> Int? {
    var s = 0
    for t in terms {
        let (r, o) = s.addingReportingOverflow(t)
        if o { return nil }
        s = r
    }
    return s
}

/// The element count of `shape` after checking every length is non-negative and that the
/// count times `itemSize` fits in `Int`.
/// - Throws: `ArrayError.invalidArgument` naming `operation` and the shape.
/// - Complexity: O(ndim).
func checkedElementCount(_ shape: [Int], itemSize: Int, operation: String) throws -> Int {
    if let n = shape.first(where: { $0 < 0 }) {
        throw ArrayError.invalidArgument(operation: operation, reason: "negative axis length \(n) in \(fmt(shape))")
    }
    guard let n = checkedProduct(shape), n <= maximumElementCount(itemSize: itemSize) else {
        throw ArrayError.invalidArgument(operation: operation,
                                         reason: "shape \(fmt(shape)) exceeds the maximum allowed size (\(itemSize)-byte elements; the byte count overflows a 64-bit integer)")
    }
    return n
}
