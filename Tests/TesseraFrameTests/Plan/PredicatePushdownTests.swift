import Testing
import Tessera
@testable import TesseraFrame

@Suite struct PredicatePushdownTests {
    @Test func filterMovesBelowSelectAssignRenameAndSortIntoTheScan() throws {
        let df = try readCSV(smallFlights())
        let out = try df.select(["Origin", "DepDelay", "Distance"])
            .assign("Half", df["Distance"] / 2)
            .rename(["Origin": "From"])
            .sortValues(by: ["DepDelay"])
            .filter(Expr.column("From") == "JFK" && Expr.column("Distance") > 1000)
        let plan = optimizedPlan(out)
        #expect(chain(plan[0]) == ["sort", "rename", "assign", "select", "scan"])
        let scan = scanRequests(plan)[0]
        #expect(scan.predicate?.description == (Expr.column("Origin") == "JFK" && Expr.column("Distance") > 1000).description)
        #expect(sameTable(try out.compute(scheduler: .synchronous), try computeUnoptimized(out)))
    }

    @Test func filterOnTheAssignedColumnStaysAboveIt() throws {
        let df = try readCSV(smallFlights())
        let out = try df.assign("Far", df["Distance"] > 1000).filter(Expr.column("Far") && Expr.column("Month") > 6)
        let plan = optimizedPlan(out)
        #expect(chain(plan[0]) == ["filter", "assign", "scan"])
        #expect(scanRequests(plan)[0].predicate == nil)
        #expect(sameTable(try out.compute(scheduler: .synchronous), try computeUnoptimized(out)))
    }

    @Test func conjunctsGoToTheSideOfAJoinTheyRead() throws {
        let flights = try readCSV(smallFlights())
        let airports = try ChunkedFrame(Table([
            "Code": Column(string: ["JFK", "LGA", "EWR", "BOS"]),
            "Size": Column(int64: [3, 2, 2, 1]),
        ]), partitionSize: 2)
        let joined = try flights.merge(airports, leftOn: ["Origin"], rightOn: ["Code"])
        let out = try joined.filter(joined["Distance"] > 800 && joined["Size"] >= 2 && joined["Distance"] < Expr.column("Size") * 700)
        let plan = optimizedPlan(out)
        #expect(plan[0].kind == "filter")  // the conjunct reading both sides stays above
        let merge = plan[0].inputs[0]
        #expect(merge.kind == "merge")
        #expect(merge.inputs[0].kind == "scan")
        #expect(scanRequests(plan)[0].predicate?.description == (Expr.column("Distance") > 800).description)
        #expect(merge.inputs[1].kind == "filter")
        #expect(sameTable(try out.compute(scheduler: .synchronous), try computeUnoptimized(out)))
    }

    @Test func leftJoinKeepsFiltersOnTheRightAbove() throws {
        let left = try ChunkedFrame(Table(["k": Column(int64: [1, 2, 3, 4]), "a": Column(int64: [5, 6, 7, 8])]), partitionSize: 2)
        let right = try ChunkedFrame(Table(["k": Column(int64: [1, 3]), "b": Column(int64: [1, 9])]), partitionSize: 1)
        let joined = try left.merge(right, on: ["k"], how: .left)
        let out = try joined.filter(joined["b"].isna() && joined["a"] > 5)
        let plan = optimizedPlan(out)
        #expect(plan[0].kind == "filter")
        #expect(plan[0].inputs[0].inputs[0].kind == "filter")   // a > 5 on the left
        #expect(plan[0].inputs[0].inputs[1].kind == "partitions")
        let t = try out.compute(scheduler: .synchronous)
        #expect(t["k"].map { c in (0..<c.count).map { c[$0] } } == [.int64(2), .int64(4)])
        #expect(sameTable(t, try computeUnoptimized(out)))
    }

    @Test func sharedScanKeepsItsRows() throws {
        let df = try readCSV(smallFlights())
        let late = try df.filter(df["DepDelay"] > 15)
        let all = try df.select(["DepDelay"])
        #expect(scanRequests(optimizedPlan(late, all)).allSatisfy { $0.predicate == nil })
        let (a, b) = try compute(late, all, scheduler: .synchronous)
        #expect(a.rowCount < b.rowCount)
        #expect(b.rowCount == 200)
    }
}
