import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// What Tessera writes reads back as the same table: quoting decided on bytes, NaN and missing
/// written alike (empty), a one-column missing value as `""`.
@Suite struct CSVRoundTripTests {
    /// Text whose Swift `Character`s hide a delimiter, quote, CR or LF.
    static let tricky = ["line1\r\nline2", ",\u{301}", "\"\u{301}", "a\r", "\n\u{301}x", "plain", "é", "e\u{301}"]

    /// `t` written with `csvBytes` and read back by our reader, synchronously.
    func readBack(_ t: Table, _ options: CSVOptions = CSVOptions(), function: String = #function) throws -> Table {
        let url = temporaryDirectory(function).appendingPathComponent("out.csv")
        try Data(t.csvBytes()).write(to: url)
        return try readCSV(url.path, options: options).compute(scheduler: .synchronous)
    }

    @Test func fieldsWithHiddenDelimitersAreQuoted() throws {
        let names = ["k\r\ney", "v,\u{301}"]
        let t = try Table(names: names, columns: [Column(string: Self.tricky), Column(int64: Self.tricky.indices.map { Int64($0) })],
                          rowCount: Self.tricky.count)
        let back = try readBack(t)
        #expect(back.names == names)
        #expect(back.rowCount == t.rowCount)
        // Compared as bytes: Swift String equality would forgive a change of Unicode form.
        for i in 0..<t.rowCount {
            #expect(Array(back.columns[0][i].description.utf8) == Array(Self.tricky[i].utf8), "row \(i)")
        }
        #expect(back.columns[1].elements == t.columns[1].elements)
        #expect(csvQuote(",\u{301}") == "\",\u{301}\"")
        #expect(csvQuote("a\r\nb") == "\"a\r\nb\"")
        // `tessera schema` prints names through the same quoting: a CRLF name stays one line.
        let schemaText = Schema([Field("k\r\ney", .string), Field("v", .int64)]).csv
        let lines = try readCSV(writeCSV(schemaText, name: "schema.csv")).compute(scheduler: .synchronous)
        #expect(lines["column"]!.elements.map { Array($0.description.utf8) } == [Array("k\r\ney".utf8), Array("v".utf8)])
    }

    @Test func nanIsWrittenAsMissing() throws {
        let t = try Table(names: ["x", "y"], columns: [Column(float64: [1.5, .nan, nil, .infinity]), Column(int64: [1, 2, 3, 4])], rowCount: 4)
        #expect(t.csv() == "x,y\n1.5,1\n,2\n,3\ninf,4\n")
    }

    @Test func oneColumnMissingValuesSurvive() throws {
        let t = try Table(names: ["x"], columns: [Column(float64: [1, nil, 2, nil])], rowCount: 4)
        #expect(t.csv() == "x\n1.0\n\"\"\n2.0\n\"\"\n")
        let back = try readBack(t)
        #expect(back.rowCount == 4)
        #expect(back.columns[0].elements == t.columns[0].elements)
        let spaces = try Table(names: ["s"], columns: [Column(string: ["a", "  ", nil])], rowCount: 3)
        #expect(spaces.csv() == "s\na\n\"  \"\n\"\"\n")
        #expect(try readBack(spaces).columns[0].elements == spaces.columns[0].elements)
    }

    /// `tessera groupby` writes through the same writer: a CRLF key stays one row.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: GroupbyCommandTests.executable.path)))
    func groupbyOutputReadsBack() throws {
        var text = "k,v\n"
        for (i, k) in Self.tricky.enumerated() { text += "\(csvQuote(k)),\(i)\n" }
        let path = writeCSV(text)
        let (status, out, err) = try GroupbyCommandTests.run(["groupby", path, "--by", "k", "--agg", "v:sum"])
        #expect(status == 0, "\(err)")
        let back = try parseCSV(out)
        let direct = try readCSV(path).groupby("k").agg(["v": .sum]).compute(scheduler: .synchronous)
        #expect(back.rowCount == direct.rowCount)
        for i in 0..<direct.rowCount {
            #expect(Array(back.columns[0][i].description.utf8) == Array(direct.columns[0][i].description.utf8))
        }
    }
}
