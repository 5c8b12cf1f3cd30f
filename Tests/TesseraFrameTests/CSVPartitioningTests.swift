import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Results must not depend on blocksize, worker count or scheduler.
@Suite struct CSVPartitioningTests {
    /// 4000 rows: quoted fields with delimiters and newlines, an int column that turns float at
    /// row 3000 (a later batch), a bool column, many distinct strings, a column missing in a
    /// long stretch, CRLF line ends.
    static func corpus() -> (text: String, ids: [Int64], mixed: [Double], notes: [String], sparse: [Int64?]) {
        var text = "id,mixed,flag,note,sparse\r\n"
        var ids: [Int64] = [], mixed: [Double] = [], notes: [String] = [], sparse: [Int64?] = []
        for i in 0..<4000 {
            let m = i == 3000 ? 0.5 : Double(i % 97)
            let note = i % 5 == 0 ? "line \(i)\nnext, \"q\"" : "n\(i)"
            let quoted = "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let s: Int64? = (1000..<2500).contains(i) ? nil : Int64(i * 3)
            text += "\(i),\(i == 3000 ? "0.5" : String(i % 97)),\(i % 2 == 0 ? "True" : "False"),\(quoted),\(s.map(String.init) ?? "")\r\n"
            ids.append(Int64(i)); mixed.append(m); notes.append(note); sparse.append(s)
        }
        return (text, ids, mixed, notes, sparse)
    }

    @Test func identicalForAnyBlocksizeAndWorkers() throws {
        let c = Self.corpus()
        let path = writeCSV(c.text)
        for blocksize in [100, 4096, 33_333, 1 << 26] {
            var o = CSVOptions()
            o.blocksize = blocksize
            o.minimumBlocksize = 1  // small blocks on purpose: many partitions
            let df = try readCSV(path, options: o)
            if blocksize == 100 { #expect(df.partitionCount > 100) }
            for scheduler in [Scheduler.synchronous, .threads(1), .threads(2), .threads(4)] {
                let t = try df.compute(scheduler: scheduler)
                #expect(t.rowCount == 4000, "blocksize \(blocksize) \(scheduler)")
                #expect(t["id"]!.elements == c.ids.map { .int64($0) })
                #expect(t["mixed"]!.type == .float64)
                #expect(t["mixed"]!.elements == c.mixed.map { .float64($0) })
                #expect(t["flag"]!.elements == (0..<4000).map { .bool($0 % 2 == 0) })
                #expect(t["note"]!.elements == c.notes.map { .string($0) })
                #expect(t["sparse"]!.type == .int64, "an all-missing partition must not widen int64")
                #expect(t["sparse"]!.elements == c.sparse.map { $0.map { .int64($0) } ?? .missing })
                #expect(try df.inferSchema(scheduler: scheduler).fields.map(\.type) == [.int64, .float64, .bool, .string, .int64])
            }
        }
    }

    /// Partitions stream through a small window; rows, quoted newlines and CRLFs cut by a window's
    /// edge (and rows longer than the window, which grows) must read the same.
    @Test func identicalForAnyWindow() throws {
        let c = Self.corpus()
        let path = writeCSV(c.text)
        let reference = try readCSV(path).compute(scheduler: .synchronous)
        #expect(reference["id"]!.elements == c.ids.map { .int64($0) })
        for window in [64, 65, 100, 257, 4096] {
            for blocksize in [5000, 1 << 26] {
                var o = CSVOptions()
                o.blocksize = blocksize
                o.minimumBlocksize = 1  // small blocks on purpose: many partitions
                o.windowBytes = window
                let t = try readCSV(path, options: o).compute(scheduler: .threads(2))
                #expect(t.rowCount == 4000, "window \(window) blocksize \(blocksize)")
                for name in reference.names { #expect(t[name]!.elements == reference[name]!.elements, "window \(window) \(name)") }
            }
        }
    }

    @Test func directoriesGlobsAndLists() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("a\n1\n2\n", name: "b.csv", in: dir)
        _ = writeCSV("a\n0\n", name: "a.csv", in: dir)
        _ = writeCSV("ignored", name: "notes.txt", in: dir)
        let t = try readCSV(dir.path).compute(scheduler: .threads(2))
        #expect(t["a"]!.elements == [.int64(0), .int64(1), .int64(2)])
        let g = try readCSV(dir.path + "/b*.csv").compute(scheduler: .synchronous)
        #expect(g["a"]!.elements == [.int64(1), .int64(2)])
        let l = try readCSV([dir.path + "/b.csv", dir.path + "/a.csv"]).compute(scheduler: .synchronous)
        #expect(l["a"]!.elements == [.int64(1), .int64(2), .int64(0)])
    }

    @Test func typesUnifyAcrossFiles() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("v,w\n1,x\n", name: "1.csv", in: dir)
        _ = writeCSV("v,w\n2.5,7\n", name: "2.csv", in: dir)
        let df = try readCSV(dir.path)
        let t = try df.compute(scheduler: .threads(2))
        #expect(t["v"]!.elements == [.float64(1), .float64(2.5)])
        #expect(t["w"]!.elements == [.string("x"), .string("7")])
        #expect(try df.inferSchema().csv == "column,type,nullable\nv,float64,false\nw,string,false\n")
    }

    @Test func splitterFindsRowStartsOutsideQuotes() throws {
        // Rows of quoted text with embedded newlines and quotes; tiny blocks land inside quotes.
        var text = "k,t\n"
        var expected: [String] = []
        for i in 0..<500 {
            let s = "a\"b\n,\(i)" + String(repeating: "z", count: i % 13)
            expected.append(s)
            text += "\(i),\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        let path = writeCSV(text)
        for blocksize in [7, 64, 1000] {
            var o = CSVOptions()
            o.blocksize = blocksize
            o.minimumBlocksize = 1  // small blocks on purpose: many partitions
            let t = try readCSV(path, options: o).compute(scheduler: .threads(3))
            #expect(t["t"]!.elements == expected.map { .string($0) }, "blocksize \(blocksize)")
        }
    }
}
