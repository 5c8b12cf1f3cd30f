import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Tricky CSV texts read by Tessera and by pandas: the same names, types and values. pandas'
/// answers are in Fixtures/csv-pandas/cases.json, made by make_fixtures.py there.
@Suite struct CSVPandasFixtureTests {
    struct Case: Decodable {
        struct Col: Decodable { var name: String; var kind: String; var values: [String?] }
        var name: String
        var text: String
        var columns: [Col]
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/csv-pandas/cases.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    @Test func fixturesArePresent() { #expect(Self.cases.count >= 10) }

    @Test(arguments: CSVPandasFixtureTests.cases.map(\.name))
    func readsAsPandasDoes(_ name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let url = temporaryDirectory("pandas\(name)").appendingPathComponent("case.csv")
        try Data(base64Encoded: c.text)!.write(to: url)
        let t = try readCSV(url.path).compute(scheduler: .synchronous)
        #expect(t.names == c.columns.map(\.name))
        for col in c.columns {
            var got = try t.column(col.name)
            // pandas' NumPy int64 can't hold a missing value, so such a column is float64 there;
            // Tessera's int64 has a validity bitmap (DESIGN.md: missing values don't change the type).
            if got.type == .int64 && col.kind == "float64" && col.values.contains(nil) { got = got.promoted(to: .float64) }
            #expect("\(got.type)" == col.kind, "\(name).\(col.name)")
            // Swift's shortest round-trip text of a double is Python's repr.
            #expect(got.elements.map { $0.isMissing ? nil : $0.description } == col.values, "\(name).\(col.name)")
        }
    }
}
