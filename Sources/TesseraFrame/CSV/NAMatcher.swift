// Missing-value spellings, recognised straight from bytes.

/// Recognises pandas-style missing-value spellings with a cheap first-byte/length filter.
/// Shared (read-only) by the tasks of every partition of one read.
final class NAMatcher: @unchecked Sendable {
    /// For each first byte, a bit per length (< 64) of the NA spellings starting with it.
    private let lengthMask: UnsafeMutablePointer<UInt64>
    /// Read-only once built (a `let`: reads of a class `var` pay a run-time exclusivity check).
    private let values: [[UInt8]]
    let matchesEmpty: Bool

    init(_ set: Set<String>) {
        lengthMask = .allocate(capacity: 256)
        lengthMask.initialize(repeating: 0, count: 256)
        matchesEmpty = set.contains("")
        var spellings: [[UInt8]] = []
        for s in set where !s.isEmpty && s.utf8.count < 64 {
            let b = Array(s.utf8)
            lengthMask[Int(b[0])] |= 1 << UInt64(b.count)
            spellings.append(b)
        }
        values = spellings
        // Computed once here: the matcher is shared by the tasks of all partitions.
        for v in values {
            // Zero-padded: the parsers may load 8 bytes at a time.
            (v + [UInt8](repeating: 0, count: 8)).withUnsafeBufferPointer { b in
                let p = b.baseAddress!, n = v.count
                if parseInt64(p, n) != nil { int64Parses = true }
                if let d = parseDouble(p, n), !d.isNaN { float64Parses = true }
                if parseBool(p, n) != nil { boolParses = true }
                if parseTimestamp(p, n) != nil { timestampParses = true }
            }
        }
    }

    deinit { lengthMask.deallocate() }

    /// Whether some missing-value spelling also parses as a value of `type` (other than a float
    /// NaN, which means missing anyway); then values must be checked against the set first.
    func parses(as type: DataType) -> Bool {
        switch type {
        case .int64: return int64Parses
        case .float64: return float64Parses
        case .bool: return boolParses
        case .timestamp: return timestampParses
        case .string: return true
        }
    }

    private var int64Parses = false, float64Parses = false, boolParses = false, timestampParses = false

    /// Whether `p[0..<n]` is a missing-value spelling.
    @inline(__always)
    func isNA(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return matchesEmpty }
        if n >= 64 || (lengthMask[Int(p[0])] >> UInt64(n)) & 1 == 0 { return false }
        return slowMatch(p, n)
    }

    @inline(never)
    private func slowMatch(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for v in values where v.count == n {
            var same = true
            for j in 0..<n where v[j] != p[j] { same = false; break }
            if same { return true }
        }
        return false
    }
}

