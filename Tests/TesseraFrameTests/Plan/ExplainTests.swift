import Testing
import Tessera
@testable import TesseraFrame

@Suite struct ExplainTests {
    @Test func explainShowsBothPlansAndTheLayers() throws {
        let df = try readCSV(smallFlights())
        let text = try df.filter(df["Distance"] > 1000).groupby("Origin").agg(["DepDelay": .mean]).explain()
        let parts = text.components(separatedBy: "== optimized plan ==")
        #expect(parts.count == 2)
        #expect(parts[0].contains("filter (df[\"Distance\"] > 1000)"))
        #expect(parts[0].contains("scan csv 4 files: all 6 columns"))
        #expect(parts[1].contains("scan csv 4 files: 2 of 6 columns [Origin, DepDelay], predicate (df[\"Distance\"] > 1000)"))
        #expect(!parts[1].contains("\n  filter"))
        // The groupby decides at run time whether to split into key ranges (issue 13), so its
        // layers are there whatever the data.
        #expect(text.contains("read-csv: 4 tasks in 4 layers\ngroupby-chunk: 4 tasks\ngroupby-boundaries: 1 task\ngroupby-split: 4 tasks\n"))
        #expect(text.contains("groupby-finalize: 4 tasks\ngroupby-concat: 1 task\n"))
    }
}
