import Foundation
@testable import TesseraFrame

/// The pandas-made fixtures of Fixtures/groupby (see make_fixtures.py there) and a comparison
/// that checks a computed table against pandas' CSV cell by cell.
enum GroupByFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/groupby")

    /// Rows of a simple CSV (no quoting in these fixtures), header first.
    static func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// input.csv as a table: k1 text (dictionary-encoded or plain), k2 int64, x float64, n int64, s text.
    static func input(dictionary: Bool) throws -> Table {
        let r = try rows("input.csv").dropFirst()
        func text(_ j: Int) -> [String?] { r.map { $0[j].isEmpty ? nil : $0[j] } }
        let k1 = dictionary ? Column(dictionaryEncoding: text(0)) : Column(string: text(0))
        let s = dictionary ? Column(dictionaryEncoding: text(4)) : Column(string: text(4))
        return try Table([
            "k1": k1,
            "k2": Column(int64: r.map { Int64($0[1]) }),
            "x": Column(float64: r.map { Double($0[2]) }),
            "n": Column(int64: r.map { Int64($0[3]) }),
            "s": s,
        ])
    }

    /// The aggregations of the fixtures, named as pandas' columns are.
    static var aggregations: [NamedAggregation] {
        var out: [NamedAggregation] = []
        let numeric: [Aggregation] = [.sum, .mean, .count, .size, .min, .max, .std, .var, .first, .last, .nunique, .median]
        for c in ["x", "n"] { for f in numeric { out.append(NamedAggregation(c, f)) } }
        for f in [Aggregation.count, .size, .min, .max, .first, .last, .nunique] { out.append(NamedAggregation("s", f)) }
        out.append(NamedAggregation("x", .std(ddof: 0), name: "x_std0"))
        out.append(NamedAggregation("x", .var(ddof: 0), name: "x_var0"))
        return out
    }

    /// Differences between `table` and the expected CSV (empty when they agree): same columns,
    /// same rows in the same order, numbers within `tolerance` relative, missing where pandas has
    /// an empty field.
    static func differences(_ table: Table, expected name: String, tolerance: Double = 1e-9) throws -> [String] {
        let r = try rows(name)
        var out: [String] = []
        if table.names != r[0] { return ["columns \(table.names) != \(r[0])"] }
        if table.rowCount != r.count - 1 { return ["\(table.rowCount) rows, expected \(r.count - 1)"] }
        for (i, line) in r.dropFirst().enumerated() {
            for (j, want) in line.enumerated() {
                let got = table.columns[j][i]
                let ok: Bool
                if want.isEmpty {
                    ok = got.isMissing
                } else if let w = Double(want), let g = got.doubleValue {
                    ok = abs(w - g) <= tolerance * Swift.max(1, abs(w))
                } else {
                    ok = got.description == want
                }
                if !ok { out.append("row \(i) column \(r[0][j]): got \(got), expected '\(want)'") }
            }
        }
        return out
    }
}
