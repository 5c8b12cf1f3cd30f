import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Issue 22: frame semantics that must not depend on how the data is partitioned. Each expected
/// answer is pandas 3's (`python3 -c "import pandas as pd; ..."`), written out by hand where it is
/// a handful of values; the random differential test is in `DifferentialFrameTests`.
@Suite struct FrameSemanticsTests {
    static let nfc = "\u{E9}"          // é as one scalar
    static let nfd = "e\u{301}"        // é as e + combining acute

    static func bytes(_ c: Column) -> [[UInt8]?] {
        (0..<c.count).map { i -> [UInt8]? in
            guard c.isValid(i), case .string(let s) = c.values else { return nil }
            return s.withBytes(i) { Array($0) }
        }
    }

    // MARK: text keeps its spelling

    @Test func zipCodesKeepTheirTextAcrossFiles() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("zip,n\n02134,1\n00501,2\n1e5,3\n", name: "a.csv", in: dir)
        _ = writeCSV("zip,n\nK1A 0B1,4\n", name: "b.csv", in: dir)
        let df = try readCSV(dir.path)
        for s in [Scheduler.synchronous, .threads(2)] {
            let t = try df.compute(scheduler: s)
            #expect(try t.column("zip").elements == ["02134", "00501", "1e5", "K1A 0B1"].map { Value.string($0) })
        }
        // The same through a filter (rows taken) before the partitions meet.
        let f = try df.filter(df["n"] != 2).compute(scheduler: .synchronous)
        #expect(try f.column("zip").elements == ["02134", "1e5", "K1A 0B1"].map { Value.string($0) })
        // Compared with text, the first file's numbers compare as the text they were read from.
        #expect(try df.filter(df["zip"] == "02134").rowCount(scheduler: .synchronous) == 1)
        #expect(try df.filter(df["zip"] == "K1A 0B1").rowCount(scheduler: .synchronous) == 1)
        // Text fills make the first file's column text too, in its original spelling.
        let g = try readCSV(writeCSV("zip\n02134\nNA\n", name: "c.csv")).fillna(["zip": .string("zz")])
        #expect(try g.compute(scheduler: .synchronous).column("zip").elements == ["02134", "zz"].map { Value.string($0) })
    }

    @Test func zipCodesKeepTheirTextAcrossBlocksOfOneFile() throws {
        var text = "zip\n"
        for i in 0..<40 { text += String(format: "%05d\n", i * 7) }
        text += "K1A 0B1\n"
        let path = writeCSV(text)
        var options = CSVOptions()
        options.blocksize = 32
        options.minimumBlocksize = 1  // small blocks on purpose: many partitions
        let df = try readCSV(path, options: options)
        #expect(df.partitionCount > 3)
        let t = try df.compute(scheduler: .synchronous)
        let expected = (0..<40).map { String(format: "%05d", $0 * 7) } + ["K1A 0B1"]
        #expect(try t.column("zip").elements == expected.map { Value.string($0) })
    }

    // MARK: strings are bytes

    @Test func unicodeFormsStayDistinct() throws {
        let a = try Table(["s": Column(dictionaryEncoding: [Self.nfc, "x"]), "k": Column(int64: [1, 2])])
        let b = try Table(["s": Column(dictionaryEncoding: [Self.nfd, Self.nfc]), "k": Column(int64: [3, 4])])
        let df = try ChunkedFrame(tables: [a, b])
        let t = try df.compute(scheduler: .synchronous)
        #expect(Self.bytes(try t.column("s")) == [Array(Self.nfc.utf8), [0x78], Array(Self.nfd.utf8), Array(Self.nfc.utf8)])
        #expect(try df.nunique("s").compute(scheduler: .synchronous) == 3)
        #expect(try df.filter(df["s"] == .literal(.string(Self.nfc))).rowCount(scheduler: .synchronous) == 2)
        #expect(try df.filter(df["s"] == .literal(.string(Self.nfd))).rowCount(scheduler: .synchronous) == 1)
        #expect(try df.unique("s", scheduler: .synchronous).count == 3)
        // Plain text, too: factorised by bytes.
        let p = try ChunkedFrame(tables: [try Table(["s": Column(string: [Self.nfc, Self.nfd, Self.nfc])])])
        #expect(try p.nunique("s").compute(scheduler: .synchronous) == 2)
        // Byte order: "e\u{301}" (65 CC 81) sorts before "\u{E9}" (C3 A9), as in pandas.
        let sorted = try df.sortValues(by: "s").compute(scheduler: .synchronous)
        #expect(Self.bytes(try sorted.column("s")) == [Array(Self.nfd.utf8), Array(Self.nfc.utf8), Array(Self.nfc.utf8), [0x78]].sorted { $0!.lexicographicallyPrecedes($1!) } )
        #expect(Value.string(Self.nfc) != Value.string(Self.nfd))
        // A join matches bytes, broadcast or hash-partitioned alike: one row each way.
        let right = try ChunkedFrame(tables: [try Table(["s": Column(string: [Self.nfd]), "w": Column(int64: [9])])])
        for broadcast in [true, false] {
            let m = try df.merge(right, on: ["s"], broadcast: broadcast).compute(scheduler: .synchronous)
            #expect(m.rowCount == 1, "broadcast \(broadcast)")
        }
        let counts = try df.valueCounts("s").compute(scheduler: .synchronous)
        #expect(counts.rowCount == 3)
    }

    // MARK: dictionaries honour validity

    @Test func uniqueAfterLeftJoinIgnoresMissingRows() throws {
        let l = try ChunkedFrame(tables: [try Table(["k": Column(int64: [1, 2, 3])])])
        let r = try ChunkedFrame(tables: [try Table(["k": Column(int64: [9, 1]), "s": Column(dictionaryEncoding: ["ZZZ", "one"])])])
        let m = try l.merge(r, on: ["k"], how: .left)
        #expect(try m.unique("s", scheduler: .synchronous).elements == [.string("one")])
        #expect(try m.nunique("s").compute(scheduler: .synchronous) == 1)
        let vc = try m.valueCounts("s", dropna: false).compute(scheduler: .synchronous)
        #expect(vc.rowCount == 2)
        #expect(try m.sortValues(by: "s").compute(scheduler: .synchronous).column("s").elements == [.string("one"), .missing, .missing])
    }

    // MARK: NaN is missing

    @Test(arguments: [1, 3])
    func nanFromArithmeticIsMissing(partitions: Int) throws {
        let t = try Table(["a": Column(int64: [0, 1, 0, 2, 0, 3]), "g": Column(int64: [1, 1, 2, 2, 3, 3])])
        let df = try ChunkedFrame(t, partitionSize: (6 + partitions - 1) / partitions)
        let q = try df.assign("q", df["a"] / df["a"])
        let s = Scheduler.synchronous
        #expect(try q.isna().compute(scheduler: s).column("q").elements == [true, false, true, false, true, false].map { Value.bool($0) })
        #expect(try q.dropna().rowCount(scheduler: s) == 3)
        #expect(try q.fillna(["q": .float64(7)]).compute(scheduler: s).column("q").elements == [7, 1, 7, 1, 7, 1].map { Value.float64($0) })
        #expect(try q.nunique("q").compute(scheduler: s) == 1)
        #expect(try q.nunique("q", dropna: false).compute(scheduler: s) == 2)
        let means = try q.groupby("g").agg([NamedAggregation("q", .mean, name: "m")]).compute(scheduler: s)
        #expect(try means.column("m").elements == [.float64(1), .float64(1), .float64(1)])
        // Missing keys meet each other in a merge (pandas), whichever way the merge runs.
        let other = try ChunkedFrame(tables: [try q.select(["q"]).compute(scheduler: s)])
        let broadcastRows = try q.merge(other, on: ["q"], broadcast: true).rowCount(scheduler: s)
        let hashRows = try q.merge(other, on: ["q"], broadcast: false).rowCount(scheduler: s)
        #expect(broadcastRows == hashRows)
        #expect(hashRows == 18)
    }

    // MARK: all-missing partitions don't decide types

    @Test func fillnaFollowsTheUnifiedSchema() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("k,s\n1,\n2,\n", name: "a.csv", in: dir)
        _ = writeCSV("k,s\n3,x\n", name: "b.csv", in: dir)
        let df = try readCSV(dir.path)
        let t = try df.fillna(["s": .string("zz")]).compute(scheduler: .synchronous)
        #expect(try t.column("s").elements == ["zz", "zz", "x"].map { Value.string($0) })
        #expect(try df.fillna(.string("zz")).compute(scheduler: .synchronous).column("s").elements == ["zz", "zz", "x"].map { Value.string($0) })
    }

    @Test func filterOnTextWithAnEmptyFile() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("k,s\n1,\n2,\n", name: "a.csv", in: dir)
        _ = writeCSV("k,s\n3,x\n4,y\n", name: "b.csv", in: dir)
        let df = try readCSV(dir.path)
        #expect(df.schema["s"]?.type == .string)
        let t = try df.filter(df["s"] == "x").compute(scheduler: .synchronous)
        #expect(try t.column("k").elements == [.int64(3)])
    }

    @Test func mergeWithAHeaderOnlyFile() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("ks,v\n", name: "a.csv", in: dir)
        _ = writeCSV("ks,v\np,1\nq,2\n", name: "b.csv", in: dir)
        let r = try readCSV(dir.path)
        let l = try ChunkedFrame(tables: [try Table(["ks": Column(string: ["q", "z"]), "w": Column(int64: [5, 6])])])
        let m = try l.merge(r, on: ["ks"]).compute(scheduler: .synchronous)
        #expect(m.rowCount == 1)
        let d = try r.describe(scheduler: .synchronous)
        #expect(d.names == ["statistic", "v"])
    }

    @Test func inMemoryAllMissingPartitionsDontDecideTypes() throws {
        let a = try Table(["s": Column(missing: .float64, count: 2), "n": Column(missing: .float64, count: 2)])
        let b = try Table(["s": Column(string: ["x", "y"]), "n": Column(int64: [1, 2])])
        let df = try ChunkedFrame(tables: [a, b])
        #expect(df.schema.fields.map(\.type) == [.string, .int64])
        #expect(try df.filter(df["s"] == "x").rowCount(scheduler: .synchronous) == 1)
        #expect(try df.fillna(["s": .string("zz")]).compute(scheduler: .synchronous).column("s").elements == ["zz", "zz", "x", "y"].map { Value.string($0) })
    }

    @Test func aColumnWithNoValueHasNoTypeOfItsOwn() throws {
        // A partition typed int64 by a reader's guess, entirely missing: text fills and text
        // comparisons apply to it as to any missing value.
        let t = try Table(["s": Column(missing: .int64, count: 2)])
        #expect(try t.column("s").fillna(.string("zz")).elements == [.string("zz"), .string("zz")])
        let df = try ChunkedFrame(tables: [t])
        #expect(try df.filter(df["s"] == "x").rowCount(scheduler: .synchronous) == 0)
        #expect(try df.filter(df["s"] != "x").rowCount(scheduler: .synchronous) == 2)
        #expect(try df.assign("c", df["s"] + "!").compute(scheduler: .synchronous).column("c").elements == [.missing, .missing])
    }

    // MARK: also

    @Test func stringConcatenation() throws {
        let t = try Table(["a": Column(string: ["x", nil, "z"]), "b": Column(dictionaryEncoding: ["1", "2", nil])])
        let df = try ChunkedFrame(t, partitionSize: 2)
        let out = try df.assign("c", df["a"] + df["b"] + "!").compute(scheduler: .synchronous)
        #expect(try out.column("c").elements == [.string("x1!"), .missing, .missing])
    }

    @Test func headAndTailWithNegativeCounts() throws {
        let t = try Table(["v": Column(int64: (0..<7).map { Int64($0) })])
        let df = try ChunkedFrame(t, partitionSize: 3)
        let s = Scheduler.synchronous
        #expect(try df.head(-2, scheduler: s).column("v").elements == (0..<5).map { Value.int64(Int64($0)) })
        #expect(try df.tail(-2, scheduler: s).column("v").elements == (2..<7).map { Value.int64(Int64($0)) })
        #expect(try df.head(-9, scheduler: s).rowCount == 0)
        #expect(try df.tail(-9, scheduler: s).rowCount == 0)
    }

    @Test(arguments: [1, 2, 5])
    func valueCountsTiesInOrderOfFirstAppearance(partitionSize: Int) throws {
        let t = try Table(["s": Column(string: ["b", "a", "c", "a", "b", "d"])])
        let df = try ChunkedFrame(t, partitionSize: partitionSize)
        let vc = try df.valueCounts("s").compute(scheduler: .synchronous)
        #expect(try vc.column("s").elements == ["b", "a", "c", "d"].map { Value.string($0) })
        #expect(try vc.column("count").elements == [2, 2, 1, 1].map { Value.int64($0) })
    }
}
