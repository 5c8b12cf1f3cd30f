import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Where pandas is lenient and users expect it: short rows, blank-looking lines, spaces around
/// numbers, columns in another order, `NAN`, empty header names. The expected values are what
/// pandas 3.1 gives for the same text (checked by hand with `pd.read_csv(io.StringIO(text))`).
@Suite struct CSVLeniencyTests {
    /// Every tokenizer route: fast path on and off, tiny windows, many partitions.
    static func routes() -> [CSVOptions] {
        var out: [CSVOptions] = []
        for fast in [true, false] {
            for window in [1 << 20, 64] {
                var o = CSVOptions()
                o.fastTokenizer = fast
                o.windowBytes = window
                out.append(o)
            }
        }
        var small = CSVOptions()
        small.blocksize = 40
        small.minimumBlocksize = 1
        out.append(small)
        return out
    }

    @Test func shortRowsArePaddedWithMissingValues() throws {
        let text = "a,b,c\n1,x,2.5\n3\n4,y\n5,z,6.5\n"
        for o in Self.routes() {
            let t = try parseCSV(text, o)
            #expect(t["a"]!.elements == [.int64(1), .int64(3), .int64(4), .int64(5)])
            #expect(t["b"]!.elements == [.string("x"), .missing, .string("y"), .string("z")])
            #expect(t["c"]!.elements == [.float64(2.5), .missing, .missing, .float64(6.5)])
        }
        // Many missing fields at the end of the file (padding far past the row's bytes).
        let wide = (0..<300).map { "c\($0)" }.joined(separator: ",")
        let t = try parseCSV(wide + "\n" + (0..<300).map(String.init).joined(separator: ",") + "\nq\n")
        #expect(t.rowCount == 2)
        #expect(t["c0"]!.elements == [.string("0"), .string("q")])
        #expect(t["c299"]!.elements == [.int64(299), .missing])
    }

    @Test func longRowsFollowOnBadLines() throws {
        let path = writeCSV("a,b\n1,2\n3,4,5\n6,7\n")
        #expect(errorMessage { _ = try readCSV(path).compute(scheduler: .synchronous) } == "\(path):3:3: expected 2 fields, saw 3")
        for mode in [OnBadLines.skip, .warn] {
            var o = CSVOptions()
            o.onBadLines = mode
            #expect(try readCSV(path, options: o).compute(scheduler: .synchronous)["a"]!.elements == [.int64(1), .int64(6)])
        }
    }

    @Test func whitespaceOnlyLinesAreBlank() throws {
        for o in Self.routes() {
            let t = try parseCSV("a,b\n1,2\n   \n\t \r\n3,4\n  ", o)
            #expect(t["a"]!.elements == [.int64(1), .int64(3)])
            let one = try parseCSV("a\n1\n   \n2\n \n", o)
            #expect(one["a"]!.elements == [.int64(1), .int64(2)])
        }
    }

    @Test func spacesAroundNumbersParse() throws {
        for o in Self.routes() {
            let t = try parseCSV("i,f,s\n 1,1.5 ,x\n2 , 2e3, y\n\"3\" ,\t-4\t,z \n", o)
            #expect(t["i"]!.elements == [.int64(1), .int64(2), .int64(3)])
            #expect(t["f"]!.elements == [.float64(1.5), .float64(2000), .float64(-4)])
            // Text keeps its spaces.
            #expect(t["s"]!.elements == [.string("x"), .string(" y"), .string("z ")])
        }
        var o = CSVOptions()
        o.dtypes = ["v": .int64]
        #expect(try parseCSV("v\n 7\n8 \n", o)["v"]!.elements == [.int64(7), .int64(8)])
    }

    @Test func upperCaseNANIsText() throws {
        #expect(try parseCSV("a\n1\nNAN\n")["a"]!.elements == [.string("1"), .string("NAN")])
        #expect(try parseCSV("a\n1.5\n+nan\n")["a"]!.elements == [.string("1.5"), .string("+nan")])
        #expect(try parseCSV("a\n1\nnan\n-NaN\n")["a"]!.elements == [.int64(1), .missing, .missing])
    }

    @Test func emptyHeaderNamesAreUnnamed() throws {
        let t = try parseCSV("a,,b,\n1,2,3,4\n")
        #expect(t.names == ["a", "Unnamed: 1", "b", "Unnamed: 3"])
    }

    @Test func filesWithColumnsInAnotherOrderAreReadByName() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("a,b\n1,x\n", name: "1.csv", in: dir)
        _ = writeCSV("b,a\ny,2\n", name: "2.csv", in: dir)
        let t = try readCSV(dir.path).compute(scheduler: .synchronous)
        #expect(t.names == ["a", "b"])
        #expect(t["a"]!.elements == [.int64(1), .int64(2)])
        #expect(t["b"]!.elements == [.string("x"), .string("y")])
    }

    @Test func tinyBlocksizesAreRaised() throws {
        var text = "a\n"
        for i in 0..<30_000 { text += "\(i)\n" }
        var o = CSVOptions()
        o.blocksize = 1
        let df = try readCSV(writeCSV(text), options: o)
        // 169 KB of data: three 64 KiB blocks, not one per byte.
        #expect(df.partitionCount == 3)
        #expect(try df.compute(scheduler: .synchronous).rowCount == 30_000)
    }

    /// The command line passes the same options, and a function that doesn't fit a column's
    /// type is bad data (exit 1).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: GroupbyCommandTests.executable.path)))
    func commandLineOptions() throws {
        let dir = temporaryDirectory()
        let a = writeCSV("k,v\na,1\nb,2,9\n", name: "1.csv", in: dir)
        let b = writeCSV("k,w\na,5\n", name: "2.csv", in: dir)
        let (s1, _, e1) = try GroupbyCommandTests.run(["groupby", a, "--by", "k", "--agg", "v:sum"])
        #expect(s1 == 1 && e1.contains("expected 2 fields, saw 3"), "\(e1)")
        let (s2, o2, _) = try GroupbyCommandTests.run(["groupby", a, "--by", "k", "--agg", "v:sum", "--on-bad-lines", "skip"])
        #expect(s2 == 0 && o2 == "k,v_sum\na,1\n")
        let (s3, o3, e3) = try GroupbyCommandTests.run(["head", dir.path, "--on-bad-lines", "skip", "--column-mismatch", "union"])
        #expect(s3 == 0 && o3 == "k,v,w\na,1,\na,,5\n", "\(e3)")
        let (s4, _, e4) = try GroupbyCommandTests.run(["groupby", b, "--by", "w", "--agg", "k:mean"])
        #expect(s4 == 1, "\(e4)")
        let (s5, _, _) = try GroupbyCommandTests.run(["head", a, "--on-bad-lines", "sometimes"])
        #expect(s5 == 2)
    }
}
