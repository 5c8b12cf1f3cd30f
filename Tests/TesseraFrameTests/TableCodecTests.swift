import Testing
import Tessera
@testable import TesseraFrame

@Suite struct TableCodecTests {
    static func roundTrip(_ t: Table) throws -> Table {
        try BlockCodec.decode(BlockCodec.encode(t)) as! Table
    }

    /// Columns equal value by value, missing where missing, text byte for byte, NaN bit for bit.
    static func expectSame(_ a: Column, _ b: Column) {
        #expect(a.type == b.type && a.count == b.count && a.nullCount == b.nullCount)
        #expect(a.isDictionaryEncoded == b.isDictionaryEncoded)
        #expect(a.validity == b.validity)
        switch (a.values, b.values) {
        case (.float64(let x), .float64(let y)): #expect(x.map(\.bitPattern) == y.map(\.bitPattern))
        case (.string(let x), .string(let y)):
            for i in 0..<x.count { #expect(x.withBytes(i, Array.init) == y.withBytes(i, Array.init)) }
            if case .dictionary(let cx, let dx) = x, case .dictionary(let cy, let dy) = y {
                #expect(cx == cy && dx == dy)  // the dictionary travels as it is, not re-encoded
            }
        default: #expect(a.elements == b.elements)
        }
    }

    static func randomTable(rows: Int, seed: UInt64) throws -> Table {
        var g = SplitMix64(state: seed)  // the flights generator's, from TesseraFrame
        func maybe<T>(_ v: T) -> T? { g.next() % 4 == 0 ? nil : v }
        let words = ["caf\u{e9}", "cafe\u{301}", "02134", "K1A 0B1", "", "JFK"]
        return try Table([
            "i": Column(int64: (0..<rows).map { _ in maybe(Int64(bitPattern: g.next())) }),
            "f": Column(float64: (0..<rows).map { _ in maybe([Double.infinity, -0.0, 1e300, -2.5][Int(g.next() % 4)]) }),
            "b": Column(bool: (0..<rows).map { _ in maybe(g.next() % 2 == 0) }),
            "t": Column(timestamp: (0..<rows).map { _ in maybe(Int64(g.next() % 1_000_000_000)) }),
            "s": Column(string: (0..<rows).map { _ in maybe(words[Int(g.next() % 6)]) }),
            "d": Column(dictionaryEncoding: (0..<rows).map { _ in maybe(words[Int(g.next() % 6)]) }),
            "allMissing": Column(missing: .float64, count: rows),
            "dense": Column(values: .int64((0..<rows).map(Int64.init))),
        ])
    }

    @Test(arguments: [0, 1, 63, 64, 65, 300])
    func everyColumnTypeWithNullsRoundTrips(rows: Int) throws {
        let t = try Self.randomTable(rows: rows, seed: UInt64(rows) &+ 17)
        let back = try Self.roundTrip(t)
        #expect(back.names == t.names && back.rowCount == t.rowCount)
        for (a, b) in zip(t.columns, back.columns) { Self.expectSame(a, b) }
    }

    @Test func emptyTablesRoundTrip() throws {
        let noColumns = try Table(names: [], columns: [], rowCount: 5)
        #expect(try Self.roundTrip(noColumns).rowCount == 5)
        let schema = try Self.randomTable(rows: 3, seed: 1).schema
        let empty = try Self.roundTrip(Table(empty: schema))
        #expect(empty.rowCount == 0 && empty.schema.names == schema.names)
        #expect(empty.columns.map(\.type) == schema.fields.map(\.type))
    }

    @Test func corruptColumnsAreErrors() throws {
        var w = BlockWriter()
        Column(dictionaryEncoding: ["a", "b"]).encode(to: &w)
        var bytes = w.bytes
        // The first code (Int32 after tag, padding, count) made to point past the dictionary.
        bytes[16] = 9
        #expect(throws: BlockCodecError.self) {
            _ = try bytes.withUnsafeBytes { raw in var r = BlockReader(raw); return try Column.decode(from: &r) }
        }
    }
}
