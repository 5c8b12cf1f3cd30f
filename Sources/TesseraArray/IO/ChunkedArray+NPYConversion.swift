import Foundation
import Tessera

extension ChunkedArray {
    /// A lazy array over a `.npy` file of any supported dtype (float64, float32, int64, int32,
    /// bool), converted to `Scalar` as each block is read: NumPy's `np.load(path).astype(...)`.
    ///
    /// ```swift
    /// let x = try ChunkedArray<Double>.fromNPY("counts.npy", converting: true)   // an int32 file
    /// ```
    /// Conversions are `astype`'s (floats to integers truncate, as NumPy's `astype`). With
    /// `converting: false` this is `fromNPY(_:chunks:)`, which rejects another dtype.
    /// - Parameters:
    ///   - path: the file.
    ///   - chunks: the block sizes.
    ///   - converting: whether a file of another dtype is converted (true) or an error (false).
    /// - Returns: a lazy array of `Scalar`.
    /// - Throws: `ArrayError.npy` naming the file for a dtype Tessera doesn't read, or any
    ///   problem `fromNPY(_:chunks:)` reports.
    /// - Complexity: reads the header now; each block task reads and converts its part.
    public static func fromNPY(_ path: String, chunks: Chunks = .auto, converting: Bool) throws -> ChunkedArray {
        guard converting else { return try fromNPY(path, chunks: chunks) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw ArrayError.npy(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let descr = try data.withUnsafeBytes { try NPY.parseHeader($0, path: path).descr }
        let normalized = "<" + descr.dropFirst()
        guard let stored = DType.allCases.first(where: { "<" + $0.npyDescr.dropFirst() == normalized }) else {
            return try fromNPY(path, chunks: chunks)   // its error names the dtype
        }
        switch stored {
        case .float64: return try ChunkedArray<Double>.fromNPY(path, chunks: chunks).astype(Scalar.self)
        case .float32: return try ChunkedArray<Float>.fromNPY(path, chunks: chunks).astype(Scalar.self)
        case .int64: return try ChunkedArray<Int64>.fromNPY(path, chunks: chunks).astype(Scalar.self)
        case .int32: return try ChunkedArray<Int32>.fromNPY(path, chunks: chunks).astype(Scalar.self)
        case .bool: return try ChunkedArray<Bool>.fromNPY(path, chunks: chunks).astype(Scalar.self)
        }
    }
}
