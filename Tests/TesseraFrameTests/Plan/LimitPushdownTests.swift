import Testing
import Tessera
@testable import TesseraFrame

@Suite struct LimitPushdownTests {
    @Test func headStopsTheScanAfterNRows() throws {
        let df = try readCSV(smallFlights())
        let limited = try df.select(["Origin", "DepDelay"]).adding(.limit(3))
        let plan = optimizedPlan(limited)
        #expect(chain(plan[0]) == ["select", "scan"])
        #expect(scanRequests(plan)[0].rowLimit == 3)
        #expect(scanRequests(plan)[0].columns == ["Origin", "DepDelay"])
        #expect(sameTable(try df.select(["Origin", "DepDelay"]).head(3), try computeUnoptimized(df.select(["Origin", "DepDelay"])).slice(0..<3)))
        #expect(try df.head(120).rowCount == 120)   // spans three partitions
    }

    @Test func limitStaysAboveAFilter() throws {
        let df = try readCSV(smallFlights())
        let limited = try df.filter(df["Distance"] > 1200).adding(.limit(2))
        let plan = optimizedPlan(limited)
        #expect(chain(plan[0]) == ["limit", "scan"])
        #expect(scanRequests(plan)[0].rowLimit == nil)
        let all = try computeUnoptimized(df.filter(df["Distance"] > 1200))
        #expect(sameTable(try df.filter(df["Distance"] > 1200).head(7), all.slice(0..<7)))
    }
}
