import Foundation

extension ChunkedArray: CustomStringConvertible {
    /// Like Dask's repr: `ChunkedArray<add, shape=(20000, 20000), dtype=float64,
    /// chunksize=(2000, 2000), blocks=100 (10×10), nbytes=3.2 GB>`.
    public var description: String {
        let chunksize = chunks.map { $0.max() ?? 0 }
        let kind = node.expression?.label ?? layer.kind
        return "ChunkedArray<\(kind), shape=\(fmt(shape)), dtype=\(dtype.rawValue), chunksize=\(fmt(chunksize)), "
            + "blocks=\(blockCount) (\(numBlocks.map(String.init).joined(separator: "×"))), nbytes=\(formatBytes(nbytes))>"
    }
}

/// `3.2 GB`, `512 kB`: decimal units like Dask's repr.
func formatBytes(_ n: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"]
    var v = Double(n), u = 0
    while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
    return u == 0 ? "\(n) B" : String(format: v < 10 ? "%.2f %@" : v < 100 ? "%.1f %@" : "%.0f %@", v, units[u])
}

extension NDArray: CustomStringConvertible {
    /// NumPy-like printing: `array([[1., 2.],\n       [3., 4.]])`; more than 1000 elements are
    /// summarised with `...` (three entries at each end of each axis), as NumPy does.
    public var description: String {
        if ndim == 0 { return "array(\(NDArray.format(storage.pointer[0], style: NDArray.style([storage.pointer[0]]))))" }
        let summarize = count > 1000
        // Format every printed element the same way so columns line up.
        var shown: [Scalar] = []
        forEachShown(summarize: summarize) { shown.append($0) }
        let style = NDArray.style(shown)
        let texts = shown.map { NDArray.format($0, style: style) }
        let width = texts.map(\.count).max() ?? 0
        var it = texts.makeIterator()
        func render(_ axis: Int, indent: String) -> String {
            let n = shape[axis]
            let idx: [Int?] = summarize && n > 6 ? [0, 1, 2, nil, n - 3, n - 2, n - 1] : (0..<n).map { $0 }
            if axis == ndim - 1 {
                let parts = idx.map { i -> String in
                    guard i != nil else { return "..." }
                    let t = it.next()!
                    return String(repeating: " ", count: width - t.count) + t
                }
                return "[" + parts.joined(separator: ", ") + "]"
            }
            let sep = ",\n" + String(repeating: "\n", count: ndim - axis - 2) + indent + " "
            let parts = idx.map { i in i == nil ? "..." : render(axis + 1, indent: indent + " ") }
            return "[" + parts.joined(separator: sep) + "]"
        }
        if count == 0 { return "array([], shape=\(fmt(shape)), dtype=\(Scalar.dtype.rawValue))" }
        return "array(" + render(0, indent: "      ") + ")"
    }

    private func forEachShown(summarize: Bool, _ body: (Scalar) -> Void) {
        func walk(_ axis: Int, _ offset: Int) {
            let n = shape[axis]
            let stride = shape[(axis + 1)...].reduce(1, *)
            let idx = summarize && n > 6 ? [0, 1, 2, n - 3, n - 2, n - 1] : Array(0..<n)
            for i in idx {
                if axis == ndim - 1 { body(storage.pointer[offset + i]) } else { walk(axis + 1, offset + i * stride) }
            }
        }
        if ndim > 0 { walk(0, 0) }
    }

    enum Style { case integral, fixed(Int), scientific, integer, bool }

    static func style(_ values: [Scalar]) -> Style {
        switch Scalar.dtype {
        case .bool: return .bool
        case .int32, .int64: return .integer
        default:
            let finite = values.map(\._double).filter { $0.isFinite }
            if finite.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e16 }) { return .integral }
            let maxAbs = finite.map { Swift.abs($0) }.max() ?? 0
            let minAbs = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 1
            if maxAbs >= 1e8 || minAbs < 1e-4 { return .scientific }
            // Up to 8 decimals, as few as represent every value (NumPy's default precision).
            var digits = 1
            while digits < 8 && !finite.allSatisfy({ Double(String(format: "%.\(digits)f", $0)) == $0 }) { digits += 1 }
            return .fixed(digits)
        }
    }

    static func format(_ v: Scalar, style: Style) -> String {
        let d = v._double
        if Scalar.dtype == .bool { return v._isNonzero ? "True" : "False" }
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        switch style {
        case .bool: return v._isNonzero ? "True" : "False"
        case .integer: return String(v._int64)
        case .integral: return String(format: "%.0f.", d)
        case .fixed(let n): return String(format: "%.\(n)f", d)
        case .scientific: return String(format: "%.8e", d)
        }
    }
}
