import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// The tokenizer's fast path (quote-free rows, found 64 bytes at a time) must give exactly what
/// the full tokenizer gives: the same table, the same warnings' rows skipped, the same errors
/// with the same lines — on random files that mix clean rows with everything the fast path
/// hands back (quotes, CRLF, blank lines, ragged rows, rows longer than 64 bytes).
@Suite struct FastTokenizerTests {
    /// A deterministic generator (the flights generator's SplitMix64), so a failure reproduces.
    typealias Rng = SplitMix64

    static func field(_ rng: inout Rng, column: Int) -> String {
        switch (column + rng.below(3)) % 6 {
        case 0: return String(rng.below(100_000) - 50_000)
        case 1: return rng.below(10) == 0 ? "" : String(rng.below(1000))
        case 2: return String(Double(rng.below(1_000_000)) / 100)
        case 3: return ["JFK", "LGA", "EWR", "NA", "", "SFO"][rng.below(6)]
        case 4: return String(repeating: "x", count: rng.below(90))  // some fields longer than 64 bytes
        default: return rng.below(2) == 0 ? "True" : "False"
        }
    }

    /// A random file of `rows` rows of `columns` fields; `quirks` of them (per thousand) get a
    /// quoted field, a CRLF, a blank line after them or a wrong field count.
    static func text(seed: UInt64, columns: Int, rows: Int, quirks: Int, ragged: Bool) -> String {
        var rng = Rng(state: seed)
        var out = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<rows {
            var fields = (0..<columns).map { field(&rng, column: $0) }
            var end = "\n"
            if rng.below(1000) < quirks {
                switch rng.below(ragged ? 4 : 3) {
                case 0: fields[rng.below(columns)] = "\"q,\"\"uoted\nfield\""
                case 1: end = "\r\n"
                case 2: end = "\n\n"
                default: if columns > 1 && rng.below(2) == 0 { fields.removeLast() } else { fields.append("extra") }
                }
            }
            out += fields.joined(separator: ",") + end
        }
        return out
    }

    func read(_ path: String, fast: Bool, window: Int, onBadLines: OnBadLines = .error,
              scheduler: Scheduler = .threads(2)) throws -> Table {
        var o = CSVOptions()
        o.fastTokenizer = fast
        o.windowBytes = window
        o.onBadLines = onBadLines
        o.blocksize = 40_000
        o.minimumBlocksize = 1  // small blocks on purpose: many partitions
        return try readCSV(path, options: o).compute(scheduler: scheduler)
    }

    @Test(arguments: [1, 2, 7, 23])
    func sameTablesAsTheFullTokenizer(columns: Int) throws {
        for (seed, quirks) in [(UInt64(1), 0), (2, 5), (3, 100), (4, 600)] {
            let path = writeCSV(Self.text(seed: seed, columns: columns, rows: 1500, quirks: quirks, ragged: false),
                                name: "c\(columns)-s\(seed).csv")
            let reference = try read(path, fast: false, window: 1 << 20)
            for window in [100, 4096, 1 << 20] {
                let t = try read(path, fast: true, window: window)
                #expect(t.rowCount == reference.rowCount, "columns \(columns) seed \(seed) window \(window)")
                for name in reference.names {
                    #expect(t[name]!.type == reference[name]!.type)
                    #expect(t[name]!.elements == reference[name]!.elements, "columns \(columns) seed \(seed) window \(window) \(name)")
                }
            }
        }
    }

    @Test func raggedRowsSkippedAndReportedAlike() throws {
        let path = writeCSV(Self.text(seed: 9, columns: 5, rows: 3000, quirks: 40, ragged: true))
        let reference = try read(path, fast: false, window: 1 << 20, onBadLines: .skip)
        let t = try read(path, fast: true, window: 1 << 20, onBadLines: .skip)
        #expect(t.rowCount == reference.rowCount)
        #expect(t.rowCount < 3000)
        for name in reference.names { #expect(t[name]!.elements == reference[name]!.elements) }
        // Synchronous: with threads, whichever failing partition runs first reports.
        let expected = errorMessage { _ = try read(path, fast: false, window: 1 << 20, scheduler: .synchronous) }
        #expect(expected?.contains("expected 5 fields") == true)
        for window in [100, 1 << 20] {
            #expect(errorMessage { _ = try read(path, fast: true, window: window, scheduler: .synchronous) } == expected)
        }
    }

    @Test func fastPathTakesCleanRows() throws {
        // 100 clean rows: every batch comes from the fast path, and the values are right.
        var text = "a,b,c\n"
        for i in 0..<100 { text += "\(i),\(-i),x\(i % 3)\n" }
        let path = writeCSV(text)
        let t = try read(path, fast: true, window: 1 << 20)
        #expect(t["a"]!.elements == (0..<100).map { .int64(Int64($0)) })
        #expect(t["b"]!.elements == (0..<100).map { .int64(-Int64($0)) })
        #expect(t["c"]!.elements == (0..<100).map { .string("x\($0 % 3)") })
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: text.utf8.count + 16)
        defer { p.deallocate() }
        p.initialize(from: Array(text.utf8), count: text.utf8.count)
        let bodyStart = 6, n = text.utf8.count
        p[n] = 10
        p[n + 1] = 34
        let setup = TokenizerSetup(delimiter: 44, quote: 34, fieldCount: 3, file: "t", firstLine: 2, onBadLines: .error)
        var cursor = TokenizerCursor(pos: bodyStart, line: 2)
        var batch = TokenBatch(fieldCount: 3)
        defer { batch.free() }
        let rows = tokenizeBatchFast(p, n, setup, &cursor, &batch)
        #expect(rows > 90)  // all rows but those in the last 64 bytes
        #expect(batch.clean)
        #expect(batch.rowLines[5] == 7)
        let (s, e, f) = batch.field(5, 1)
        #expect(String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self) == "-5")
        #expect(f == 0)
    }
}
