// The values of one column chunk as its pages decode them: only the present (non-null) values,
// in physical form after widening (INT32 and INT96 to Int64, FLOAT to Double). Dictionary pages
// decode into the same shape, and dictionary indices gather from it.

/// Decoded present values of one physical kind.
struct PhysicalValues: Sendable {
    enum Kind: Sendable { case bool, int, double, bytes }
    let kind: Kind
    var bools = DenseBuffer<Bool>()
    var ints = DenseBuffer<Int64>()
    var doubles = DenseBuffer<Double>()
    var bytes = ByteArrays()

    init(_ physical: PhysicalType) {
        switch physical {
        case .boolean: kind = .bool
        case .int32, .int64, .int96: kind = .int
        case .float, .double: kind = .double
        case .byteArray, .fixedLenByteArray: kind = .bytes
        }
    }

    /// Reserves room for `n` values in all, once per chunk: reserving page by page would
    /// reallocate (and copy everything so far) at every page.
    mutating func reserve(_ n: Int) {
        switch kind {
        case .bool: bools.reserve(n)
        case .int: ints.reserve(n)
        case .double: doubles.reserve(n)
        case .bytes: bytes.offsets.reserveCapacity(n + 1)
        }
    }

    var count: Int {
        switch kind {
        case .bool: return bools.count
        case .int: return ints.count
        case .double: return doubles.count
        case .bytes: return bytes.count
        }
    }

    /// Appends `n` PLAIN-encoded values of `leaf`'s physical type from `r`.
    mutating func appendPlain(_ r: inout ByteReader, count n: Int, leaf: LeafColumn) throws {
        switch leaf.physical {
        case .boolean:
            try r.need((n + 7) / 8, "\(n) PLAIN booleans")
            let src = r.rest
            bools.append(n) { o in for i in 0..<n { o[i] = (src[i >> 3] >> UInt8(i & 7)) & 1 != 0 } }
            r.position += (n + 7) / 8
        case .int32:
            let src = try r.take(n * 4, "\(n) PLAIN INT32 values")
            ints.append(n) { o in for i in 0..<n { o[i] = Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) } }
        case .int64:
            let src = try r.take(n * 8, "\(n) PLAIN INT64 values")
            ints.append(n) { o in if n > 0 { UnsafeMutableRawPointer(o).copyMemory(from: src.baseAddress!, byteCount: n * 8) } }
        case .int96:
            let src = try r.take(n * 12, "\(n) PLAIN INT96 values")
            try ints.append(n) { o in for i in 0..<n { o[i] = try int96Microseconds(src, i * 12) } }
        case .float:
            let src = try r.take(n * 4, "\(n) PLAIN FLOAT values")
            doubles.append(n) { o in
                for i in 0..<n { o[i] = Double(Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            }
        case .double:
            let src = try r.take(n * 8, "\(n) PLAIN DOUBLE values")
            doubles.append(n) { o in if n > 0 { UnsafeMutableRawPointer(o).copyMemory(from: src.baseAddress!, byteCount: n * 8) } }
        case .byteArray:
            for _ in 0..<n {
                let length = try r.fixed(UInt32.self)
                bytes.append(try r.take(Int(length), "a PLAIN byte array of \(length) bytes"))
            }
        case .fixedLenByteArray:
            guard leaf.typeLength > 0 else { throw CorruptData("FIXED_LEN_BYTE_ARRAY of length \(leaf.typeLength)") }
            let src = try r.take(n * leaf.typeLength, "\(n) PLAIN fixed-length byte arrays")
            for i in 0..<n { bytes.append(UnsafeRawBufferPointer(rebasing: src[(i * leaf.typeLength)..<((i + 1) * leaf.typeLength)])) }
        }
    }

    /// Appends `n` values whose dictionary indices are RLE/bit-packed in `data`, each index
    /// turned into its dictionary value as it is decoded (no index array in between).
    /// - Throws: `CorruptData` naming an index out of range or malformed runs.
    /// - Complexity: O(n + bytes).
    mutating func appendDictionaryIndices(_ data: UnsafeRawBufferPointer, bitWidth: Int, count n: Int, from dictionary: PhysicalValues,
                                          scratch: UnsafeMutableBufferPointer<UInt32>) throws {
        switch kind {
        case .bool: try gatherIndices(data, bitWidth, n, dictionary.bools, into: &bools, scratch)
        case .int: try gatherIndices(data, bitWidth, n, dictionary.ints, into: &ints, scratch)
        case .double: try gatherIndices(data, bitWidth, n, dictionary.doubles, into: &doubles, scratch)
        case .bytes:
            var codes = DenseBuffer<Int32>()
            try codes.appendDictionaryCodes(data, bitWidth: bitWidth, count: n, dictionarySize: dictionary.count, scratch: scratch)
            codes.withUnsafeBufferPointer { for c in $0 { bytes.append(dictionary.bytes, Int(c)) } }
        }
    }
}

/// Appends `dictionary[index]` to `out` for each of the `n` RLE/bit-packed indices in `data`.
private func gatherIndices<T>(_ data: UnsafeRawBufferPointer, _ bitWidth: Int, _ n: Int, _ dictionary: DenseBuffer<T>,
                              into out: inout DenseBuffer<T>, _ scratch: UnsafeMutableBufferPointer<UInt32>) throws {
    try dictionary.withUnsafeBufferPointer { d in
        try out.append(n) { o in
            var sink = GatherSink(dictionary: d, next: o)
            try decodeRLEHybrid(data, bitWidth: bitWidth, count: n, scratch: scratch, into: &sink, what: "dictionary indices")
        }
    }
}

extension DenseBuffer<Int32> {
    /// Appends `n` dictionary codes RLE/bit-packed in `data` (text keeps its dictionary).
    /// - Throws: `CorruptData` naming a code out of range or malformed runs.
    /// - Complexity: O(n + bytes).
    mutating func appendDictionaryCodes(_ data: UnsafeRawBufferPointer, bitWidth: Int, count n: Int, dictionarySize: Int,
                                        scratch: UnsafeMutableBufferPointer<UInt32>) throws {
        try append(n) { o in
            var sink = CodeSink(dictionarySize: dictionarySize, next: o)
            try decodeRLEHybrid(data, bitWidth: bitWidth, count: n, scratch: scratch, into: &sink, what: "dictionary indices")
        }
    }
}

/// Writes `dictionary[index]` for each index decoded.
private struct GatherSink<T>: RLEHybridSink {
    let dictionary: UnsafeBufferPointer<T>
    var next: UnsafeMutablePointer<T>

