import Tessera
import Testing
@testable import TesseraFrame

@Suite struct DistinctTests {
    let table: Table

    init() throws { table = try GroupByFixtures.input(dictionary: true) }

    @Test func valueCountsMatchesALoop() throws {
        for (size, dropna) in [(240, true), (17, true), (17, false), (5, false)] {
            let frame = try ChunkedFrame(table, partitionSize: size)
            let out = try frame.valueCounts("s", dropna: dropna, splitOut: size == 5 ? 3 : 1).compute(scheduler: .threads(2))
            var counts: [Value: Int64] = [:]
            for v in try table.column("s").elements where dropna ? !v.isMissing : true { counts[v, default: 0] += 1 }
            let expected = counts.sorted { a, b in a.value != b.value ? a.value > b.value : compareValues(a.key, b.key) < 0 }
            #expect(out.names == ["s", "count"])
            #expect(out.columns[0].elements == expected.map(\.key))
            #expect(out.columns[1].elements == expected.map { .int64($0.value) })
        }
    }

    @Test func nuniqueMatchesASet() throws {
        for column in ["k1", "k2", "x", "n", "s"] {
            for size in [240, 7] {
                let frame = try ChunkedFrame(table, partitionSize: size)
                let values = try table.column(column).elements
                #expect(try frame.nunique(column, dropna: true).compute() == Set(values.filter { !$0.isMissing }).count)
                #expect(try frame.nunique(column, dropna: false, splitOut: 2).compute() == Set(values).count)
            }
        }
    }

    @Test func dropDuplicatesKeepsTheFirstRowOfEachKey() throws {
        let t = try table.select(["k1", "k2", "s"])
        for (subset, size) in [(["k1", "k2"], 240), (["k1", "k2"], 9), (["s"], 31), (nil, 50)] as [([String]?, Int)] {
            let frame = try ChunkedFrame(t, partitionSize: size)
            let out = try frame.dropDuplicates(subset: subset, splitOut: size == 9 ? 4 : 1).compute(scheduler: .threads(4))
            // Reference: the first row of each key, in order of first appearance (pandas).
            let keyIdx = (subset ?? t.names).map { t.index(of: $0)! }
            var seen = Set<[Value]>()
            var rows: [[Value]] = []
            for r in 0..<t.rowCount {
                let row = t.row(r)
                if seen.insert(keyIdx.map { row[$0] }).inserted { rows.append(row) }
            }
            #expect(out.names == t.names)
            #expect((0..<out.rowCount).map { out.row($0) } == rows)
        }
    }
}
