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

    @Test func headReadsOnlyTheRowsAndPartitionsItNeeds() throws {
        // A ragged row at line 3 of the first file, a second file that is all bad rows: head(1)
        // tokenizes one row of the first partition and never opens the second.
        let dir = temporaryDirectory()
        _ = writeCSV("a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n", name: "p0.csv", in: dir)
        _ = writeCSV("a,b,c\n1,2,3,4,5\n\"unterminated\n", name: "p1.csv", in: dir)
        let df = try readCSV(dir.path)
        for scheduler in [Scheduler.synchronous, .threads(2)] {
            let one = try df.head(1, scheduler: scheduler)
            #expect(one.rowCount == 1)
            #expect(one["c"]!.elements == [.int64(3)])
            let two = errorMessage { _ = try df.head(2, scheduler: scheduler) }
            #expect(two == "\(dir.path)/p0.csv:3:4: expected 3 fields, saw 4")
        }
        // A file larger than the blocksize stays one partition under a limit: no task scans
        // it for row starts (the first partition of a split file would need that whole scan).
        var small = CSVOptions()
        small.blocksize = 8
        small.minimumBlocksize = 1
        let split = try readCSV(dir.path + "/p0.csv", options: small)
        #expect(split.partitionCount > 1)
        let limited = try split.headPlan(1).partitions
        #expect(limited.count == 1 && taskCount(limited, kind: "csv-split") == 0)
        #expect(try split.head(1, scheduler: .synchronous)["a"]!.elements == [.int64(1)])
        // Through a select and an assign too (the limit moves below both).
        let projected = try df.assign("d", df["a"] + 1).select(["d"])
        #expect(try projected.head(1, scheduler: .synchronous)["d"]!.elements == [.int64(2)])
    }
}
