// Hashes of key rows for hash partitioning, equal for equal keys on both sides of a merge:
// numbers hash as doubles (so 3 and 3.0 meet), text as its bytes (FNV-1a, the same in every
// process), missing values alike.

extension Column {
    /// Mixes this column's per-row hashes into `h`.
    func mixHashes(into h: inout [UInt64]) {
        @inline(__always) func mix(_ x: inout UInt64, _ v: UInt64) {
            x = (x ^ v) &* 0x100_0000_01B3
            x ^= x >> 29
        }
        for i in 0..<count {
            var v: UInt64
            if !isValid(i) { v = 0x9E37_79B9_7F4A_7C15 } else {
                switch values {
                case .int64(let a): v = Double(a[i]).bitPattern
                case .float64(let a): v = (a[i] == 0 ? 0.0 : a[i]).bitPattern
                case .bool(let a): v = a[i] ? 1 : 2
                case .timestamp(let a): v = UInt64(bitPattern: a[i])
                case .string(let s):
                    v = 0xCBF2_9CE4_8422_2325
                    s.withBytes(i) { b in for c in b { v = (v ^ UInt64(c)) &* 0x100_0000_01B3 } }
                }
            }
            mix(&h[i], v)
        }
    }
}

/// The hash of every row's key, finished so that every bit depends on every key bit.
///
/// The finish matters: the mixing above only carries bits upward (a multiply) and 29 places down,
/// and a small integer as a double has its low 40-odd bits zero, so before it every key below 2²¹
/// had the same low bits and `hash % buckets` sent them all to one bucket (a hash-partitioned
/// join of db-benchmark's ids ran as one task).
func keyHashes(_ keys: [Column]) -> [UInt64] {
    var h = [UInt64](repeating: 0xCBF2_9CE4_8422_2325, count: keys.first?.count ?? 0)
    for k in keys { k.mixHashes(into: &h) }
    h.withUnsafeMutableBufferPointer { p in
        for i in p.indices {
            // MurmurHash3's 64-bit finaliser.
            var x = p[i]
            x ^= x >> 33
            x &*= 0xFF51_AFD7_ED55_8CCD
            x ^= x >> 33
            x &*= 0xC4CE_B9FE_1A85_EC53
            x ^= x >> 33
            p[i] = x
        }
    }
    return h
}
