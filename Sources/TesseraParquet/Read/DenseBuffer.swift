// The output of a column chunk's decoder: a buffer of plain values that grows without ever
// initialising the room it has not written yet. An `[Int64](repeating: 0, count:)` of a row
// group's size costs a memset and a page fault per 4 KiB before a single value is decoded; here
// the storage is an array whose elements past `count` are left as the allocator gave them (the
// element types are trivial, so nothing reads or destroys them), and the decoder writes each
// value once. When the chunk is done, the values are spread over the rows in place
// (`takeExpanded(over:rowCount:placeholder:)`) and the storage becomes the column's array without a copy.

import TesseraFrame

/// A growable run of trivial values; only `0..<count` is initialised.
struct DenseBuffer<Element: BitwiseCopyable>: Sendable where Element: Sendable {
    /// `storage.count` is the capacity; elements at `count...` hold no value yet.
    private var storage: [Element] = []
    /// The number of values written.
    private(set) var count = 0

    init() {}

    /// Makes room for at least `n` more values without initialising it.
    /// - Complexity: O(count) when the storage grows (to at least twice its size), else O(1).
    mutating func reserve(_ n: Int) {
        let needed = count + n
        guard needed > storage.count else { return }
        let capacity = Swift.max(needed, storage.count * 2)
        let old = count
        storage = storage.withUnsafeBufferPointer { src in
            uninitializedArray(capacity) { dst in
                if old > 0 { dst.baseAddress!.initialize(from: src.baseAddress!, count: old) }
            }
        }
    }

    /// Appends one value.
    mutating func append(_ value: Element) {
        if count == storage.count { reserve(1) }
        storage.withUnsafeMutableBufferPointer { $0[count] = value }
        count += 1
    }

    /// Appends `n` values that `body` writes through the pointer it is given (to exactly `n`
    /// elements); the buffer grows first when needed.
    mutating func append<R>(_ n: Int, _ body: (UnsafeMutablePointer<Element>) throws -> R) rethrows -> R {
        reserve(n)
        // `n` may be 0 on empty storage: `storage` has no base address then.
        guard n > 0 else { return try withUnsafeTemporaryAllocation(of: Element.self, capacity: 1) { try body($0.baseAddress!) } }
        let start = count
        let result = try storage.withUnsafeMutableBufferPointer { try body($0.baseAddress! + start) }
        count += n
        return result
    }

    /// Appends every element of `values`.
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        append(values.count) { dst in if let src = values.baseAddress { dst.initialize(from: src, count: values.count) } }
    }

    /// The values written so far.
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The values written so far, to change in place.
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        let n = count
        return try storage.withUnsafeMutableBufferPointer { try body(UnsafeMutableBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The values as an array, leaving the buffer empty: the storage itself, its unwritten tail
    /// dropped, so no copy (a mutating take, not a consuming call on a copy of the buffer, so the
    /// storage has one owner and the stdlib has no reason to copy it).
    mutating func takeArray() -> [Element] {
        var s = storage
        storage = []
        if s.count > count { s.removeLast(s.count - count) }
        count = 0
        return s
    }

    /// The values spread over `rowCount` rows: row `i` holds the next value where `validity`
    /// is set and `placeholder` where it is clear (every row holds a value when nil). Done in
    /// place from the last row back: the k-th value moves to a row at or after k, so no value
    /// is overwritten before it moves.
    /// - Precondition: `count` equals the number of set bits of `validity` (or `rowCount`).
    /// - Complexity: O(rowCount).
    /// The buffer is left empty.
    mutating func takeExpanded(over validity: Bitmap?, rowCount: Int, placeholder: Element) -> [Element] {
        guard let v = validity else { return takeArray() }
        reserve(rowCount - count)
        var s = storage
        storage = []
        let present = count
        count = 0
        s.withUnsafeMutableBufferPointer { p in
            v.words.withUnsafeBufferPointer { words in
                var k = present  // values not yet placed
                var w = (rowCount + 63) >> 6
                while w > 0 {
                    w -= 1
                    let first = w << 6
                    let rows = Swift.min(64, rowCount - first)
                    let full: UInt64 = rows == 64 ? ~0 : (1 << UInt64(rows)) - 1
                    let word = words[w] & full
                    if word == full {
                        // A word of present rows moves as one block (memmove: the ranges may overlap).
                        k -= rows
                        if k != first {
                            UnsafeMutableRawPointer(p.baseAddress! + first).copyMemory(from: p.baseAddress! + k,
                                                                                       byteCount: rows * MemoryLayout<Element>.stride)
                        }
                        continue
                    }
                    // Runs of present rows move as blocks, from the highest run down; the gaps
                    // between them get the placeholder.
                    var x = word
                    var top = rows  // rows of this word at and above `top` are placed
                    while x != 0 {
                        let high = 63 - x.leadingZeroBitCount  // the run's last row
                        let length = (~(x << UInt64(63 - high))).leadingZeroBitCount
                        let low = high + 1 - length
                        (p.baseAddress! + first + high + 1).update(repeating: placeholder, count: top - high - 1)
                        k -= length
                        UnsafeMutableRawPointer(p.baseAddress! + first + low).copyMemory(from: p.baseAddress! + k,
                                                                                        byteCount: length * MemoryLayout<Element>.stride)
                        top = low
                        x &= length == 64 ? 0 : ~(((1 << UInt64(length)) - 1) << UInt64(low))
                    }
                    (p.baseAddress! + first).update(repeating: placeholder, count: top)
                }
            }
        }
        if s.count > rowCount { s.removeLast(s.count - rowCount) }
        return s
    }
}

/// An array of `n` trivial elements whose contents `initialize` writes (it may leave some
/// unwritten: callers track what is). The empty array is returned without calling the
/// initialiser: `Array(unsafeUninitializedCapacity: 0)` would store its count into the stdlib's
/// shared empty storage, a write every other thread's empty arrays read.
func uninitializedArray<T: BitwiseCopyable>(_ n: Int, _ initialize: (UnsafeMutableBufferPointer<T>) -> Void = { _ in }) -> [T] {
    guard n > 0 else { return [] }
    return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
        initialize(buffer)
        initialized = n
    }
}
