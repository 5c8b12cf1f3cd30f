import Foundation
import Testing
import TesseraFrame
@testable import TesseraParquet

/// The fixtures folder (files made by Fixtures/make_fixtures.py).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// An answer file: what pandas read from a fixture, every value as text (nil: missing).
struct ExpectedTable: Decodable {
    struct ExpectedColumn: Decodable {
        let name: String
        let type: String
        let values: [String?]
    }
    let rows: Int
    let columns: [ExpectedColumn]

    static func load(_ name: String) throws -> ExpectedTable {
        try JSONDecoder().decode(ExpectedTable.self, from: Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    func column(_ name: String) -> ExpectedColumn? { columns.first { $0.name == name } }
}

/// The answer's text for one Tessera value (the same spelling make_fixtures.py writes).
func answerText(_ v: Value) -> String? {
    switch v {
    case .missing: return nil
    case .bool(let b): return b ? "true" : "false"
    case .int64(let i): return String(i)
    case .timestamp(let t): return String(t)
    case .string(let s): return s
    case .float64(let d): return String(d)
    }
}

/// Compares a column with the answer value by value: doubles by value (Python's and Swift's
/// shortest forms can differ in spelling), text by UTF-8 bytes.
func expectEqual(_ column: Column, _ expected: ExpectedTable.ExpectedColumn, file: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(column.type.description == expected.type, "\(file) \(expected.name): type", sourceLocation: sourceLocation)
    #expect(column.count == expected.values.count, "\(file) \(expected.name): count", sourceLocation: sourceLocation)
    var mismatches = 0
    for i in 0..<min(column.count, expected.values.count) {
        let got = column[i]
        let want = expected.values[i]
        let same: Bool
        if case .float64(let d) = got, let w = want, let wd = Double(w) { same = d == wd } else {
            same = answerText(got).map { Array($0.utf8) } == want.map { Array($0.utf8) }
        }
        if !same {
            mismatches += 1
            if mismatches <= 3 {
                Issue.record("\(file) \(expected.name) row \(i): got \(got), want \(want ?? "missing")", sourceLocation: sourceLocation)
            }
        }
    }
}
