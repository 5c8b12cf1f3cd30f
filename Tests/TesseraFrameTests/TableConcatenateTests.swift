import Tessera
import Testing
@testable import TesseraFrame

/// Concatenating partitions column by column while releasing them (what `compute()` of a frame
/// does with its computed partitions) gives exactly what concatenating copies gives.
@Suite struct TableConcatenateTests {
    @Test func consumingConcatenationMatchesCopying() throws {
        var rng = SplitMix64(state: 5)
        for _ in 0..<5 {
            let parts = try (0..<(1 + rng.below(4))).map { _ -> Table in
                let n = rng.below(6)
                return try Table(names: ["i", "d", "s", "t"], columns: [
                    Column(int64: (0..<n).map { _ in rng.below(3) == 0 ? nil : Int64(rng.below(100)) }),
                    Column(float64: (0..<n).map { _ in rng.below(3) == 0 ? nil : Double(rng.below(100)) / 4 }),
                    Column(dictionaryEncoding: (0..<n).map { _ in rng.below(3) == 0 ? nil : ["é", "e\u{301}", "x"][rng.below(3)] }),
                    Column(string: (0..<n).map { _ in rng.below(3) == 0 ? nil : "s\(rng.below(5))" }),
                ])
            }
            let copied = try Table.concatenate(parts)
            var consumed = parts
            let whole = try Table.concatenate(consuming: &consumed)
            #expect(consumed.isEmpty)
            #expect(whole.names == copied.names && whole.rowCount == parts.reduce(0) { $0 + $1.rowCount })
            // Row by row against the parts themselves (an independent reference).
            let rows = parts.flatMap { p in (0..<p.rowCount).map { p.row($0) } }
            #expect((0..<whole.rowCount).map { whole.row($0) } == rows)
            #expect((0..<copied.rowCount).map { copied.row($0) } == rows)
        }
    }

    /// `compute()` hands the computed partitions over: the frame's rows, in order.
    @Test func computeAssemblesConsumedPartitions() throws {
        let t = try Table(["k": Column(int64: (0..<50).map { Int64($0 % 7) }), "s": Column(string: (0..<50).map { "v\($0)" })])
        let frame = try ChunkedFrame(t, partitionSize: 8)
        var values: [Any] = try frame.partitions.map { try TaskGraph([$0]).compute()[0] }
        let assembled = try frame.assemble(consuming: &values)
        #expect(values.isEmpty)
        #expect((0..<assembled.rowCount).map { assembled.row($0) } == (0..<t.rowCount).map { t.row($0) })
        let computed = try frame.compute(scheduler: .threads(2))
        #expect((0..<computed.rowCount).map { computed.row($0) } == (0..<t.rowCount).map { t.row($0) })
    }
}
