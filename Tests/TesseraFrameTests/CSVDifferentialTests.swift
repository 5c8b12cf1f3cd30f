import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Random CSV files with quotes, CRLF, Unicode, missing values, type changes and short rows:
/// what `head` and `groupby` print must read back as the same text, and must not change with the
/// block size, the window size, the tokenizer's fast path or the number of workers.
///
/// `swift test` runs a few dozen files; `make fuzz` runs thousands (TESSERA_CSV_DIFF_CASES).
/// A failure prints the seed; `TESSERA_CSV_DIFF_SEED=<seed>` replays that one file.
@Suite struct CSVDifferentialTests {
    static var cases: Int { Int(ProcessInfo.processInfo.environment["TESSERA_CSV_DIFF_CASES"] ?? "") ?? 40 }
    static var seeds: [UInt64] {
        if let s = ProcessInfo.processInfo.environment["TESSERA_CSV_DIFF_SEED"].flatMap(UInt64.init) { return [s] }
        return (0..<UInt64(cases)).map { 0x5EED_0000 &+ $0 }
    }

    /// One random file: its text and the names of its columns.
    struct RandomCSV {
        var text = ""
        var names: [String] = []

        /// With `bothForms`, text holds both Unicode forms of é (U+00E9 and e + U+0301), which
        /// must stay distinct values.
        init(seed: UInt64, bothForms: Bool) {
            var rng = SplitMix64(state: seed)
            let columns = 1 + rng.below(4)
            let pool = ["a", "b,c", "q\"uote", "line\nbreak", "é", "ß", "日本", "k\r\nv", "x y", ",\u{301}"]
            var used = Set<String>()
            while names.count < columns {
                let n = pool[rng.below(pool.count)] + (rng.below(3) == 0 ? "\(names.count)" : "")
                if used.insert(n).inserted { names.append(n) }
            }
            // Each column has a kind, and may switch kind part-way (a type change at some row).
            let kinds = (0..<columns).map { _ in rng.below(5) }
            let switchAt = (0..<columns).map { _ in rng.below(4) == 0 ? rng.below(60) : Int.max }
            let crlf = rng.below(3) == 0
            let eol = crlf ? "\r\n" : "\n"
            text = names.map { csvQuote($0) }.joined(separator: ",") + eol
            let rows = rng.below(60)
            for r in 0..<rows {
                if rng.below(25) == 0 { text += rng.below(2) == 0 ? eol : "  " + eol }  // blank-looking line
                var fields: [String] = []
                for j in 0..<columns {
                    let kind = r >= switchAt[j] ? (kinds[j] + 1) % 5 : kinds[j]
                    fields.append(Self.field(kind, &rng, bothForms: bothForms))
                }
                // A short row now and then (padded with missing values when read).
                if columns > 1 && rng.below(15) == 0 { fields.removeLast(1 + rng.below(columns - 1)) }
                // A one-column row that is empty would be a blank line: write it quoted.
                if columns == 1 && fields[0].isEmpty { fields[0] = "\"\"" }
                text += fields.joined(separator: ",") + eol
            }
        }

        /// A field of `kind`: 0 ints, 1 floats, 2 text with quotes, delimiters, line breaks and
        /// Unicode, 3 bools, 4 few distinct keys. Numbers are written as Tessera prints them, so
        /// that re-rendering a parsed number gives the file's text back (keeping the original text
        /// of numbers in columns that become text is issue 22's).
        static func field(_ kind: Int, _ rng: inout SplitMix64, bothForms: Bool) -> String {
            if rng.below(8) == 0 { return ["", "NA", "nan", "null"][rng.below(4)] }
            switch kind {
            case 0:
                let bound: [Int64] = [10, 1_000_000, .max]
                let b = bound[rng.below(3)]
                let v = Int64(bitPattern: rng.next()) % b
                return String(v)
            case 1:
                let choices: [Double] = [0.5, -2.25, 1e300, 3.0, 1e-7, .infinity]
                let x = rng.below(2) == 0 ? choices[rng.below(choices.count)] : (rng.unit() - 0.5) * 1e6
                return formatDouble(x)
            case 2:
                let parts = ["x", "é", bothForms ? "e\u{301}" : "ü", "日本", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", " sp ", "ß"]
                let s = (0..<(1 + rng.below(3))).map { _ in parts[rng.below(parts.count)] }.joined()
                return csvQuote(s)
            case 3: return rng.below(2) == 0 ? "True" : "False"
            default: return ["JFK", "LGA", "EWR", "SFO"][rng.below(4)]
            }
        }
    }

    /// The ways of reading the same file that must agree.
    static func readings(_ rng: inout SplitMix64) -> [(String, CSVOptions, Scheduler)] {
        var out: [(String, CSVOptions, Scheduler)] = [("default", CSVOptions(), .synchronous)]
        var slow = CSVOptions()
        slow.fastTokenizer = false
        slow.windowBytes = 64
        out.append(("full tokenizer, 64-byte windows", slow, .synchronous))
        for _ in 0..<2 {
            var o = CSVOptions()
            o.minimumBlocksize = 1
            o.blocksize = 16 + rng.below(300)
            o.windowBytes = rng.below(2) == 0 ? 1 << 20 : 100
            out.append(("blocksize \(o.blocksize), window \(o.windowBytes)", o, .threads(1 + rng.below(4))))
        }
        return out
    }

