import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// The db-benchmark data (`generateH2OGroupBy`, `generateH2OJoin`) follows the datagen rules,
/// is reproducible, and every group-by question over it gives what plain loops over the CSV
/// lines give (with and without missing values, at several partitionings).
@Suite struct H2OGeneratorTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tessera-h2o-\(UUID().uuidString)")
    }

    /// The files' data lines split into fields, and the header.
    static func lines(_ dir: URL) throws -> (header: [String], rows: [[String]]) {
        var header: [String] = [], rows: [[String]] = []
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".csv") }).sorted() {
            let text = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8)
            let all = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            header = all.first!.split(separator: ",").map(String.init)
            rows += all.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        return (header, rows)
    }

    @Test func groupbyDataFollowsTheRules() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try generateH2OGroupBy(directory: dir.appendingPathComponent("a"), rows: 10_000, k: 10, naFraction: 0.05, files: 3, seed: 5)
        try generateH2OGroupBy(directory: dir.appendingPathComponent("b"), rows: 10_000, k: 10, naFraction: 0.05, files: 3, seed: 5)
        for f in ["part-000.csv", "part-001.csv", "part-002.csv"] {
            #expect(FileManager.default.contents(atPath: dir.appendingPathComponent("a/" + f).path)
                    == FileManager.default.contents(atPath: dir.appendingPathComponent("b/" + f).path))
        }
        let (header, rows) = try Self.lines(dir.appendingPathComponent("a"))
        #expect(header == ["id1", "id2", "id3", "id4", "id5", "id6", "v1", "v2", "v3"])
        #expect(rows.count == 10_000)
        var missing = [Int](repeating: 0, count: 9)
        var id3 = Set<String>()
        for r in rows {
            #expect(r.count == 9)
            for (j, v) in r.enumerated() where v.isEmpty { missing[j] += 1 }
            if !r[0].isEmpty { #expect(r[0].count == 5 && r[0].hasPrefix("id") && (1...10).contains(Int(r[0].dropFirst(2))!)) }
            if !r[2].isEmpty { #expect(r[2].count == 12 && (1...1000).contains(Int(r[2].dropFirst(2))!)); id3.insert(r[2]) }
            if !r[3].isEmpty { #expect((1...10).contains(Int(r[3])!)) }
            if !r[5].isEmpty { #expect((1...1000).contains(Int(r[5])!)) }
            if !r[6].isEmpty { #expect((1...5).contains(Int(r[6])!)) }
            if !r[7].isEmpty { #expect((1...15).contains(Int(r[7])!)) }
            if !r[8].isEmpty {
                let v = Double(r[8])!
                #expect(v >= 0 && v <= 100)
                #expect((r[8].split(separator: ".").dropFirst().first?.count ?? 0) <= 6)
            }
        }
        #expect(id3.count > 900)  // 1000 values drawn 9,500 times: nearly all occur
        for m in missing { #expect(m > 350 && m < 650, "about 5% missing per column: \(missing)") }
    }

    @Test func joinTablesFollowTheRules() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 20_000
        let tables = try generateH2OJoin(directory: dir, rows: n, files: 2, seed: 3)
        let x = try Self.lines(tables[0]), small = try Self.lines(tables[1]), medium = try Self.lines(tables[2]), big = try Self.lines(tables[3])
        #expect(x.header == ["id1", "id2", "id3", "id4", "id5", "id6", "v1"])
        #expect(big.header == ["id1", "id2", "id3", "id4", "id5", "id6", "v2"])
        #expect(small.header == ["id1", "id4", "v2"])
        #expect(medium.header == ["id1", "id2", "id4", "id5", "v2"])
        #expect(x.rows.count == n && big.rows.count == n && small.rows.count == 10 && medium.rows.count == 20)
        // Each table's own key is unique; the text keys are `id` and the integer.
        #expect(Set(x.rows.map { $0[2] }).count == n)
        #expect(Set(big.rows.map { $0[2] }).count == n)
        #expect(Set(medium.rows.map { $0[1] }).count == 20)
        for r in x.rows + big.rows { #expect(r[3] == "id" + r[0] && r[4] == "id" + r[1] && r[5] == "id" + r[2]) }
        // 90% of the big keys are on both sides, 10% left only.
        let bigKeys = Set(big.rows.map { $0[2] })
        let matched = x.rows.filter { bigKeys.contains($0[2]) }.count
        #expect(matched == n - n / 10)
        let mediumKeys = Set(medium.rows.map { $0[1] })
        #expect(Set(x.rows.map { $0[1] }).subtracting(mediumKeys).count == 2)  // l of split_xlr(20)
    }

    /// Every question through `groupby`, against dictionaries filled by a loop over the lines.
    @Test(arguments: [0.0, 0.05])
    func questionsMatchLoops(naFraction: Double) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try generateH2OGroupBy(directory: dir, rows: 10_000, k: 10, naFraction: naFraction, files: 2, seed: 11)
        let (header, rows) = try Self.lines(dir)
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        typealias Q = (keys: [String], aggs: [(String, Aggregation)])
        let questions: [Q] = [
            (["id1"], [("v1", .sum)]), (["id1", "id2"], [("v1", .sum)]), (["id3"], [("v1", .sum), ("v3", .mean)]),
            (["id4"], [("v1", .mean), ("v2", .mean), ("v3", .mean)]), (["id6"], [("v1", .sum), ("v2", .sum), ("v3", .sum)]),
            (["id4", "id5"], [("v3", .median), ("v3", .std)]), (["id3"], [("v1", .max), ("v2", .min)]),
            (["id1", "id2", "id3", "id4", "id5", "id6"], [("v3", .sum), ("v1", .size)]),
        ]
        var options = CSVOptions()
        options.blocksize = 60_000
        options.minimumBlocksize = 1
        let frame = try readCSV(dir.path, options: options)
        #expect(frame.partitionCount > 4)
        for q in questions {
            var groups: [[String]: [[String]]] = [:]
            for r in rows { groups[q.keys.map { r[col[$0]!] }, default: []].append(r) }
            var g = try frame.groupby(q.keys, dropna: false)
            g.autoSplitGroups = 500  // the questions with many groups split
            let out = try g.agg(q.aggs.map { NamedAggregation($0.0, $0.1) }).compute(scheduler: .threads(2))
            #expect(out.rowCount == groups.count, "\(q.keys)")
            for r in 0..<out.rowCount {
                let key = (0..<q.keys.count).map { out.columns[$0][r].isMissing ? "" : out.columns[$0][r].description }
                guard let members = groups[key] else { Issue.record("\(q.keys): no group \(key)"); continue }
                if r > 0 {
                    let prev = (0..<q.keys.count).map { out.columns[$0][r - 1] }, cur = (0..<q.keys.count).map { out.columns[$0][r] }
                    #expect(compareRows(prev, cur) < 0, "sorted by key")
                }
                for (j, (column, f)) in q.aggs.enumerated() {
                    let values = members.compactMap { Double($0[col[column]!]) }
                    let expected: Double?
                    switch f.name {
                    case "sum": expected = values.reduce(0, +)
                    case "mean": expected = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                    case "median": expected = exactMedian(values)
                    case "std":
                        let m = values.reduce(0, +) / Double(values.count)
                        expected = values.count < 2 ? nil : (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
                    case "max": expected = values.max()
                    case "min": expected = values.min()
                    default: expected = Double(members.count)
                    }
                    let got = out.columns[q.keys.count + j][r].doubleValue
                    if let e = expected, let v = got {
                        #expect(abs(v - e) <= 1e-9 * Swift.max(1, abs(e)), "\(q.keys) \(column) \(f.name) at \(key)")
                    } else {
                        #expect(expected == nil && got == nil, "\(q.keys) \(column) \(f.name) at \(key): \(String(describing: got)) vs \(String(describing: expected))")
                    }
                }
            }
        }
    }

    /// q8 (the largest two v3 per id6) and q9 (squared correlation of v1 and v2 per id2, id4)
    /// through `largest(2)` and `corr(with:)`, against loops over the lines, at several
    /// partitionings, with and without forced split-out.
    @Test(arguments: [0.0, 0.05])
    func q8AndQ9MatchLoops(naFraction: Double) throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try generateH2OGroupBy(directory: dir, rows: 10_000, k: 10, naFraction: naFraction, files: 2, seed: 12)
        let (header, rows) = try Self.lines(dir)
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        var v3: [String: [Double]] = [:]
        var pairs: [[String]: [(Double, Double)]] = [:]
        for r in rows {
            if let v = Double(r[col["v3"]!]) { v3[r[col["id6"]!], default: []].append(v) } else { _ = v3[r[col["id6"]!], default: []] }
            let key = [r[col["id2"]!], r[col["id4"]!]]
            if let a = Double(r[col["v1"]!]), let b = Double(r[col["v2"]!]) { pairs[key, default: []].append((a, b)) } else { _ = pairs[key, default: []] }
        }
        for (blocksize, threshold, splitOut) in [(1 << 20, Int.max, 1), (60_000, 200, 1), (25_000, Int.max, 3)] {
            var options = CSVOptions()
            options.blocksize = blocksize
            options.minimumBlocksize = 1
            let frame = try readCSV(dir.path, options: options)
            var g8 = try frame.groupby(["id6"], dropna: false)
            g8.autoSplitGroups = threshold
            let q8 = try g8.agg([NamedAggregation("v3", .largest(2))], splitOut: splitOut).compute(scheduler: .threads(2))
            #expect(q8.rowCount == v3.values.reduce(0) { $0 + Swift.min(2, $1.count) }, "blocksize \(blocksize)")
            var got8: [String: [Double]] = [:]
            for r in 0..<q8.rowCount {
                let key = q8.columns[0][r].isMissing ? "" : q8.columns[0][r].description
                got8[key, default: []].append(q8.columns[1][r].doubleValue ?? .nan)
            }
            for (key, values) in v3 where !values.isEmpty {
                #expect(got8[key] == Array(values.sorted(by: >).prefix(2)), "q8 id6 \(key)")
            }
            var g9 = try frame.groupby(["id2", "id4"], dropna: false)
            g9.autoSplitGroups = threshold
            let q9 = try g9.agg([NamedAggregation("v1", .corr(with: "v2"))], splitOut: splitOut).compute(scheduler: .threads(2))
            #expect(q9.rowCount == pairs.count)
            for r in 0..<q9.rowCount {
                let key = (0..<2).map { q9.columns[$0][r].isMissing ? "" : q9.columns[$0][r].description }
                guard let p = pairs[key] else { Issue.record("q9: no group \(key)"); continue }
                let n = Double(p.count)
                let mx = p.map(\.0).reduce(0, +) / n, my = p.map(\.1).reduce(0, +) / n
                let sx = p.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +), sy = p.map { ($0.1 - my) * ($0.1 - my) }.reduce(0, +)
                let c = p.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
                let want: Double? = p.count < 2 || sx == 0 || sy == 0 ? nil : c / (sx * sy).squareRoot()
                let got = q9.columns[2][r].doubleValue
                if let w = want, let g = got {
                    #expect(abs(g * g - w * w) <= 1e-12, "q9 \(key)")
                } else {
                    #expect(want == nil && got == nil, "q9 \(key): \(String(describing: got)) vs \(String(describing: want))")
                }
            }
        }
    }
}
