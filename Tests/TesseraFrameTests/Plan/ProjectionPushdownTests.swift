import Testing
import Tessera
@testable import TesseraFrame

@Suite struct ProjectionPushdownTests {
    @Test func groupbyScansOnlyItsColumns() throws {
        let df = try readCSV(smallFlights())
        let means = try df.groupby("Origin").agg(["DepDelay": .mean])
        let scans = scanRequests(optimizedPlan(means))
        #expect(scans.count == 1)
        #expect(scans[0].columns == ["Origin", "DepDelay"])
        #expect(try scannedColumnCounts(means) == [2, 2, 2, 2])
        #expect(sameTable(try means.compute(scheduler: .synchronous), try computeUnoptimized(means)))
    }

    @Test func unusedAssignIsDroppedAndItsInputsNotRead() throws {
        let df = try readCSV(smallFlights())
        let out = try df.assign("Speed", df["Distance"] / 2).assign("Late", df["DepDelay"] > 15).select(["Origin", "Late"])
        let plan = optimizedPlan(out)
        #expect(chain(plan[0]) == ["select", "assign", "scan"])
        #expect(scanRequests(plan)[0].columns == ["Origin", "DepDelay"])
        #expect(sameTable(try out.compute(scheduler: .synchronous), try computeUnoptimized(out)))
    }

    @Test func renameAndFilterColumnsAreKept() throws {
        let df = try readCSV(smallFlights())
        let out = try df.rename(["Origin": "From"]).filter(Expr.column("Distance") > 1000).groupby("From").agg(["DepDelay": .max])
        let scan = scanRequests(optimizedPlan(out))[0]
        #expect(scan.columns == ["Origin", "DepDelay"])
        #expect(scan.predicate != nil)  // Distance is read for the predicate only
        #expect(try scannedColumnCounts(out).allSatisfy { $0 == 2 })
        #expect(sameTable(try out.compute(scheduler: .synchronous), try computeUnoptimized(out)))
    }

    @Test func opaqueClosureStopsPushdown() throws {
        let df = try readCSV(smallFlights())
        let out = try df.mapPartitions { $0 }.groupby("Origin").agg(["DepDelay": .sum])
        #expect(scanRequests(optimizedPlan(out))[0].columns == nil)
    }

    @Test func mergeKeepsClashingColumnsSoSuffixesDontChange() throws {
        let left = try ChunkedFrame(Table(["k": Column(int64: [1, 2, 3]), "v": Column(int64: [10, 20, 30]), "w": Column(int64: [7, 8, 9])]), partitionSize: 2)
        let path = writeCSV("k,v,z\n1,100,5\n3,300,6\n")
        let right = try readCSV(path)
        let out = try left.merge(right, on: ["k"]).select(["k", "v_y"])
        #expect(scanRequests(optimizedPlan(out))[0].columns == ["k", "v"])
        let t = try out.compute(scheduler: .synchronous)
        #expect(t.names == ["k", "v_y"])
        #expect(sameTable(t, try computeUnoptimized(out)))
    }
}
