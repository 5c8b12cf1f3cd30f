// Writing frames as CSV: one file per partition, each through a temporary name and a rename,
// so a failure never leaves a half-written file under the final name.

import Foundation
import Tessera
#if canImport(Glibc)
import Glibc
#endif

extension Table {
    /// The table as CSV text: a header line, then one line per row; missing values empty,
    /// floats in shortest round-trip form, booleans `True`/`False`, timestamps ISO 8601, and
    /// fields quoted (RFC 4180) where they hold a delimiter, quote or line break.
    public func csv(header: Bool = true) -> String {
        String(decoding: csvBytes(header: header), as: UTF8.self)
    }

    /// The CSV text as UTF-8 bytes (see `csv(header:)`).
    public func csvBytes(header: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rowCount * columnCount * 6 + 64)
        func field(_ s: String) {
            let q = csvQuote(s)
            out.append(contentsOf: q.utf8)
        }
        if header {
            for (j, n) in names.enumerated() {
                if j > 0 { out.append(44) }
                field(n)
            }
            out.append(10)
        }
        for i in 0..<rowCount {
            for (j, c) in columns.enumerated() {
                if j > 0 { out.append(44) }
                guard c.isValid(i) else { continue }
                switch c.values {
                case .int64(let a): out.append(contentsOf: String(a[i]).utf8)
                case .float64(let a): out.append(contentsOf: formatDouble(a[i]).utf8)
                case .bool(let a): out.append(contentsOf: (a[i] ? "True" : "False").utf8)
                case .timestamp(let a): out.append(contentsOf: formatTimestamp(a[i]).utf8)
                case .string(let s):
                    let needsQuote = s.withBytes(i) { b in b.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 } }
                    if needsQuote { field(s[i]) } else { s.withBytes(i) { out.append(contentsOf: $0) } }
                }
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
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FrameError.io(path: directory, message: "cannot create directory: \(error.localizedDescription)")
        }
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        let parts = partitions
        let layer = Layer(kind: "to-csv", count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in
                let t = args[0] as! Table
                let name = "part-" + String(repeating: "0", count: Swift.max(0, 5 - String(i).count)) + String(i) + ".csv"
                let path = dir + name
                let tmp = dir + "." + name + ".tmp-\(getpid())"
                do {
                    try Data(t.csvBytes()).write(to: URL(fileURLWithPath: tmp))
                } catch {
                    try? FileManager.default.removeItem(atPath: tmp)
                    throw FrameError.io(path: path, message: "cannot write: \(error.localizedDescription)")
                }
                guard Glibc.rename(tmp, path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    try? FileManager.default.removeItem(atPath: tmp)
                    throw FrameError.io(path: path, message: "cannot rename into place: \(reason)")
                }
                return path as Any
            }
        }
        return try TaskGraph(layer.refs).compute(scheduler: scheduler).map { $0 as! String }
    }
}
