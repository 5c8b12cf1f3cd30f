import Foundation
import Testing
@testable import TesseraFrame

@Suite struct CSVConformanceTests {
    @Test func typesAreInferred() throws {
        let t = try parseCSV("a,b,c,d,e\n1,1.5,True,x,\n-2,2,False,y,\n")
        #expect(t.names == ["a", "b", "c", "d", "e"])
        #expect(t.rowCount == 2)
        #expect(t["a"]!.type == .int64)
        #expect(t["a"]!.elements == [.int64(1), .int64(-2)])
        #expect(t["b"]!.type == .float64)
        #expect(t["b"]!.elements == [.float64(1.5), .float64(2)])
        #expect(t["c"]!.elements == [.bool(true), .bool(false)])
        #expect(t["d"]!.elements == [.string("x"), .string("y")])
        #expect(t["e"]!.type == .float64)
        #expect(t["e"]!.elements == [.missing, .missing])
    }

    @Test func quoting() throws {
        let t = try parseCSV("name,text\n\"a,b\",\"say \"\"hi\"\"\"\n\"multi\nline\",plain\n\"\",x\n")
        #expect(t["name"]!.elements == [.string("a,b"), .string("multi\nline"), .missing])
        #expect(t["text"]!.elements == [.string("say \"hi\""), .string("plain"), .string("x")])
    }

    @Test func crlfBomAndMissingFinalNewline() throws {
        let t = try parseCSV("\u{FEFF}x,y\r\n1,a\r\n2,b")
        #expect(t.names == ["x", "y"])
        #expect(t["x"]!.elements == [.int64(1), .int64(2)])
        #expect(t["y"]!.elements == [.string("a"), .string("b")])
    }

    @Test func emptyFieldsAndNAValues() throws {
        let t = try parseCSV("a,b,c\n1,NA,\nN/A,x,null\n3,None,#N/A\n")
        #expect(t["a"]!.elements == [.int64(1), .missing, .int64(3)])
        #expect(t["b"]!.elements == [.missing, .string("x"), .missing])
        #expect(t["c"]!.type == .float64)
        #expect(t["c"]!.nullCount == 3)
    }

    @Test func unicodeAndLongFields() throws {
        let long = String(repeating: "é", count: 100_000)
        let t = try parseCSV("city,note\nZürich,\(long)\n東京,\"🙂, ok\"\n")
        #expect(t["city"]!.elements == [.string("Zürich"), .string("東京")])
        #expect(t["note"]!.elements == [.string(long), .string("🙂, ok")])
    }

