// Cutting one column into the pieces a shuffle sends to different places. Dictionary-encoded
// text is the reason this is not `take` per piece: a piece that keeps the whole partition's
// dictionary makes whoever concatenates pieces from many partitions hash every partition's
// every string (a serial union of millions of entries for a many-group groupby); a piece that
// carries only the strings its rows use hands over a share proportional to its rows.

extension Column {
    /// The rows `rows[k]` of this column as piece `k`; dictionary-encoded text keeps in each piece
    /// only the entries its rows use (in order of first use), so pieces of different partitions
    /// merge in proportion to their size. Other columns are gathered as by `take`.
    /// - Complexity: O(total rows of the pieces + bytes of the strings they use); one scratch
    ///   array as long as the dictionary, reset piece by piece (never cleared whole).
    func pieces(_ rows: [[Int]]) -> [Column] {
        guard case .string(.dictionary(let codes, let d)) = values, rows.count > 0 else { return rows.map { take($0) } }
        var newCode = [Int32](repeating: -1, count: d.count)
        return rows.map { r in
            var used: [Int32] = []
            var local = [Int32](repeating: -1, count: r.count)
            codes.withUnsafeBufferPointer { c in
                newCode.withUnsafeMutableBufferPointer { m in
                    local.withUnsafeMutableBufferPointer { out in
                        for (k, i) in r.enumerated() {
                            let x = Int(c[i])
                            guard x >= 0 else { continue }
                            if m[x] < 0 { m[x] = Int32(used.count); used.append(Int32(x)) }
                            out[k] = m[x]
                        }
                    }
                }
            }
            var dictionary = StringBuffer()
            var bytes = 0
            for x in used { bytes += d.offsets[Int(x) + 1] - d.offsets[Int(x)] }
            dictionary.reserveCapacity(used.count, bytes: bytes)
            for x in used { dictionary.append(d, Int(x)); newCode[Int(x)] = -1 }
            return Column(values: .string(.dictionary(codes: local, dictionary: dictionary)), validity: validity?.taking(r))
                .withOriginalText(originalText?.taking(r))
        }
    }
}

extension Table {
    /// The rows `rows[k]` of this table as piece `k`, dictionaries trimmed to what each piece
    /// uses (see `Column.pieces(_:)`).
    /// - Complexity: O(total rows of the pieces × columns).
    func pieces(_ rows: [[Int]]) -> [Table] {
        let columnPieces = columns.map { $0.pieces(rows) }
        return rows.indices.map { k in Table(unchecked: names, columnPieces.map { $0[k] }, rowCount: rows[k].count) }
    }
}
