import Tessera

/// A TSQR node's factor crosses ranks as its factored block, LAPACK's `T` array and its size.
extension HouseholderFactor: BlockCodable {
    init(factored: NDArray<T>, t: [T], rows: Int, columns: Int) {
        self.factored = factored
        self.t = t
        self.rows = rows
        self.columns = columns
    }

    /// Writes the block, the `T` array and the dimensions.
    /// - Parameter writer: where the bytes go.
    func encode(to writer: inout BlockWriter) {
        factored.encode(to: &writer)
        NDArray(t).encode(to: &writer)
        writer.write(Int64(rows))
        writer.write(Int64(columns))
    }

    /// Reads a factor written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the factor.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> HouseholderFactor<T> {
        let factored = try NDArray<T>.decode(from: &reader)
        let t = try NDArray<T>.decode(from: &reader).scalars
        let rows = try reader.readCount(), columns = try reader.readCount()
        guard factored.count == rows * columns else { throw BlockCodecError.malformed("a \(rows)×\(columns) factor of \(factored.count) values") }
        return HouseholderFactor(factored: factored, t: t, rows: rows, columns: columns)
    }
}