    @Test func numbersWithExponentsSignsInfAndNan() throws {
        let t = try parseCSV("v\n1e3\n+2.5\n-1E-2\ninf\n-Infinity\n+inf\nNaN\n.5\n5.\n")
        #expect(t["v"]!.type == .float64)
        #expect(t["v"]!.elements == [.float64(1000), .float64(2.5), .float64(-0.01), .float64(.infinity),
                                     .float64(-.infinity), .float64(.infinity), .missing, .float64(0.5), .float64(5)])
        let i = try parseCSV("v\n+7\n-0\n")
        #expect(i["v"]!.elements == [.int64(7), .int64(0)])
    }

    @Test func sixtyFourBitLimits() throws {
        let t = try parseCSV("v\n9223372036854775807\n-9223372036854775808\n")
        #expect(t["v"]!.elements == [.int64(.max), .int64(.min)])
        // Beyond Int64 the column stays exact text (pandas keeps such integers as objects),
        // never a lossy float; an explicit float64 still parses it.
        let over = try parseCSV("v\n9223372036854775808\n1\n")
        #expect(over["v"]!.type == .string)
        #expect(over["v"]!.elements == [.string("9223372036854775808"), .string("1")])
    }

    @Test func mixedTypesPromote() throws {
        let t = try parseCSV("a,b,c\n1,1,x\n2.5,True,2\n")
        #expect(t["a"]!.elements == [.float64(1), .float64(2.5)])
        #expect(t["b"]!.elements == [.string("1"), .string("True")])
        #expect(t["c"]!.elements == [.string("x"), .string("2")])
    }

    @Test func floatsAreCorrectlyRounded() throws {
        // Hard cases and random ones, checked against strtod.
        var texts = ["0.1", "0.2", "0.3", "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
                     "4.9e-324", "9007199254740993", "9007199254740992.5", "1.00000000000000011102230246251565404236316680908203125",
                     "123456789012345678901234567890", "0.000000000000000000000000000001", "3.14159265358979323846",
                     "7.2057594037927933e16", "1e23", "8.98846567431158e307", "1e-320", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let mant = UInt64.random(in: 0...UInt64(1) << 62, using: &rng)
            let e = Int.random(in: -40...40, using: &rng)
            let digits = String(mant)
            let cut = Int.random(in: 0...digits.count, using: &rng)
            let s = digits.prefix(cut) + "." + digits.dropFirst(cut) + "e\(e)"
            texts.append(String(s))
        }
        // float64 asked for: inferred, the integers beyond Int64 among them would keep the
        // column as text (CSVValueCorrectnessTests).
        var o = CSVOptions()
        o.dtypes = ["v": .float64]
        let t = try parseCSV("v\n" + texts.joined(separator: "\n") + "\n", o)
        guard case .float64(let got) = t["v"]!.values else { Issue.record("not float"); return }
        for (i, s) in texts.enumerated() {
            let expected = strtod(s, nil)
            #expect(got[i].bitPattern == expected.bitPattern, "\(s): \(got[i]) vs strtod \(expected)")
        }
    }

    @Test func usecolsDtypesAndParseDates() throws {
        var o = CSVOptions()
        o.usecols = ["c", "a"]
        o.dtypes = ["a": .float64]
        o.parseDates = ["c"]
        let t = try parseCSV("a,b,c\n1,zz,2024-01-31\n2,\"x,\"\"y\",2024-02-01T12:30:00Z\n", o)
        #expect(t.names == ["a", "c"])
        #expect(t["a"]!.elements == [.float64(1), .float64(2)])
        #expect(t["c"]!.type == .timestamp)
        #expect(t["c"]!.elements.map(\.description) == ["2024-01-31", "2024-02-01 12:30:00"])
    }

    @Test func timestampsWithZones() throws {
        var o = CSVOptions()
        o.parseDates = ["t"]
        let t = try parseCSV("t\n2024-03-10T10:00:00+02:00\n2024-03-10 08:00:00.5\n1969-12-31\n", o)
        #expect(t["t"]!.elements.map(\.description) == ["2024-03-10 08:00:00", "2024-03-10 08:00:00.500000", "1969-12-31"])
    }

    @Test func skipRowsNRowsAndNoHeader() throws {
        var o = CSVOptions()
        o.skipRows = 2
        o.nRows = 2
        let t = try parseCSV("junk\nmore junk\na,b\n1,2\n3,4\n5,6\n", o)
        #expect(t["a"]!.elements == [.int64(1), .int64(3)])
        var h = CSVOptions()
        h.header = false
        let u = try parseCSV("1,x\n2,y\n", h)
        #expect(u.names == ["0", "1"])
        #expect(u["0"]!.elements == [.int64(1), .int64(2)])
    }

    @Test func delimiterQuoteAndCustomNA() throws {
        var o = CSVOptions()
        o.delimiter = ";"
        o.quote = "'"
        o.naValues = ["-"]
        let t = try parseCSV("a;b\n'x;y';-\n'it''s';2\n", o)
        #expect(t["a"]!.elements == [.string("x;y"), .string("it's")])
        #expect(t["b"]!.elements == [.missing, .int64(2)])
    }

    @Test func blankLinesAndDuplicateNames() throws {
        let t = try parseCSV("a,a,b\n\n1,2,3\n\n4,5,6\n")
        #expect(t.names == ["a", "a.1", "b"])
        #expect(t["a.1"]!.elements == [.int64(2), .int64(5)])
    }

    @Test func lowCardinalityTextIsDictionaryEncoded() throws {
        let rows = (0..<1000).map { i in ["JFK", "LGA", "EWR"][i % 3] + ",\(i)" }
        let t = try parseCSV("Origin,id\n" + rows.joined(separator: "\n") + "\n")
        #expect(t["Origin"]!.isDictionaryEncoded)
        #expect(t["Origin"]![4] == .string("LGA"))
        var o = CSVOptions()
        o.dtypes = ["id": .string]
        let u = try parseCSV("Origin,id\n" + rows.joined(separator: "\n") + "\n", o)
        #expect(!u["id"]!.isDictionaryEncoded)
        #expect(u["id"]![999] == .string("999"))
    }
}

@Suite struct NumberParsingTests {
    /// parseInt64 (with its branch-free short path) against Swift's Int64(String).
    @Test func integersMatchSwiftParsing() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789") + ["+", "-", ".", "e", " ", "/", ":", "a"]
        var cases = ["0", "-0", "+0", "7", "-7", "12345678", "-12345678", "99999999", "123456789", "00000000000000000000042",
                     "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "+", "-", ""]
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...20, using: &rng)
            cases.append(String((0..<n).map { _ in Int.random(in: 0..<10, using: &rng) < 9 ? alphabet[Int.random(in: 0..<10, using: &rng)] : alphabet.randomElement(using: &rng)! }))
        }
        for c in cases {
            var bytes = Array(c.utf8)
            let n = bytes.count
            bytes.append(contentsOf: [UInt8](repeating: 0x39, count: 16))  // readable, misleading padding
            let got = bytes.withUnsafeBufferPointer { parseInt64($0.baseAddress!, n) }
            let want = c.hasPrefix("+-") || c.hasPrefix("-+") ? nil : Int64(c)
            #expect(got == want, "'\(c)'")
        }
    }
}
