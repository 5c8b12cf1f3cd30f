import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// With `usecols`, the tokenizer skips each row's fields after the last wanted one (counting
/// delimiters only) unless a quote byte follows: results and errors must match a full parse.
@Suite struct CSVUsecolsSkipTests {
    @Test func raggedRowsAfterLastWantedColumnAreStillErrors() throws {
        var o = CSVOptions()
        o.usecols = ["a"]
        // Short rows are padded with missing values (pandas); only long rows are bad lines.
        let short = writeCSV("a,b,c,d\n1,2,3,4\n5,6,7\n")
        #expect(try readCSV(short, options: o).compute(scheduler: .synchronous)["a"]!.elements == [.int64(1), .int64(5)])
        let long = writeCSV("a,b,c,d\n1,2,3,4\n5,6,7,8,9,10\n")
        #expect(errorMessage { _ = try readCSV(long, options: o).compute(scheduler: .synchronous) }
                == "\(long):3:5: expected 4 fields, saw 6")
        let crlf = writeCSV("a,b,c,d\r\n1,2,3,4\r\n5,6,7,8,9\r\n")
        #expect(errorMessage { _ = try readCSV(crlf, options: o).compute(scheduler: .synchronous) }
                == "\(crlf):3:5: expected 4 fields, saw 5")
        // Rows that end before the first wanted column (the leading fields are skipped too).
        var d = CSVOptions()
        d.usecols = ["d"]
        #expect(try readCSV(short, options: d).compute(scheduler: .synchronous)["d"]!.elements == [.int64(4), .missing])
        let early = writeCSV("a,b,c,d\n1,2,3,4\n5,6\n", name: "early.csv")
        #expect(try readCSV(early, options: d).compute(scheduler: .synchronous)["d"]!.elements == [.int64(4), .missing])
        d.onBadLines = .skip
        #expect(try readCSV(long, options: d).compute(scheduler: .synchronous)["d"]!.elements == [.int64(4)])
        // The wanted column last but one, the bad row far into the file (later batches, blocks).
        var text = "a,b,c\n"
        for i in 0..<2000 { text += "\(i),\(i),x\n" }
        text += "1,2,3,4\n"
        let late = writeCSV(text, name: "late.csv")
        var b = CSVOptions()
        b.usecols = ["b"]
        for blocksize in [999, 1 << 26] {
            b.blocksize = blocksize
            b.minimumBlocksize = 1  // small blocks on purpose: many partitions
            #expect(errorMessage { _ = try readCSV(late, options: b).compute(scheduler: .threads(2)) }
                    == "\(late):2002:4: expected 3 fields, saw 4")
        }
    }

    @Test func badLinesAreSkippedOrWarnedAboutAsWithoutUsecols() throws {
        let path = writeCSV("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
        var o = CSVOptions()
        o.usecols = ["a"]
        o.onBadLines = .skip
        let t = try readCSV(path, options: o).compute(scheduler: .synchronous)
        #expect(t["a"]!.elements == [.int64(1), .int64(4), .int64(10)])
    }

    @Test func quotedFieldsAfterLastWantedColumnParseRight() throws {
        // Quoted fields with embedded newlines, delimiters and doubled quotes after the wanted
        // columns, CRLF and a missing final newline.
        var text = "a,b,c,d\n"
        for i in 0..<700 {
            switch i % 7 {
            case 0: text += "\(i),x\(i),\"multi\nline, with comma\",\"q\"\"d\"\n"
            case 1: text += "\(i),y,plain,\"\"\n"
            case 2: text += "\(i),\"quoted b\",\"a\nb\nc\",4\r\n"
            case 3: text += "\(i),z,ab cd,\"e,f\"\n"
            case 4: text += "\(i),,,\n"
            case 5: text += "\"\(i)\",w,\"x\",y\n"
            default: text += "\(i),v,1,2\n"
            }
        }
        text += "700,last,\"end\nof\",file"
        let path = writeCSV(text)
        let full = try readCSV(path).compute(scheduler: .synchronous)
        for cols in [["a"], ["b"], ["a", "b"], ["c"], ["a", "d"]] {
            for blocksize in [97, 1000, 1 << 26] {
                for scheduler in [Scheduler.synchronous, .threads(1), .threads(2), .threads(4)] {
                    var o = CSVOptions()
                    o.usecols = cols
                    o.blocksize = blocksize
                    o.minimumBlocksize = 1  // small blocks on purpose: many partitions
                    let t = try readCSV(path, options: o).compute(scheduler: scheduler)
                    #expect(t.names == cols)
                    #expect(t.rowCount == 701)
                    for c in cols { #expect(t[c]!.elements == full[c]!.elements, "\(cols) \(blocksize) \(c)") }
                }
            }
        }
        // The expectations don't only come from the reader itself.
        #expect(full["b"]!.elements[0] == .string("x0"))
        #expect(full["c"]!.elements[0] == .string("multi\nline, with comma"))
        #expect(full["a"]!.elements[700] == .int64(700))
    }

    @Test func literalQuoteMidFieldAfterLastWantedColumn() throws {
        // A quote inside an unquoted field is literal text (as in pandas); the skip falls back to
        // full tokenization for that row, which then still counts its fields right.
        let path = writeCSV("a,b,c\n1,ab\"cd,x\n2,y,z\"\n3,\"q\",4,5\n")
        var o = CSVOptions()
        o.usecols = ["a"]
        #expect(errorMessage { _ = try readCSV(path, options: o).compute(scheduler: .synchronous) }
                == "\(path):4:4: expected 3 fields, saw 4")
        o.onBadLines = .skip
        let t = try readCSV(path, options: o).compute(scheduler: .synchronous)
        #expect(t["a"]!.elements == [.int64(1), .int64(2)])
    }

    @Test func controlBytesAndTabDelimiter() throws {
        // Tabs and other control bytes inside skipped fields (the skips stop at any byte below 14
        // unless the delimiter is one) and a tab-separated file with a ragged row.
        let csv = writeCSV("a,b,c,d\n1,x\ty,2,p\tq\n3,\u{1},4,\u{0B}\n5,z,6,w\n")
        var o = CSVOptions()
        o.usecols = ["c"]
        #expect(try readCSV(csv, options: o).compute(scheduler: .synchronous)["c"]!.elements == [.int64(2), .int64(4), .int64(6)])
        let tsv = writeCSV("a\tb\tc\td\n1\t,\t2\tp\n3\tx\t4\ty\t9\n", name: "data.tsv")
        var t = CSVOptions()
        t.delimiter = "\t"
        t.usecols = ["c"]
        #expect(errorMessage { _ = try readCSV(tsv, options: t).compute(scheduler: .synchronous) }
                == "\(tsv):3:5: expected 4 fields, saw 5")
        t.onBadLines = .skip
        #expect(try readCSV(tsv, options: t).compute(scheduler: .synchronous)["c"]!.elements == [.int64(2)])
    }
}
