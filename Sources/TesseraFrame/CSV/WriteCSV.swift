// Writing frames as CSV: one file per partition, each through a temporary name and a rename,
// so a failure never leaves a half-written file under the final name.

import Foundation
import Tessera
#if canImport(Glibc)
import Glibc
#endif

extension Table {
    /// The table as CSV text: a header line, then one line per row; missing values and NaN
    /// empty (as pandas' `to_csv`), floats in shortest round-trip form, booleans `True`/`False`,
    /// timestamps ISO 8601, and fields quoted (RFC 4180) where one of their bytes is a comma,
    /// quote, CR or LF. A one-column table writes a missing value as `""` and quotes a value of
    /// only spaces, so that the line isn't blank (blank lines are skipped when read back).
    public func csv(header: Bool = true) -> String {
        String(decoding: csvBytes(header: header), as: UTF8.self)
    }

    /// The CSV text as bytes (see `csv(header:)`); text columns' bytes are copied exactly.
    /// - Complexity: O(cells + bytes).
    public func csvBytes(header: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rowCount * columnCount * 6 + 64)
        func text(_ s: String) {
            var t = s
            t.withUTF8 { appendCSVField($0, to: &out) }
        }
        if header {
            for (j, n) in names.enumerated() {
                if j > 0 { out.append(44) }
                text(n)
            }
            if columnCount == 1 && names[0].isEmpty { out.append(contentsOf: [34, 34]) }
            out.append(10)
        }
        let lone = columnCount == 1
        for i in 0..<rowCount {
            for (j, c) in columns.enumerated() {
                if j > 0 { out.append(44) }
                let before = out.count
                if c.isValid(i) {
                    switch c.values {
                    case .int64(let a): out.append(contentsOf: String(a[i]).utf8)
                    case .float64(let a): if !a[i].isNaN { out.append(contentsOf: formatDouble(a[i]).utf8) }
                    case .bool(let a): out.append(contentsOf: (a[i] ? "True" : "False").utf8)
                    case .timestamp(let a): out.append(contentsOf: formatTimestamp(a[i]).utf8)
                    case .string(let s):
                        // Alone on its line, a value of only spaces would read back as a blank line.
                        s.withBytes(i) { appendCSVField($0, to: &out, quoteBlank: lone) }
                    }
                }
                if lone && out.count == before { out.append(contentsOf: [34, 34]) }
            }
            out.append(10)
        }
        return out
    }
}

extension ChunkedFrame {
    /// Writes one CSV file per partition into `directory` (created if missing), named
    /// `part-00000.csv`, `part-00001.csv`, …; partitions are computed and written in parallel.
    /// - Returns: the paths written, in partition order.
    /// - Throws: `FrameError.io` naming the path that couldn't be written (as a `TaskFailure`
    ///   when it happens in a partition's task).
    @discardableResult
    public func toCSV(_ directory: String, scheduler: Scheduler? = nil) throws -> [String] {
        try writePartitionFiles(directory, fileExtension: "csv", kind: "to-csv", scheduler: scheduler) { $0.csvBytes() }
    }
}
