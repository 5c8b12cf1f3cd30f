import Foundation
import Testing
@testable import TesseraFrame

/// Every error path of the reader, with its exact message (file:line:column first).
@Suite struct CSVErrorTests {
    @Test func raggedRows() throws {
        // A short row is padded with missing values, as pandas does; a long one is an error.
        let short = writeCSV("a,b\n1,2\n3\n")
        let padded = try readCSV(short).compute(scheduler: .synchronous)
        #expect(padded["a"]!.elements == [.int64(1), .int64(3)])
        #expect(padded["b"]!.elements == [.int64(2), .missing])
        let long = writeCSV("a,b\n1,2,3\n")
        #expect(errorMessage { _ = try readCSV(long).compute(scheduler: .synchronous) } == "\(long):2:3: expected 2 fields, saw 3")
    }

    @Test func raggedRowLineCountsQuotedNewlinesAndSplits() throws {
        // 3000 rows, each with a quoted field holding a newline (two physical lines per row),
        // then a bad row; the line must be right whatever the blocksize.
        var text = "a,b\n"
        for i in 0..<3000 { text += "\(i),\"x\ny\"\n" }
        text += "1,2,3\n"
        let path = writeCSV(text)
        for blocksize in [1000, 7777, 1 << 26] {
            for window in [64, 333, 1 << 20] {
                var o = CSVOptions()
                o.blocksize = blocksize
                o.minimumBlocksize = 1  // small blocks on purpose: many partitions
                o.windowBytes = window
                #expect(errorMessage { _ = try readCSV(path, options: o).compute(scheduler: .threads(2)) } == "\(path):6002:3: expected 2 fields, saw 3")
            }
        }
        // CRLF line ends, cut between CR and LF by many window edges: still one line each.
        let crlf = writeCSV("a,b\r\n" + (0..<500).map { "\($0),\($0 % 7)\r\n" }.joined() + "1,2,3\r\n")
        for window in [64, 77, 1 << 20] {
            var o = CSVOptions()
            o.windowBytes = window
            #expect(errorMessage { _ = try readCSV(crlf, options: o).compute(scheduler: .synchronous) } == "\(crlf):502:3: expected 2 fields, saw 3")
        }
    }

    @Test func unterminatedQuote() throws {
        let path = writeCSV("a,b\n1,\"open\n2,3\n")
        #expect(errorMessage { _ = try readCSV(path).compute(scheduler: .synchronous) }
                == "\(path):2:2: unterminated quoted field (a quote opened here never closes)")
        // Read through windows smaller than the open field: the quote still never closes.
        let long = writeCSV("a,b\n" + (0..<50).map { "\($0),x\n" }.joined() + "1,\"open" + String(repeating: "z\n", count: 100))
        var o = CSVOptions()
        o.windowBytes = 64
        #expect(errorMessage { _ = try readCSV(long, options: o).compute(scheduler: .synchronous) }
                == "\(long):52:2: unterminated quoted field (a quote opened here never closes)")
    }

    @Test func valueThatDoesNotFitDtype() throws {
        let path = writeCSV("a,b\n1,2\nx,3\n")
        var o = CSVOptions()
        o.dtypes = ["a": .int64]
        #expect(errorMessage { _ = try readCSV(path, options: o).compute(scheduler: .synchronous) }
                == "\(path):3:1: column 'a': cannot parse 'x' as int64")
        // Also when the bad value comes after many good ones (later batches).
        let many = writeCSV("a,b\n" + (0..<1000).map { "\($0),1" }.joined(separator: "\n") + "\n1.5,2\n")
        var f = CSVOptions()
        f.dtypes = ["a": .int64]
        #expect(errorMessage { _ = try readCSV(many, options: f).compute(scheduler: .synchronous) }
                == "\(many):1002:1: column 'a': cannot parse '1.5' as int64")
    }

    @Test func unreadableAndMissingFiles() throws {
        #expect(errorMessage { _ = try readCSV("/nonexistent/x.csv") } == "/nonexistent/x.csv: cannot read: no such file or directory")
        let dir = temporaryDirectory()
        #expect(errorMessage { _ = try readCSV(dir.path) } == "\(dir.path): no CSV files found")
        #expect(errorMessage { _ = try readCSV(dir.path + "/*.csv") } == "\(dir.path)/*.csv: no CSV files found")
        let empty = writeCSV("")
        #expect(errorMessage { _ = try readCSV(empty) } == "\(empty):1:1: empty file (no header line)")
    }

    @Test func filesWithDifferentColumns() throws {
        let dir = temporaryDirectory()
        let a = writeCSV("x,y\n1,2\n", name: "a.csv", in: dir)
        let b = writeCSV("x,z\n3,4\n", name: "b.csv", in: dir)
        #expect(errorMessage { _ = try readCSV(dir.path) }
                == "\(b):1:1: columns [\"x\", \"z\"] differ from \(a)'s [\"x\", \"y\"]; pass columnMismatch: .union (--column-mismatch union) to take the union")
        var o = CSVOptions()
        o.columnMismatch = .union
        let t = try readCSV(dir.path, options: o).compute(scheduler: .synchronous)
        #expect(t.names == ["x", "y", "z"])
        #expect(t["x"]!.elements == [.int64(1), .int64(3)])
        #expect(t["y"]!.elements == [.int64(2), .missing])
        #expect(t["z"]!.elements == [.missing, .int64(4)])
    }

    @Test func unknownColumnsInOptions() throws {
        let path = writeCSV("a,b\n1,2\n")
        var o = CSVOptions()
        o.usecols = ["zz"]
        #expect(errorMessage { _ = try readCSV(path, options: o) } == "\(path):1:1: no column named 'zz'; the columns are: a, b")
        var d = CSVOptions()
        d.dtypes = ["q": .int64]
        #expect(errorMessage { _ = try readCSV(path, options: d) } == "\(path):1:1: no column named 'q'; the columns are: a, b")
    }

    @Test func invalidOptions() throws {
        let path = writeCSV("a,b\n1,2\n")
        var o = CSVOptions()
        o.delimiter = "\n"
        #expect(errorMessage { _ = try readCSV(path, options: o) }
                == "invalid option: delimiter must be one ASCII character other than CR or LF, got '\n'")
        var b = CSVOptions()
        b.blocksize = 0
        #expect(errorMessage { _ = try readCSV(path, options: b) } == "invalid option: blocksize must be positive, got 0")
    }

    @Test func badLinesSkippedOrWarned() throws {
        let path = writeCSV("a,b\n1,2\n3\n4,5,6\n7,8\n")
        for mode in [OnBadLines.skip, .warn] {
            var o = CSVOptions()
            o.onBadLines = mode
            let t = try readCSV(path, options: o).compute(scheduler: .synchronous)
            #expect(t["a"]!.elements == [.int64(1), .int64(3), .int64(7)])
        }
    }

    @Test func frameErrorsListColumns() throws {
        let df = try readCSV(writeCSV("a,b\n1,x\n"))
        #expect(errorMessage { _ = try df.select(["zz"]) } == "no column named 'zz'; the columns are: a, b")
        #expect(errorMessage { _ = try df.filter(df["nope"] > 1) } == "no column named 'nope'; the columns are: a, b")
        #expect(errorMessage { _ = try df.astype(["b": .int64]).compute(scheduler: .synchronous) }
                == "column 'b', row 0: cannot convert 'x' to int64")
    }
}