    mutating func repeated(_ value: UInt32, count: Int) throws {
        try checkIndex(value, dictionary.count)
        next.initialize(repeating: dictionary[Int(value)], count: count)
        next += count
    }

    mutating func unpacked(_ values: UnsafeBufferPointer<UInt32>) throws {
        try checkIndices(values, dictionarySize: dictionary.count)
        let d = dictionary.baseAddress!
        for (k, i) in values.enumerated() { next[k] = d[Int(i)] }
        next += values.count
    }
}

/// Writes each index decoded as a dictionary code.
private struct CodeSink: RLEHybridSink {
    let dictionarySize: Int
    var next: UnsafeMutablePointer<Int32>

    mutating func repeated(_ value: UInt32, count: Int) throws {
        try checkIndex(value, dictionarySize)
        next.initialize(repeating: Int32(bitPattern: value), count: count)
        next += count
    }

    mutating func unpacked(_ values: UnsafeBufferPointer<UInt32>) throws {
        try checkIndices(values, dictionarySize: dictionarySize)
        for (k, i) in values.enumerated() { next[k] = Int32(bitPattern: i) }
        next += values.count
    }
}

private func checkIndex(_ index: UInt32, _ dictionarySize: Int) throws {
    if Int(index) >= dictionarySize {
        throw CorruptData("dictionary index \(index) out of range (the dictionary has \(dictionarySize) values)")
    }
}

/// Checks every index is below `dictionarySize` in one branch-free pass (the maximum).
func checkIndices(_ indices: UnsafeBufferPointer<UInt32>, dictionarySize: Int) throws {
    var largest: UInt32 = 0
    for i in indices { largest = Swift.max(largest, i) }
    if !indices.isEmpty { try checkIndex(largest, dictionarySize) }
}

/// An INT96 timestamp (nanoseconds of the day, then the Julian day, little-endian) in microseconds.
func int96Microseconds(_ src: UnsafeRawBufferPointer, _ offset: Int) throws -> Int64 {
    let nanos = Int64(littleEndian: src.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    let julian = Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: offset + 8, as: Int32.self)))
    let days = julian - 2_440_588  // the Julian day of 1970-01-01
    let (us, o1) = days.multipliedReportingOverflow(by: 86_400_000_000)
    let (total, o2) = us.addingReportingOverflow(nanos >= 0 ? nanos / 1000 : (nanos - 999) / 1000)
    guard !o1 && !o2 else { throw CorruptData("INT96 timestamp out of range") }
    return total
}