    /// CSV text read back and written again: must be the same text.
    static func readsBack(_ bytes: [UInt8], _ dir: URL, _ label: String) throws {
        let url = dir.appendingPathComponent("out-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        let back = try readCSV(url.path).compute(scheduler: .synchronous)
        let again = back.csvBytes()
        if again != bytes {
            Issue.record("\(label): output does not read back\nwritten: \(text(bytes))\nread back: \(text(again))")
        }
    }

    @Test func headAndGroupbyReadBackAndDoNotDependOnPartitioning() throws {
        try Self.check(bothForms: false)
    }

    /// Both Unicode forms of é in one column stay two values at every partitioning: strings
    /// compare as bytes, never as canonical Swift `String`s.
    @Test func bothUnicodeFormsStayDistinctAtEveryPartitioning() throws {
        try Self.check(bothForms: true)
    }

    /// Same names, rows and values, numbers compared as numbers (int64 promotes to float64).
    static func sameValues(_ a: Table, _ b: Table) -> Bool {
        guard a.names == b.names, a.rowCount == b.rowCount else { return false }
        for (x, y) in zip(a.columns, b.columns) {
            for i in 0..<a.rowCount {
                let (u, v) = (x[i], y[i])
                if let p = u.doubleValue, let q = v.doubleValue, x.type != .bool && y.type != .bool { if p != q { return false }; continue }
                if Array(u.description.utf8) != Array(v.description.utf8) || u.isMissing != v.isMissing { return false }
            }
        }
        return true
    }

    /// min and max of a column that is numbers in one file and text in another: a partition's
    /// partial min is its smallest number, not its smallest text, so once the column unifies to
    /// string the answer depends on the partitioning. The partial state would have to carry the
    /// text-order extreme too; not done yet (found by this suite's random files).
    @Test func minAndMaxOfColumnsThatBecomeText() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("k,v\na,-6138352418258382046\na,-6\n", name: "1.csv", in: dir)
        _ = writeCSV("k,v\na,x\n", name: "2.csv", in: dir)
        let whole = try parseCSV("k,v\na,-6138352418258382046\na,-6\na,x\n").column("v").elements
        // Reference: the text values in UTF-8 byte order, as Python's min/max on str.
        let texts = whole.map { Array($0.description.utf8) }
        let lo = String(decoding: texts.min { $0.lexicographicallyPrecedes($1) }!, as: UTF8.self)
        let out = try readCSV(dir.path).groupby("k").agg(["v": .min]).compute(scheduler: .synchronous)
        withKnownIssue("min/max partial states are taken before the column unifies to string") {
            #expect(out.columns[1][0] == .string(lo))
        }
    }

    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self).debugDescription }

    static func check(bothForms: Bool) throws {
        let dir = temporaryDirectory()
        for seed in Self.seeds {
            let file = RandomCSV(seed: seed, bothForms: bothForms)
            let path = dir.appendingPathComponent("in-\(seed).csv").path
            try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
            var rng = SplitMix64(state: seed ^ 0xABCD)
            var reference: (table: [UInt8], groupby: [UInt8])? = nil
            for (label, options, scheduler) in Self.readings(&rng) {
                let df = try readCSV(path, options: options)
                let all = try df.compute(scheduler: scheduler)
                // head reads only the partitions it needs, so its types are theirs (as in Dask):
                // an int64 there may be float64 in the whole table. The values must agree.
                let headTable = try df.head(7, scheduler: scheduler)
                let top = all.slice(0..<Swift.min(7, all.rowCount))
                if !Self.sameValues(headTable, top) {
                    Issue.record("seed \(seed) \(label): head \(text(headTable.csvBytes())) vs the table's first rows \(text(top.csvBytes()))")
                }
                try Self.readsBack(headTable.csvBytes(), dir, "seed \(seed) \(label): head")
                let key = file.names[0]
                // min and max are left out: see minAndMaxOfColumnsThatBecomeText.
                let functions: [Aggregation] = [.count, .first, .last, .nunique]
                let aggs = file.names.dropFirst().flatMap { c in functions.map { NamedAggregation(c, $0) } }
                    + [NamedAggregation(key, .size, name: "size")]
                let grouped = try df.groupby(key).agg(aggs).compute(scheduler: scheduler).csvBytes()
                let table = all.csvBytes()
                if let r = reference {
                    if table != r.table { Issue.record("seed \(seed) \(label): the table differs from one partition's\n\(text(table))\nvs\n\(text(r.table))") }
                    if grouped != r.groupby { Issue.record("seed \(seed) \(label): groupby differs\n\(text(grouped))\nvs\n\(text(r.groupby))") }
                } else {
                    reference = (table, grouped)
                    try Self.readsBack(table, dir, "seed \(seed): table")
                    try Self.readsBack(grouped, dir, "seed \(seed): groupby")
                }
            }
        }
    }
}
