import Foundation
import Tessera
import Testing
import TesseraFrameArray
@testable import TesseraFrame

/// The README's "Coming from pandas" table, right-hand column, compiled and run on the fixture.
@Suite struct ComingFromPandasTests {
    @Test func everySpellingRuns() throws {
        let df = try readCSV(VocabFixture.flights)
        #expect(try df.head(5).rowCount == 5)
        #expect(df.shape.columns == 6)
        #expect(try df.shape.rows.compute() == 60)
        _ = try df.filter(df["dep_delay"] > 60).compute()
        _ = try df.query("dep_delay > 60 and origin in ['JFK']").compute()
        _ = try df.filter(df["origin"].isin(["JFK", "LGA"])).compute()
        _ = try df.assign("gain", df["dep_delay"] - df["arr_delay"]).compute()
        _ = try df["dep_delay"].mean().compute()
        _ = try df.mean().compute()
        _ = try df.describe()
        let table = try df.groupby("origin").agg(["dep_delay": "mean"]).compute()
        _ = try df.groupby("origin")["dep_delay"].mean().compute()
        _ = try df["origin"].valueCounts().compute()
        _ = try df["origin"].nunique().compute()
        _ = try df.sortValues(by: ["dep_delay"], ascending: false).compute()
        _ = try df.nlargest(5, "dep_delay").compute()
        let airports = try ChunkedFrame(tables: [try Table(["origin": Column(string: ["JFK", "LGA"]), "city": Column(string: ["NYC", "NYC"])])])
        _ = try df.merge(airports, on: ["origin"], how: .left).compute()
        _ = try df.dropDuplicates(subset: ["origin"]).compute()
        _ = try df.corr().compute()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-pandas-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(try df.toCSV(out).count == df.partitionCount)
        #expect(table["dep_delay_mean"]!.doubles.count == table.rowCount)
        let s: FrameColumn = df["dep_delay"]
        #expect(try s.count().compute() == (VocabFixture["reductions"] as! [String: Any])["count"] as! Int)
    }
}
