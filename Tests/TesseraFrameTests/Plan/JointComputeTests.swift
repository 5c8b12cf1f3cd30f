import Testing
import Tessera
@testable import TesseraFrame

@Suite struct JointComputeTests {
    @Test func sharedScanIsReadOnceWithTheUnionOfColumns() throws {
        let df = try readCSV(smallFlights())
        let late = try df.filter(df["DepDelay"] > 15).select(["Dest", "DepDelay"])
        let perAirport = try df.groupby("Origin").agg(["Distance": .mean])
        let plan = optimizedPlan(late, perAirport)
        let scans = planNodes(plan).filter { $0.kind == "scan" }
        // The filter can't move into the scan the groupby also reads: one scan, union of columns.
        #expect(scans.count == 1)
        #expect(scanRequests(plan)[0].columns == ["Origin", "Dest", "DepDelay", "Distance"])
        #expect(scanRequests(plan)[0].predicate == nil)
        let (a, b) = try compute(late, perAirport, scheduler: .synchronous)
        #expect(sameTable(a, try computeUnoptimized(late)))
        #expect(sameTable(b, try computeUnoptimized(perAirport)))
        // Lowered together: one read-csv layer per file (4), feeding both outputs; apart, 8.
        let together = explain(late, perAirport).components(separatedBy: "== layers ==")[1]
        #expect(together.contains("read-csv: 4 tasks in 4 layers"))
        let joint = Lowering.lower(roots: [late.node, perAirport.node], optimize: true).outputs.flatMap { $0 }
        #expect(taskCount(joint, kind: "read-csv") == 4)
        #expect(taskCount(late.partitions + perAirport.partitions, kind: "read-csv") == 8)
    }

    @Test func eachAloneGetsItsOwnNarrowScan() throws {
        let df = try readCSV(smallFlights())
        let late = try df.filter(df["DepDelay"] > 15).select(["Dest", "DepDelay"])
        let scan = scanRequests(optimizedPlan(late))[0]
        #expect(scan.columns == ["Dest", "DepDelay"])
        #expect(scan.predicate?.description == (df["DepDelay"] > 15).description)
    }
}
