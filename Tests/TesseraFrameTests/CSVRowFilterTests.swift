import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// A scan's predicate runs batch by batch while the CSV parses (CSVRowFilter.swift): the result
/// must be exactly what parsing every row and filtering afterwards gives (values and types), and
/// rows the predicate drops must never be converted into an output column.
@Suite struct CSVRowFilterTests {
    /// Random files of a few batches each, with nasty values, and columns whose type changes
    /// after the first batches (so the predicate's fallback and the dropped rows' type check both
    /// run); several predicates at random blocksizes.
    @Test(arguments: 0..<6)
    func pushdownEqualsFilteringAfterParsing(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed) &* 0x2545_F491 &+ 3)
        let dir = temporaryDirectory("row-filter-\(seed)")
        let words = ["a", "\u{e9}", "e\u{301}", "02134", "\"x, y\"", "K1A 0B1", ""]
        let floats = ["NaN", "inf", "-inf", "1e300", "-0.0", "2.5", "", "NA"]
        let huge = ["9223372036854775807", "-9223372036854775807", "9007199254740993", "9007199254740992", "7", ""]
        for file in 0..<3 {
            var text = "m,d,v,k,w\n"
            let rows = 300 + rng.below(400)
            // Where a column first meets a wider value (past the first batch of 256 rows).
            let mDecimal = rng.below(3) == 0 ? 300 + rng.below(rows - 299) : Int.max
            let mText = rng.below(4) == 0 ? 300 + rng.below(rows - 299) : Int.max
            let dDecimal = rng.below(2) == 0 ? 300 + rng.below(rows - 299) : Int.max
            let wText = rng.below(2) == 0 ? rng.below(rows) : Int.max
            for r in 0..<rows {
                // "03" is 3 as a number but not as text: a type change must not go unnoticed.
                var m = rng.below(12) == 0 ? "" : (rng.below(6) == 0 ? "03" : String(1 + rng.below(12)))
                if r == mDecimal { m = "6.5" }
                if r == mText { m = "June" }
                // Past 2^53 a decimal makes `d` float64, where 9007199254740993 > 2^53 is false.
                let d = r == dDecimal ? "2.5" : huge[rng.below(huge.count)]
                let w = r == wText ? "K1A 0B1" : (rng.below(5) == 0 ? "" : String(format: "%05d", rng.below(3000)))
                text += "\(m),\(d),\(floats[rng.below(floats.count)]),\(words[rng.below(words.count)]),\(w)\n"
            }
            _ = writeCSV(text, name: "f\(file).csv", in: dir)
        }
        var options = CSVOptions()
        if rng.below(2) == 0 {
            options.blocksize = 2000 + rng.below(20_000)
            options.minimumBlocksize = 1
        }
        let df = try readCSV(dir.path, options: options)
        let predicates: [Expr] = [
            df["m"] >= 6 && df["m"] <= 8,
            df["d"] > 9_007_199_254_740_992,
            df["v"] > 0 || df["k"] == "\u{e9}",
            df["v"].isna(),
            df["k"] == "02134" || df["m"] == 3,
            df["w"] != "K1A 0B1",
        ]
        var checked = 0
        for predicate in predicates {
            for columns in [["w", "v"], ["m", "d", "v", "k", "w"], ["k"]] {
                // Where the schema knows `m` is text, `m >= 6` is refused when the frame is built.
                guard let frame = try? df.filter(predicate).select(columns) else { continue }
                #expect(scanRequests(optimizedPlan(frame)).allSatisfy { $0.predicate != nil }, "the predicate reaches the scan")
                // A text value in `m` makes `m >= 6` an error: the same error on both sides.
                let pushed = outcome { try frame.compute(scheduler: .threads(2)) }
                let plain = outcome { try computeUnoptimized(frame) }
                switch (pushed, plain) {
                case (.success(let a), .success(let b)):
                    #expect(sameTable(a, b), "seed \(seed) \(predicate) \(columns)")
                    #expect(a.columns.map(\.type) == b.columns.map(\.type), "seed \(seed) \(predicate) \(columns)")
                    checked += 1
                case (.failure(let a), .failure(let b)):
                    #expect(a == b, "seed \(seed) \(predicate)")
                default:
                    Issue.record("seed \(seed) \(predicate) \(columns): \(pushed) but without pushdown \(plain)")
                }
            }
        }
        #expect(checked >= 9, "most predicates compute")
    }

    /// The table, or the message of the error underneath a task failure (task names differ).
    func outcome(_ body: () throws -> Table) -> Result<Table, RowFilterError> {
        do { return .success(try body()) } catch { return .failure(RowFilterError(message: "\(csvError(error))")) }
    }

    struct RowFilterError: Error, Equatable { let message: String }

    @Test func droppedRowsAreNeverConverted() throws {
        // `n` is int64 by dtype; its only bad value sits in a row the predicate drops.
        var text = "keep,n\n"
        for i in 0..<600 { text += i == 450 ? "0,oops\n" : "\(i % 2),\(i)\n" }
        let path = writeCSV(text)
        var options = CSVOptions()
        options.dtypes = ["n": .int64]
        let df = try readCSV(path, options: options)
        let kept = try df.filter(df["keep"] == 1).select(["n"])
        let table = try kept.compute(scheduler: .synchronous)
        let expected: [Value] = (0..<600).filter { $0 % 2 == 1 }.map { Value.int64(Int64($0)) }
        #expect(table["n"]!.elements == expected)
        // Without pushdown the bad value is converted, and is an error naming it.
        let plainError: String = errorMessage { _ = try computeUnoptimized(kept) } ?? ""
        #expect(plainError.contains("\(path):452"), "\(plainError)")
        // In a row the predicate keeps, it still is.
        let all = try df.filter(df["keep"] >= 0).select(["n"])
        let keptError: String = errorMessage { _ = try all.compute(scheduler: .synchronous) } ?? ""
        #expect(keptError.contains("\(path):452"), "\(keptError)")
    }

    @Test func droppedRowsStillDecideAnInferredType() throws {
        // Zip-code-like text that looks numeric in every kept row: text, as without pushdown.
        var text = "keep,zip\n"
        for i in 0..<600 { text += i == 500 ? "0,K1A 0B1\n" : "\(i % 2),\(String(format: "%05d", i))\n" }
        let df = try readCSV(writeCSV(text))
        let table = try df.filter(df["keep"] == 1).select(["zip"]).compute(scheduler: .synchronous)
        #expect(table["zip"]!.type == .string)
        #expect(table["zip"]![0] == .string("00001"))
    }
}
