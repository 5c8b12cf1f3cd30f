import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Values the reader must not silently change: invalid UTF-8, impossible timestamps, integers
/// beyond Int64.
@Suite struct CSVValueCorrectnessTests {
    func bytesFile(_ bytes: [UInt8], function: String = #function) -> String {
        let url = temporaryDirectory(function).appendingPathComponent("bytes.csv")
        try! Data(bytes).write(to: url)
        return url.path
    }

    static let invalidKeys: [[UInt8]] = [[97, 0xFF], [97, 0xFE], [97, 0xEF, 0xBF, 0xBD], [97, 0xC0, 0xAF], [97, 0xED, 0xA0, 0x80]]

    @Test func invalidUTF8IsAnErrorNamingFileLineColumn() throws {
        for (j, bad) in Self.invalidKeys.enumerated() where j != 2 {
            // Dictionary-encoded (few values) and plain (many distinct values) text both checked.
            for distinct in [false, true] {
                var bytes = Array("n,k\n".utf8)
                for i in 0..<(distinct ? 5000 : 3) { bytes += Array("\(i),\(distinct ? "x\(i)" : "ok")\n".utf8) }
                bytes += Array("7,".utf8) + bad + [10]
                let path = bytesFile(bytes)
                let line = (distinct ? 5000 : 3) + 2
                let m = errorMessage { _ = try readCSV(path).compute(scheduler: .synchronous) }
                #expect(m?.hasPrefix("\(path):\(line):2:") == true, "\(m ?? "no error")")
                #expect(m?.contains("UTF-8") == true)
            }
        }
    }

    @Test func keepingInvalidUTF8KeepsDistinctKeysAndTheirBytes() throws {
        var bytes = Array("k,v\n".utf8)
        for (i, key) in Self.invalidKeys.enumerated() { bytes += key + Array(",\(i)\n".utf8) }
        var options = CSVOptions()
        options.invalidUTF8 = .keepBytes
        let out = try readCSV(bytesFile(bytes), options: options).groupby("k").agg(["v": .sum]).compute(scheduler: .synchronous)
        #expect(out.rowCount == Self.invalidKeys.count)
        // Written back, every key's bytes are the file's.
        let written = out.csvBytes()
        for key in Self.invalidKeys { #expect(written.firstRange(of: key + [44]) != nil, "\(key)") }
    }

    @Test(arguments: ["2020-02-30", "2019-02-29", "2021-04-31", "2020-01-01 23:59:60", "2020-01-01T24:00:00", "2020-01-01 10:00+24:00"])
    func impossibleTimestampsAreErrors(_ text: String) throws {
        var options = CSVOptions()
        options.dtypes = ["d": .timestamp]
        let path = writeCSV("x,d\n1,2020-02-29\n2,\(text)\n")
        let m = errorMessage { _ = try readCSV(path, options: options).compute(scheduler: .synchronous) }
        #expect(m?.hasPrefix("\(path):3:2:") == true, "\(text): \(m ?? "no error")")
    }

    @Test func offsetsConvertToUTC() throws {
        var options = CSVOptions()
        options.dtypes = ["d": .timestamp]
        let t = try parseCSV("d\n2020-02-29T23:30:00-01:00\n2024-12-31 00:00:00.1234567Z\n", options)
        // Reference: days from the civil calendar by hand (2020-03-01 is day 18322), microseconds truncated.
        #expect(try t.column("d")[0] == .timestamp(18322 * 86_400_000_000 + 30 * 60_000_000))
        #expect(try t.column("d")[1].description == "2024-12-31 00:00:00.123456")
    }

    @Test func integersBeyondInt64StayExactText() throws {
        for big in ["18446744073709551615", "123456789012345678901234567890", "-9223372036854775809"] {
            for rows in [["1", big, "2"], [big, "1"], ["1.5", big]] {
                let t = try parseCSV("v\n" + rows.joined(separator: "\n") + "\n")
                #expect(try t.column("v").type == .string, "\(rows)")
                #expect(try t.column("v").elements.map(\.description) == rows)
            }
            var options = CSVOptions()
            options.dtypes = ["v": .float64]
            let t = try parseCSV("v\n1\n\(big)\n", options)
            #expect(try t.column("v")[1] == .float64(Double(big)!))
        }
        // Integers within Int64 but beyond 2^53 in a float column are floats, in either order.
        for rows in [["1.5", "-9223372036854775808"], ["9007199254740993", "0.5"]] {
            let t = try parseCSV("v\n" + rows.joined(separator: "\n") + "\n")
            #expect(try t.column("v").elements == rows.map { .float64(Double($0)!) })
        }
        // Int64's own limits stay integers.
        let t = try parseCSV("v\n9223372036854775807\n-9223372036854775808\n")
        #expect(try t.column("v").elements == [.int64(.max), .int64(.min)])
    }
}
