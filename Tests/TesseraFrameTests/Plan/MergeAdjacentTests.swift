import Testing
import Tessera
@testable import TesseraFrame

@Suite struct MergeAdjacentTests {
    @Test func selectsAndFiltersMerge() throws {
        let t = try Table(["a": Column(int64: [1, 5, 3, 8]), "b": Column(float64: [.nan, 2, -1, 4]), "c": Column(string: ["x", "y", "z", "w"])])
        let df = try ChunkedFrame(t, partitionSize: 3)
        let selects = try df.select(["c", "a", "b"]).select(["a", "b"]).select(["b"])
        #expect(chain(optimizedPlan(selects)[0]) == ["select", "partitions"])
        #expect(sameTable(try selects.compute(), try computeUnoptimized(selects)))
        let filters = try df.filter(df["a"] > 2).filter(df["b"] < 3)
        let plan = optimizedPlan(filters)
        #expect(chain(plan[0]) == ["filter", "partitions"])
        #expect(sameTable(try filters.compute(), try computeUnoptimized(filters)))
        #expect(try filters.compute().rowCount == 2)
    }

    @Test func selectOfEveryColumnInOrderIsDropped() throws {
        let df = try ChunkedFrame(Table(["a": Column(int64: [1]), "b": Column(int64: [2])]), partitionSize: 1)
        #expect(chain(optimizedPlan(try df.select(["a", "b"]))[0]) == ["partitions"])
        #expect(chain(optimizedPlan(try df.select(["b", "a"]))[0]) == ["select", "partitions"])
    }
}
