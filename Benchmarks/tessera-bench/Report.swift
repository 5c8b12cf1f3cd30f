import Foundation

/// The table on stdout and the JSON file.
enum Report {
    /// Prints the rows, the first Tessera's; a peer that ran a graph of another task count (see
    /// `Workload.tasks`) is compared per task, its result and Tessera's each checked against
    /// `expected` at their own size, and a line under the table says so.
    static func printTable(_ rows: [Measurement], tolerance: Double, expected: ((Int) -> String)? = nil) {
        guard let ours = rows.first else { return }
        print("")
        print("workload: \(ours.workload)")
        print(pad("engine", 16) + pad("seconds", 11) + pad("peak RSS", 11) + pad("peer/tessera", 14) + "result")
        var notes: [String] = []
        for row in rows {
            var ratio = ""
            if row.engine != ours.engine, let s = row.seconds, let t = ours.seconds {
                if let n = row.tasks, let m = ours.tasks, n != m {
                    let agree = expected.map { row.result == $0(n) && ours.result == $0(m) } ?? false
                    ratio = agree ? String(format: "%.2f×/task", (s / Double(n)) / (t / Double(m))) : "MISMATCH"
                    notes.append("\(row.engine) ran \(n) tasks, Tessera \(m): the ratio is per task ("
                                 + String(format: "%.1f µs/task against %.2f µs/task)", s / Double(n) * 1e6, t / Double(m) * 1e6))
                } else if let a = row.result, let b = ours.result, !resultsAgree(a, b, tolerance: tolerance) {
                    ratio = "MISMATCH"
                } else {
                    ratio = String(format: "%.2f×", s / t)
                }
            }
            let secs = row.seconds.map { String(format: "%.3f", $0) } ?? "—"
            let rss = row.peak_rss_bytes.map { String(format: "%.0f MB", Double($0) / 1e6) } ?? "—"
            let result = row.error.map { "ERROR " + $0.replacingOccurrences(of: "\n", with: " ") } ?? (row.result ?? "")
            print(pad(row.engine, 16) + pad(secs, 11) + pad(rss, 11) + pad(ratio, 14) + String(result.prefix(120)))
        }
        for note in notes { print(note) }
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }

    /// Results agree when their text matches with every number within `tolerance` (relative).
    static func resultsAgree(_ a: String, _ b: String, tolerance: Double) -> Bool {
        let (sa, na) = split(a), (sb, nb) = split(b)
        guard sa == sb, na.count == nb.count else { return false }
        for (x, y) in zip(na, nb) {
            let scale = max(abs(x), abs(y), 1e-300)
            if abs(x - y) / scale > tolerance && abs(x - y) > 1e-12 { return false }
        }
        return true
    }

    /// The text with numbers replaced by `#`, and the numbers.
    static func split(_ s: String) -> (String, [Double]) {
        var skeleton = "", numbers: [Double] = [], current = ""
        func flush() {
            if let v = Double(current) { numbers.append(v); skeleton += "#" } else { skeleton += current }
            current = ""
        }
        for ch in s {
            if ch.isNumber || ch == "." || ch == "-" || ch == "e" || ch == "E" || ch == "+" { current.append(ch) } else { flush(); skeleton.append(ch) }
        }
        flush()
        return (skeleton, numbers)
    }

    static func writeJSON(_ rows: [Measurement], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: URL(fileURLWithPath: path))
    }
}
