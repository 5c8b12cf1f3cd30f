import Tessera

/// One block: a contiguous row-major buffer of `Scalar` and its shape.
///
/// `NDArray` is what each task of a `ChunkedArray` produces, and a small eager array on its own:
/// every operation of `ChunkedArray` is available on it too (see `NDArray+Operations.swift`).
///
/// ```swift
/// var a = NDArray<Double>(shape: [2, 3], repeating: 0)
/// a[[1, 2]] = 5
/// a.withUnsafeBufferPointer { print($0.reduce(0, +)) }   // 5.0
/// ```
public struct NDArray<Scalar: ArrayScalar>: Equatable, @unchecked Sendable {
    /// The length of each axis; `[]` for a 0-d (scalar) array.
    public private(set) var shape: [Int]
    /// The elements, row-major; a class so blocks share memory until one is mutated (copy on write).
    var storage: NDStorage<Scalar>

    /// The elements in row-major (C) order, as a Swift array (a copy).
    public var scalars: [Scalar] { Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count)) }

    public static func == (a: NDArray, b: NDArray) -> Bool {
        guard a.shape == b.shape else { return false }
        if a.storage === b.storage { return true }
        for i in 0..<a.count where a.storage.pointer[i] != b.storage.pointer[i] { return false }
        return true
    }

    /// Read-only access for kernels; valid while this array (or a copy of it) is alive.
    var pointer: UnsafePointer<Scalar> { UnsafePointer(storage.pointer) }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// An array of `shape` with every element `value`.
    public init(shape: [Int], repeating value: Scalar) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative axis length in \(shape)")
        // Checked even under -Ounchecked: a wrapped count would allocate too little memory.
        guard let n = checkedProduct(shape), n <= maximumElementCount(itemSize: MemoryLayout<Scalar>.stride) else {
            fatalError("shape \(shape) exceeds the maximum allowed size")
        }
        self.shape = shape
        self.storage = NDStorage(count: n)
        storage.pointer.initialize(repeating: value, count: storage.count)
    }

    /// An array of `shape` holding `scalars` in row-major order.
    /// - Throws: `ArrayError.shapeMismatch` when the count doesn't match the shape.
    public init(shape: [Int], scalars: [Scalar]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), checkedProduct(shape) == scalars.count else {
            throw ArrayError.shapeMismatch(shape: shape, count: scalars.count)
        }
        self.shape = shape
        self.storage = NDStorage(scalars)
    }

    /// A 1-d array of `scalars`.
    public init(_ scalars: [Scalar]) {
        self.shape = [scalars.count]
        self.storage = NDStorage(scalars)
    }

    /// A 0-d array holding one value.
    public init(scalar: Scalar) {
        self.shape = []
        self.storage = NDStorage([scalar])
    }

    /// An array of `shape` whose elements `initializer` writes; it must write every element.
    /// - Complexity: O(1) besides the initializer: no zero-filling pass.
    public init(shape: [Int], unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative axis length in \(shape)")
        // Checked even under -Ounchecked: a wrapped count would allocate too little memory.
        guard let n = checkedProduct(shape), n <= maximumElementCount(itemSize: MemoryLayout<Scalar>.stride) else {
            fatalError("shape \(shape) exceeds the maximum allowed size")
        }
        self.shape = shape
        self.storage = NDStorage(count: n)
        try initializer(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// An array over `storage`, which holds exactly the shape's element count.
    init(shape: [Int], storage: NDStorage<Scalar>) {
        precondition(checkedProduct(shape) == storage.count, "shape \(shape) for \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { storage.count }
    /// Number of axes.
    public var ndim: Int { shape.count }
    /// Row-major element strides of `shape` (for index arithmetic; the buffer is always contiguous).
    public var strides: [Int] { rowMajorStrides(shape) }
    /// The single value of a 0-d or one-element array.
    public var scalar: Scalar? { count == 1 ? storage.pointer[0] : nil }

    /// Calls `body` with the elements in row-major order.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Calls `body` with the mutable elements in row-major order.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        makeUnique()
        var buf = UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count)
        return try body(&buf)
    }

    /// The element at a full multi-index (negative indices are not accepted here).
    public subscript(_ index: [Int]) -> Scalar {
        get { storage.pointer[flatIndex(index)] }
        set {
            let f = flatIndex(index)
            makeUnique()
            storage.pointer[f] = newValue
        }
    }

    /// The element at a full multi-index, given as variadic integers.
    public subscript(_ index: Int...) -> Scalar {
        get { self[index] }
        set { self[index] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var f = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of range for shape \(shape)")
            f = f * n + i
        }
        return f
    }

    /// The same elements under another shape with the same count.
    /// - Throws: `ArrayError.shapeMismatch`.
    public func reshaped(_ newShape: [Int]) throws -> NDArray {
        guard newShape.allSatisfy({ $0 >= 0 }), checkedProduct(newShape) == count else {
            throw ArrayError.shapeMismatch(shape: newShape, count: count)
        }
        var r = self
        r.shape = newShape
        return r
    }
}

/// Row-major strides, in elements, of `shape`. (SPI for the storage readers.)
@_spi(TesseraStorage) public func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
        s[k] = acc
        acc *= shape[k]
    }
    return s
}

/// The memory of an `NDArray`: an allocation of trivial scalars, freed with the last reference.
final class NDStorage<Scalar>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Scalar>
    let count: Int
    /// The memory's owner when it was adopted rather than allocated here (nil: `pointer` is ours to free).
    private let adopted: BlockBuffer?

    /// Uninitialised storage for `count` elements (all element types are trivial).
    init(count: Int) {
        self.count = count
        self.pointer = .allocate(capacity: Swift.max(count, 1))
        adopted = nil
    }

    /// Storage over `buffer`'s memory, already holding `count` elements (a value received by a
    /// transport), kept alive by this storage and released with it.
    init(adopting buffer: BlockBuffer, count: Int) {
        precondition(buffer.bytes.count >= count * MemoryLayout<Scalar>.stride
                     && Int(bitPattern: buffer.bytes.baseAddress) % MemoryLayout<Scalar>.alignment == 0)
        self.count = count
        self.pointer = buffer.bytes.baseAddress!.bindMemory(to: Scalar.self, capacity: count)
        adopted = buffer
    }

    convenience init(_ values: [Scalar]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { pointer.initialize(from: b, count: count) } }
    }

    func copy() -> NDStorage {
        let c = NDStorage(count: count)
        c.pointer.initialize(from: pointer, count: count)
        return c
    }

    deinit { if adopted == nil { pointer.deallocate() } }
}
