import Foundation
import Testing
import Tessera
import TesseraFrame
import TesseraFrameArray

/// The README's ChunkedFrame tour, compiled and run (ReadmeTests.readmeMatchesTheTests keeps the two in step).
@Suite struct ReadmeFrameTests {
    @Test func chunkedFrameTour() throws {
        // The tour reads the bundled sample data from the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        let flights = try readCSV("data")                       // every *.csv file, in parallel
        let late = try flights.filter(flights["DepDelay"] > 15 && flights["Origin"] == "JFK")
        let perAirport = try flights.groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .count])
        let (lateCount, table) = try compute(late, perAirport)  // one graph, files read once
        #expect(table.names == ["Origin", "DepDelay_mean", "DepDelay_count"])
        #expect(table.rowCount == 3 && lateCount.rowCount > 0)
        let plan = perAirport.explain()                         // the plan before and after optimizing
        #expect(plan.contains("scan csv 10 files: 2 of 23 columns [DepDelay, Origin]"))
        let delays = try flights.toArray(["DepDelay", "ArrDelay"])  // a ChunkedArray, NaN where missing
        let meanDepDelay = try delays.nanmean(axis: 0).compute()[0]
        let counts = table["DepDelay_count"]!.elements.map { $0.doubleValue! }, means = table["DepDelay_mean"]!.elements.map { $0.doubleValue! }
        #expect(abs(meanDepDelay - zip(means, counts).map(*).reduce(0, +) / counts.reduce(0, +)) < 1e-9)
    }
}
