import Foundation
import Testing
@testable import TesseraFrame

/// `tessera groupby --agg 'COL:largest(N)'`, `smallest(N)` and `corr(COLUMN)` (db-benchmark's q8
/// and q9 on the command line), checked against naive loops over the same rows.
@Suite struct GroupbyCommandBestAndCorrTests {
    /// One generated row; nil for a missing field.
    struct Row {
        var g: String?
        var v1: Int?
        var v2: Int?
        var v3: Double?
        var v3Text: String
    }

    /// Two CSV files of h2o-like rows with missing keys and values, `NaN` text, a group of one row
    /// and a group whose v2 is constant (its correlation is missing).
    static func writeData(_ dir: URL) throws -> [Row] {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SplitMix64(state: 13)
        var rows: [Row] = []
        for i in 0..<6_000 {
            var r = Row(g: String(format: "k%02d", rng.below(40)), v1: 1 + rng.below(5), v2: 1 + rng.below(15), v3: nil, v3Text: "")
            let micros = rng.below(100_000_001)
            r.v3 = Double("\(micros / 1_000_000).\(String(format: "%06d", micros % 1_000_000))")
            r.v3Text = String(format: "%d.%06d", micros / 1_000_000, micros % 1_000_000)
            if rng.below(20) == 0 { r.g = nil }
            if rng.below(20) == 0 { r.v1 = nil }
            if rng.below(20) == 0 { r.v2 = nil }
            switch rng.below(40) {
            case 0: r.v3 = nil; r.v3Text = ""
            case 1: r.v3 = nil; r.v3Text = "NaN"
            default: break
            }
            if i == 100 { r.g = "solo" }
            if i % 500 == 7 { r.g = "flat"; r.v2 = 4 }
            rows.append(r)
        }
        func field(_ v: Int?) -> String { v.map(String.init) ?? "" }
        for (f, part) in [rows[..<2_900], rows[2_900...]].enumerated() {
            var text = "g,v1,v2,v3\n"
            for r in part { text += "\(r.g ?? ""),\(field(r.v1)),\(field(r.v2)),\(r.v3Text)\n" }
            try Data(text.utf8).write(to: dir.appendingPathComponent("part-\(f).csv"))
        }
        return rows
    }

    /// The groups of rows with a key, sorted by key bytes as the command sorts them.
    static func groups(_ rows: [Row]) -> [(String, [Row])] {
        Dictionary(grouping: rows.filter { $0.g != nil }, by: { $0.g! })
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }

    /// The output's data lines split into fields (header checked and dropped).
    static func lines(_ out: String, header: String) -> [[Substring]] {
        let all = out.split(separator: "\n")
        #expect(all.first.map(String.init) == header)
        return all.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    @Test func largestAndSmallestMatchSortedGroups() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("groupby-best-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try Self.writeData(dir)
        for (function, n, descending) in [("largest", 2, true), ("smallest", 3, false)] {
            let (status, out, err) = try GroupbyCommandTests.run(
                ["groupby", dir.path, "--by", "g", "--agg", "v3:\(function)(\(n))", "--workers", "2", "--blocksize", "64K"])
            #expect(status == 0, "\(err)")
            var expected: [(String, Double)] = []
            for (key, members) in Self.groups(rows) {
                let values = members.compactMap(\.v3).sorted(by: descending ? (>) : (<))
                expected += values.prefix(n).map { (key, $0) }
            }
            let got = Self.lines(out, header: "g,v3_\(function)")
            #expect(got.count == expected.count)
            for (line, (key, value)) in zip(got, expected) {
                #expect(line.count == 2 && String(line[0]) == key && Double(line[1]) == value, "\(line) against \(key),\(value)")
            }
        }
    }

    @Test func corrMatchesTwoPassPearson() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("groupby-corr-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try Self.writeData(dir)
        let (status, out, err) = try GroupbyCommandTests.run(
            ["groupby", dir.path, "--by", "g", "--agg", "v1:corr(v2),v3:max", "--workers", "2", "--blocksize", "64K"])
        #expect(status == 0, "\(err)")
        let expected = Self.groups(rows)
        let got = Self.lines(out, header: "g,v1_corr,v3_max")
        #expect(got.count == expected.count)
        var missing = 0
        for (line, (key, members)) in zip(got, expected) {
            let pairs = members.compactMap { r in r.v1.flatMap { x in r.v2.map { (Double(x), Double($0)) } } }
            let mx = pairs.map(\.0).reduce(0, +) / Double(pairs.count), my = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
            let sxx = pairs.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
            let syy = pairs.map { ($0.1 - my) * ($0.1 - my) }.reduce(0, +)
            let sxy = pairs.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
            #expect(String(line[0]) == key)
            if pairs.count < 2 || sxx == 0 || syy == 0 {
                missing += 1
                #expect(line[1].isEmpty, "\(key): \(line[1]) for a group with \(pairs.count) pairs")
            } else {
                let r = sxy / (sxx * syy).squareRoot()
                #expect(abs((Double(line[1]) ?? .nan) - r) <= 1e-12, "\(key): \(line[1]) against \(r)")
            }
            #expect(Double(line[2]) == members.compactMap(\.v3).max())
        }
        #expect(missing == 2)  // "flat" (constant v2) and "solo" (one row)
    }

    @Test(arguments: ["v3:largest(0)", "v3:largest(two)", "v3:largest", "v1:corr()", "v1:corr(nope)", "v1:cor(v2)"])
    func badSpellingsAreUsageErrors(agg: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("groupby-badagg-\(getpid())-\(abs(agg.hashValue))")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Self.writeData(dir)
        let (status, _, err) = try GroupbyCommandTests.run(["groupby", dir.path, "--by", "g", "--agg", agg])
        #expect(status == 2, "\(agg): \(err)")
    }
}
