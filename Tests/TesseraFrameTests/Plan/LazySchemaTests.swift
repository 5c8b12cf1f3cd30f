import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// `readCSV` reads headers only; the column types are guessed from a sample the first time
/// something needs them, once for every frame over the same files (CSVSchemaInference.swift).
///
/// The files are rewritten in place (same size, other values) after the frames are built: the
/// types then come out of the *new* bytes, which shows that building parsed none of the old ones.
@Suite struct LazySchemaTests {
    /// Overwrites `path` with `text`, which must be as long as what is there (the partition plan
    /// holds the file's size).
    private func rewrite(_ path: String, _ text: String) throws {
        let old = try Data(contentsOf: URL(fileURLWithPath: path))
        precondition(old.count == text.utf8.count, "same size")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func buildingFramesAndPlansReadsNoDataRow() throws {
        let path = writeCSV("a,b,c\n1,2,3\n4,5,6\n")
        let df = try readCSV(path)
        #expect(df.columns == ["a", "b", "c"])
        // Names-only operations, a plan, its explanation and its lowering: no type is needed.
        let grouped = try df.select(["a", "c"]).rename(["c": "k"]).filter(df["a"] == "x")
            .groupby("k").agg(["a": .count])
        let text = try grouped.explain()
        #expect(text.contains("scan"))
        _ = grouped.partitions
        _ = try df.headPlan(1).partitions
        let column: FrameColumn = df["a"]
        let distinct = try column.unique()
        // Now the data turns out to be text: the types are guessed from what is there now.
        try rewrite(path, "a,b,c\nx,y,z\nu,v,w\n")
        #expect(df.schema == Schema([Field("a", .string), Field("b", .string), Field("c", .string)]))
        #expect(grouped.schema == Schema([Field("k", .string, nullable: false), Field("a_count", .int64)]))
        #expect(distinct.schema == Schema([Field("a", .string, nullable: false)]))
        #expect(try distinct.compute(scheduler: .synchronous)["a"]!.strings == ["x", "u"])
        let counts = try grouped.compute(scheduler: .synchronous)
        #expect(counts["k"]!.strings == ["z"])
        #expect(counts["a_count"]!.ints == [1])
    }

    @Test func badDataFailsWhenComputedNotWhenBuilt() throws {
        // Data rows that can't be parsed (a row longer than the header, then an unterminated
        // quote): everything up to compute succeeds, and the error names file and line.
        let path = writeCSV("a,b\n1,2,3\n\"4,5\n")
        let df = try readCSV(path)
        let plan = try df.select(["b"]).groupby("b").agg(["b": .size])
        _ = try plan.explain()
        let message = errorMessage { _ = try plan.compute(scheduler: .synchronous) }
        #expect(message?.contains(path) == true, "\(message ?? "no error")")
        #expect(message?.contains(path + ":2:") == true, "\(message ?? "no error")")
    }

    @Test func typesAreGuessedOnceAndSharedByEveryFrameOverTheScan() throws {
        let path = writeCSV("a,b\n1,2.5\n3,\n")
        let df = try readCSV(path)
        let left = try df.select(["a"])
        let right = try df.assign("c", df["a"] + df["b"])
        // Comparing with a number needs to know whether `a` is text: this guesses, once.
        let late = try df.filter(df["a"] > 1)
        try rewrite(path, "a,b\nx,y..\nz,\n")
        // Every frame over the scan, built before or after, keeps the first guess.
        #expect(left.schema == Schema([Field("a", .int64)]))
        #expect(right.schema == Schema([Field("a", .int64), Field("b", .float64), Field("c", .float64)]))
        #expect(late.schema == df.schema)
        #expect(try df.select(["b"]).schema == Schema([Field("b", .float64)]))
        // The guess is what it always was, for the file as it was when it was made.
        let fresh = try readCSV(writeCSV("a,b\n1,2.5\n3,\n", name: "fresh.csv"))
        #expect(fresh.schema == df.schema)
    }

    @Test func aBuildTimeTypeCheckStillNamesTheColumn() throws {
        let df = try readCSV(writeCSV("origin,delay\nJFK,1\nLGA,2\n"))
        let message = errorMessage { _ = try df.filter(df["origin"] > 60) }
        #expect(message == "column 'origin' is string, expected a number for (df[\"origin\"] > 60)", "\(message ?? "no error")")
        #expect(throws: FrameError.typeMismatch(column: "origin", expected: "a numeric or bool column for mean", found: .string)) {
            _ = try df.groupby("delay").agg(["origin": .mean])
        }
    }

    @Test func aDeepChainResolvesOnASmallStack() throws {
        var df = try readCSV(writeCSV("a\n1\n2\n"))
        for i in 0..<2_000 { df = try df.assign("a", df["a"] + Expr.literal(.int64(Int64(i % 2)))) }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        box.frame = df
        // The small thread only reads: the chain is released here, on the test's own stack.
        let thread = Thread {
            box.schema = box.frame?.schema
            done.signal()
        }
        thread.stackSize = 256 << 10
        thread.start()
        done.wait()
        withExtendedLifetime(df) { #expect(box.schema == Schema([Field("a", .int64)])) }
        box.frame = nil
    }
}

/// A value written by one thread and read by another after a semaphore.
private final class ResultBox: @unchecked Sendable {
    var frame: ChunkedFrame?
    var schema: Schema?
}
