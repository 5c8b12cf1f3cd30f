// Printing tables the way pandas does: right-aligned columns, head and tail rows for long ones.

extension Table {
    /// The table as aligned text like pandas' repr: a header, row numbers, and for tables
    /// longer than `maxRows` the first and last `maxRows / 2` rows around a `...` line.
    public func render(maxRows: Int = 20) -> String {
        var rows: [Int?] = []
        if rowCount <= maxRows { rows = Array(0..<rowCount) } else {
            let h = Swift.max(1, maxRows / 2)
            rows = Array(0..<h) + [nil] + Array((rowCount - h)..<rowCount)
        }
        var grid: [[String]] = [[""] + names]
        for r in rows {
            if let r { grid.append([String(r)] + columns.map { cellText($0, r) }) } else {
                grid.append(["..."] + names.map { _ in "..." })
            }
        }
        let widths = (0..<(names.count + 1)).map { j in grid.map { $0[j].count }.max() ?? 0 }
        var out = grid.map { line in
            zip(line, widths).enumerated().map { j, p in
                let pad = String(repeating: " ", count: p.1 - p.0.count)
                return j == 0 ? p.0 + pad : pad + p.0
            }.joined(separator: "  ")
        }.joined(separator: "\n")
        out += "\n\n[\(rowCount) rows x \(names.count) columns]"
        return out
    }

    private func cellText(_ c: Column, _ r: Int) -> String {
        let v = c[r]
        switch v {
        case .missing:
            switch c.type {
            case .float64: return "NaN"
            case .timestamp: return "NaT"
            default: return "<NA>"
            }
        default: return v.description
        }
    }
}
