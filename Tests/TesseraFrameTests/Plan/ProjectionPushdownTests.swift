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

    @Test func valueCountsReadsOneColumn() throws {
        let df = try readCSV(smallFlights())
        let counts = try df.valueCounts("Dest")
        #expect(scanRequests(optimizedPlan(counts))[0].columns == ["Dest"])
        let t = try counts.compute(scheduler: .synchronous)
        #expect(sameTable(t, try computeUnoptimized(counts)))
        // Against a loop over the whole table: most frequent first, ties by first appearance.
        let all = try df.compute(scheduler: .synchronous)
        let dest = all["Dest"]!
        var tally: [String: (count: Int, first: Int)] = [:]
        for i in 0..<dest.count { let k = "\(dest[i])"; tally[k] = (tally[k]?.count ?? 0) + 1 == 1 ? (1, i) : (tally[k]!.count + 1, tally[k]!.first) }
        let expected = tally.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.value.first < $1.value.first }
        #expect((0..<t.rowCount).map { "\(t["Dest"]![$0])" } == expected.map(\.key))
        #expect((0..<t.rowCount).map { t["count"]![$0] } == expected.map { .int64(Int64($0.value.count)) })
    }

    @Test func dropDuplicatesReadsItsSubsetAndWhatIsUsedAbove() throws {
        let df = try readCSV(smallFlights())
        let routes = try df.dropDuplicates(subset: ["Origin", "Dest"]).select(["Origin", "Dest", "Month"])
        let plan = optimizedPlan(routes)
        #expect(chain(plan[0]) == ["select", "drop-duplicates", "scan"])
        #expect(scanRequests(plan)[0].columns == ["Month", "Origin", "Dest"])
        #expect(routes.explain().contains("drop-duplicates on [Origin, Dest], first occurrences in order"))
        // Without a subset every column decides: nothing is narrowed.
        let all = try df.dropDuplicates().select(["Origin"])
        #expect(scanRequests(optimizedPlan(all))[0].columns == nil)
        #expect(sameTable(try routes.compute(scheduler: .threads(2)), try computeUnoptimized(routes)))
        #expect(sameTable(try all.compute(scheduler: .threads(2)), try computeUnoptimized(all)))
    }

    @Test func closureThatDeclaresItsReadsLetsProjectionPass() throws {
        let df = try readCSV(smallFlights())
        let km = try df.mapPartitions(kind: "to-km", schema: Schema([Field("Origin", .string), Field("km", .float64)]),
                                      reads: ["Distance"], preservesRowCounts: true) { t in
            try Table(names: ["Origin", "km"], columns: [try t.column("Origin"), try (Expr.col("Distance") * 1.609).evaluate(on: t)])
        }
        // Origin is passed through by name, so it is read too; nothing else is.
        #expect(scanRequests(optimizedPlan(km))[0].columns == ["Origin", "Distance"])
        #expect(km.explain().contains("to-km (closure, reads [Distance])"))
        #expect(sameTable(try km.compute(scheduler: .threads(2)), try computeUnoptimized(km)))
        // Undeclared reads keep every column.
        let opaque = df.mapPartitions { t in t }
        let narrowed = try opaque.select(["Origin"])
        #expect(scanRequests(optimizedPlan(narrowed))[0].columns == nil)
        #expect(throws: FrameError.self) { try df.mapPartitions(reads: ["Nope"]) { $0 } }
    }
}
