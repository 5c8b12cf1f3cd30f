import Foundation
import Testing
import Tessera
import TesseraFrame
import TesseraParquet

/// The README's Parquet tour, compiled and run (ReadmeTests.readmeMatchesTheTests keeps the two in step).
@Suite struct ReadmeParquetTests {
    @Test func parquetTour() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = root.appendingPathComponent("data/1990.csv").path  // one year keeps the debug build quick
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("flights-parquet-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        defer { try? FileManager.default.removeItem(atPath: out + "-by-month") }
        try readCSV(data).toParquet(out)                   // one file per partition, zstd
        let late = try readParquet(out, columns: ["Origin", "DepDelay"], filter: Expr.col("DepDelay") > 15)
        let means = try late.groupby("Origin").agg(["DepDelay": .mean]).compute()
        try readCSV(data).toParquet(out + "-by-month", partitionBy: ["Month"])  // Month=1/part-00000.parquet, …
        let june = try readParquet(out + "-by-month", filter: Expr.col("Month") == 6)  // reads Month=6/ only
        // The same question asked of the CSV files.
        let csv = try readCSV(data)
        let reference = try csv.filter(csv["DepDelay"] > 15).groupby("Origin").agg(["DepDelay": .mean]).compute()
        #expect(means.rowCount == 3)
        #expect(means.columns.map(\.elements) == reference.columns.map(\.elements))
        let juneCSV = try csv.filter(csv["Month"] == 6).compute()
        let juneParquet = try june.select(csv.columns).compute()
        #expect(juneParquet.rowCount == juneCSV.rowCount && juneParquet.rowCount > 0)
        #expect(juneParquet.columns.map(\.elements) == juneCSV.columns.map(\.elements))
    }
}
