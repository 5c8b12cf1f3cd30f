import Foundation
import Testing
@testable import TesseraFrame

/// The pandas-vocabulary fixture: Fixtures/pandas-vocab/flights/*.csv and pandas' answers in
/// expected.json, both made by make_fixtures.py there.
enum VocabFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/pandas-vocab")
    static let flights = folder.appendingPathComponent("flights").path
    /// pandas' answers (read again on each use: a stored `[String: Any]` isn't Sendable).
    static var expected: [String: Any] {
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The fixture as read from its three files (one partition each).
    static func frame() throws -> ChunkedFrame { try readCSV(flights) }

    /// The fixture's rows cut into partitions of `size` rows (differential checks).
    static func frame(partitionSize size: Int) throws -> ChunkedFrame {
        try ChunkedFrame(try frame().compute(), partitionSize: size)
    }

    /// The same data in every partitioning the tests try: the files, and 1, 7 and 60 rows.
    static func frames() throws -> [ChunkedFrame] {
        [try frame()] + (try [1, 7, 60].map { try frame(partitionSize: $0) })
    }

    static subscript(key: String) -> Any { expected[key]! }
}

/// A JSON number or null as a Double? (NaN never appears: the script writes null).
func jsonDouble(_ v: Any) -> Double? { (v as? NSNumber)?.doubleValue }

/// Whether two doubles agree to `tolerance` relative (nil with nil).
func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?):
        if x.isNaN && y.isNaN { return true }
        if x.isInfinite || y.isInfinite { return x == y }
        return abs(x - y) <= tolerance * Swift.max(1, abs(x), abs(y))
    default: return false
    }
}

/// Checks `table` against a fixture table `{names, columns}`: same names, same values in order
/// (numbers to 1e-9 relative, text exactly, missing as null).
func expectTable(_ table: Table, _ fixture: Any, sourceLocation: SourceLocation = #_sourceLocation) {
    let f = fixture as! [String: Any]
    let names = f["names"] as! [String]
    let columns = f["columns"] as! [[Any]]
    #expect(table.names == names, sourceLocation: sourceLocation)
    guard table.names == names else { return }
    for (name, expected) in zip(names, columns) {
        let c = table[name]!
        #expect(c.count == expected.count, "column \(name)", sourceLocation: sourceLocation)
        guard c.count == expected.count else { continue }
        if c.type == .string {
            #expect(c.strings == expected.map { $0 as? String }, "column \(name)", sourceLocation: sourceLocation)
        } else {
            let got = c.doubles
            for (i, e) in expected.enumerated() {
                #expect(close(got[i], jsonDouble(e)), "column \(name) row \(i): \(String(describing: got[i])) vs \(e)", sourceLocation: sourceLocation)
            }
        }
    }
}
