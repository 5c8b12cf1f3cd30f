// The values of one column chunk as its pages decode them: only the present (non-null) values,
// in physical form after widening (INT32 and INT96 to Int64, FLOAT to Double). Dictionary pages
// decode into the same shape, and dictionary indices gather from it.

/// Decoded present values of one physical kind.
struct PhysicalValues: Sendable {
    enum Kind: Sendable { case bool, int, double, bytes }
    let kind: Kind
    var bools: [Bool] = []
    var ints: [Int64] = []
    var doubles: [Double] = []
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
        case .bool: bools.reserveCapacity(n)
        case .int: ints.reserveCapacity(n)
        case .double: doubles.reserveCapacity(n)
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
            let base = r.position
            for i in 0..<n { bools.append((r.bytes[base + i >> 3] >> UInt8(i & 7)) & 1 != 0) }
            r.position += (n + 7) / 8
        case .int32:
            let src = try r.take(n * 4, "\(n) PLAIN INT32 values")
            for i in 0..<n { ints.append(Int64(Int32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))) }
        case .int64:
            let src = try r.take(n * 8, "\(n) PLAIN INT64 values")
            for i in 0..<n { ints.append(Int64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
        case .int96:
            let src = try r.take(n * 12, "\(n) PLAIN INT96 values")
            for i in 0..<n { ints.append(try int96Microseconds(src, i * 12)) }
        case .float:
            let src = try r.take(n * 4, "\(n) PLAIN FLOAT values")
            for i in 0..<n { doubles.append(Double(Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))) }
        case .double:
            let src = try r.take(n * 8, "\(n) PLAIN DOUBLE values")
            for i in 0..<n { doubles.append(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
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

    /// Appends `dictionary[indices[k]]` for each index.
    /// - Throws: `CorruptData` naming an index out of range.
    mutating func appendGathered(from dictionary: PhysicalValues, _ indices: UnsafeBufferPointer<UInt64>) throws {
        try checkIndices(indices, dictionarySize: dictionary.count)
        switch kind {
        case .bool: gather(dictionary.bools, indices, into: &bools)
        case .int: gather(dictionary.ints, indices, into: &ints)
        case .double: gather(dictionary.doubles, indices, into: &doubles)
        case .bytes: for i in indices { bytes.append(dictionary.bytes, Int(i)) }
        }
    }
}

/// Checks every index is below `dictionarySize` in one branch-free pass (the maximum).
func checkIndices(_ indices: UnsafeBufferPointer<UInt64>, dictionarySize: Int) throws {
    var largest: UInt64 = 0
    for i in indices { largest = Swift.max(largest, i) }
    if !indices.isEmpty && largest >= UInt64(dictionarySize) {
        throw CorruptData("dictionary index \(largest) out of range (the dictionary has \(dictionarySize) values)")
    }
}

/// Appends `source[i]` for each of `indices` (already checked) to `out`, through pointers.
func gather<T, U>(_ source: [T], _ indices: UnsafeBufferPointer<UInt64>, into out: inout [U], _ convert: (T) -> U) {
    // An empty gather would write the count 0 into the stdlib's shared empty-array storage, a
    // write every other thread's empty arrays read (ThreadSanitizer reports it).
    if indices.isEmpty { return }
    // Gathered into a fresh buffer, then appended with one copy: appending a repeated
    // placeholder first and overwriting it costs a slow element-by-element fill.
    let gathered = [U](unsafeUninitializedCapacity: indices.count) { buffer, initialized in
        source.withUnsafeBufferPointer { src in
            for (k, i) in indices.enumerated() { (buffer.baseAddress! + k).initialize(to: convert(src[Int(i)])) }
        }
        initialized = indices.count
    }
    out.append(contentsOf: gathered)
}

func gather<T>(_ source: [T], _ indices: UnsafeBufferPointer<UInt64>, into out: inout [T]) {
    gather(source, indices, into: &out) { $0 }
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
