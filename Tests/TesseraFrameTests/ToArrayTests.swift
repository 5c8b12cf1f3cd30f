import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraFrame
import TesseraFrameArray

/// `ChunkedFrame.toArray`: numeric columns to ChunkedArray (dask's `to_dask_array(lengths=True)`).
@Suite struct ToArrayTests {
    /// Three files of 200 rows. The expected values are made here, beside the text, not read back
    /// through the CSV reader.
    struct Corpus {
        var dir: URL
        var id: [Int64] = []
        var x: [Double?] = []      // quarters, missing where i % 7 == 3
        var k: [Int64?] = []       // integers, missing where i % 11 == 5
        var flag: [Bool] = []
        var rows: Int { id.count }
    }

    static func corpus(_ function: String = #function) -> Corpus {
        var c = Corpus(dir: temporaryDirectory(function))
        for file in 0..<3 {
            var text = "id,x,k,flag,name,when\n"
            for i in (file * 200)..<(file * 200 + 200) {
                let x: Double? = i % 7 == 3 ? nil : Double(i % 13) * 0.25 - 1
                let k: Int64? = i % 11 == 5 ? nil : Int64(i * 1000 - 7)
                let flag = i % 3 == 0
                let day = 1 + i % 28
                text += "\(i),\(x.map { "\($0)" } ?? ""),\(k.map { "\($0)" } ?? "NA"),\(flag ? "True" : "False"),n\(i % 5),2024-02-\(day < 10 ? "0" : "")\(day)\n"
                c.id.append(Int64(i)); c.x.append(x); c.k.append(k); c.flag.append(flag)
            }
            _ = writeCSV(text, name: "part\(file).csv", in: c.dir)
        }
        return c
    }

    static func read(_ c: Corpus, blocksize: Int = 1 << 26, parseDates: Bool = false) throws -> ChunkedFrame {
        var o = CSVOptions()
        o.blocksize = blocksize
        o.minimumBlocksize = 1  // small blocks on purpose: many partitions
        if parseDates { o.parseDates = ["when"] }
        return try readCSV(c.dir.path, options: o)
    }

    /// Equal, with NaN equal to NaN.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    static let schedulers: [Scheduler] = [.synchronous, .threads(1), .threads(4)]

    @Test func matrixMatchesTheTextForAnyBlocksizeAndScheduler() throws {
        let c = Self.corpus()
        var expected: [Double] = []
        for i in 0..<c.rows { expected += [Double(c.id[i]), c.x[i] ?? .nan, c.flag[i] ? 1 : 0] }
        for blocksize in [64, 700, 1 << 26] {
            let df = try Self.read(c, blocksize: blocksize)
            for scheduler in Self.schedulers {
                let a = try df.toArray(["id", "x", "flag"], scheduler: scheduler)
                #expect(a.shape == [600, 3])
                #expect(a.chunks[1] == [3])
                #expect(a.chunks[0].reduce(0, +) == 600)
                #expect(a.chunks[0].allSatisfy { $0 > 0 })
                if blocksize == 64 { #expect(a.chunks[0].count > 30, "one block per partition") } else if blocksize == 1 << 26 {
                    #expect(a.chunks[0] == [200, 200, 200])
                }
                let v = try a.compute(scheduler: scheduler)
                #expect(v.shape == [600, 3])
                #expect(Self.same(v.scalars, expected), "blocksize \(blocksize) \(scheduler)")
            }
        }
    }

    @Test func oneColumnGivesAVector() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 500)
        for scheduler in Self.schedulers {
            let x = try df.toArray(column: "x", scheduler: scheduler)
            #expect(x.ndim == 1 && x.shape == [600])
            #expect(Self.same(try x.compute(scheduler: scheduler).scalars, c.x.map { $0 ?? .nan }))
            let ids = try df.toArray(column: "id", as: Int64.self, scheduler: scheduler)
            #expect(try ids.compute(scheduler: scheduler).scalars == c.id)
            let flags = try df.toArray(column: "flag", as: Bool.self, scheduler: scheduler)
            #expect(try flags.compute(scheduler: scheduler).scalars == c.flag)
            let f = try df.toArray(column: "x", as: Float.self, scheduler: scheduler).compute(scheduler: scheduler).scalars
            #expect(zip(f, c.x).allSatisfy { $1 == nil ? $0.isNaN : $0 == Float($1!) })
        }
    }

    @Test func blockTasksReadOnlyTheirColumnsOfEachPartition() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 2000)
        let a = try df.toArray(["id", "k"], naValue: -1)
        #expect(a.blockCount == df.partitionCount)
        for b in 0..<a.blockCount {
            let inputs = a.layer.task(b).inputs
            #expect(inputs.count == 1)
            // Each block reads its partition through the to-array node, whose scan converts only
            // the array's columns.
            #expect(inputs[0].layer.kind == "to-array-columns" && inputs[0].index == b)
            let scanned = inputs[0].layer.task(b).inputs
            #expect(scanned.count == 1 && scanned[0].layer.kind == "read-csv")
            if b == 0 { #expect((try TaskGraph(scanned).compute(scheduler: .synchronous)[0] as! Table).names == ["id", "k"]) }
        }
    }

    @Test func missingValuesAreNaNOrNaValue() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 900)
        let k = try df.toArray(column: "k").compute(scheduler: .threads(4)).scalars
        #expect(Self.same(k, c.k.map { $0.map { Double($0) } ?? .nan }))
        let filled = try df.toArray(column: "k", as: Int64.self, naValue: -1).compute(scheduler: .threads(4)).scalars
        #expect(filled == c.k.map { $0 ?? -1 })
        let zeros = try df.toArray(["x"], naValue: 0).compute(scheduler: .synchronous).scalars
        #expect(zeros == c.x.map { $0 ?? 0 })
    }

    @Test func integerArraysRejectMissingValues() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 900)
        // The lengths pass finds it: thrown by toArray, naming the column and the first missing row.
        let m = errorMessage { _ = try df.toArray(["id", "k"], as: Int64.self) }
        #expect(m?.contains("column 'k' has a missing value at row 5") == true, "\(m ?? "no error")")
        let b = errorMessage { _ = try df.toArray(column: "x", as: Bool.self) }
        #expect(b?.contains("column 'x' has a missing value at row 3") == true, "\(b ?? "no error")")
        // A persisted frame knows its lengths: no pass, so compute finds it, with the same message.
        let p = try df.persist(scheduler: .threads(2))
        let a = try p.toArray(["id", "k"], as: Int64.self)
        for scheduler in Self.schedulers {
            let e = errorMessage { _ = try a.compute(scheduler: scheduler) }
            #expect(e?.contains("column 'k' has a missing value at row") == true, "\(e ?? "no error")")
        }
        let first = errorMessage { _ = try p.toArray(column: "k", as: Int64.self).compute(scheduler: .synchronous) }
        #expect(first?.contains("row 5,") == true, "\(first ?? "no error")")
    }

    @Test func nonIntegralFloatsDoNotBecomeIntegers() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 900)
        let row = c.x.firstIndex { $0 != nil && $0!.rounded() != $0! }!
        let a = try df.toArray(column: "x", as: Int64.self, naValue: 0)
        let m = errorMessage { _ = try a.compute(scheduler: .synchronous) }
        #expect(m == "column 'x', row \(row): cannot convert '\(c.x[row]!)' to int64")
        // With threads, whichever failing block runs first reports: some row that doesn't convert.
        let bad = Set(c.x.indices.filter { c.x[$0] != nil && c.x[$0]!.rounded() != c.x[$0]! }
            .map { "column 'x', row \($0): cannot convert '\(c.x[$0]!)' to int64" })
        let t4 = errorMessage { _ = try a.compute(scheduler: .threads(4)) }
        #expect(t4.map { bad.contains($0) } == true, "\(t4 ?? "no error")")
        // Integral floats convert.
        let t = try ChunkedFrame(Table(["v": Column(float64: [1, -2, nil, 3e9])]), partitionSize: 2)
        #expect(try t.toArray(column: "v", as: Int64.self, naValue: 7).compute(scheduler: .synchronous).scalars == [1, -2, 7, 3_000_000_000])
        let narrow = errorMessage { _ = try t.toArray(column: "v", as: Int32.self, naValue: 7).compute(scheduler: .synchronous) }
        #expect(narrow?.contains("column 'v', row 3: 3000000000 does not fit int32") == true, "\(narrow ?? "no error")")
    }

    @Test func textAndTimestampColumnsAreRejected() throws {
        let c = Self.corpus()
        let df = try Self.read(c, blocksize: 900, parseDates: true)
        #expect(throws: FrameError.typeMismatch(column: "name", expected: "int64, float64 or bool to convert to an array", found: .string)) {
            _ = try df.toArray(["id", "name"])
        }
        #expect(errorMessage { _ = try df.toArray(column: "when") }
            == "column 'when' is timestamp, expected int64, float64 or bool to convert to an array")
        #expect(errorMessage { _ = try df.toArray() }?.contains("column 'name' is string") == true, "nil takes every column")
        #expect(try df.select(["id", "x", "k", "flag"]).toArray().shape == [600, 4])
    }

    @Test func textFoundOnlyWhenParsingIsRejectedToo() throws {
        // The schema's sample sees integers; a later partition holds text.
        let dir = temporaryDirectory()
        _ = writeCSV("a,b\n1,2\n3,4\n", name: "0.csv", in: dir)
        _ = writeCSV("a,b\n5,six\n", name: "1.csv", in: dir)
        let df = try readCSV(dir.path)
        #expect(throws: FrameError.typeMismatch(column: "b", expected: "int64, float64 or bool to convert to an array", found: .string)) {
            _ = try df.toArray(["a", "b"], scheduler: .threads(2))
        }
        #expect(try df.toArray(column: "a", as: Int64.self).compute(scheduler: .synchronous).scalars == [1, 3, 5])
    }

    @Test func unknownColumnsListTheColumns() throws {
        let c = Self.corpus()
        let df = try Self.read(c)
        #expect(throws: FrameError.unknownColumn("nope", available: ["id", "x", "k", "flag", "name", "when"])) {
            _ = try df.toArray(["id", "nope"])
        }
        #expect(throws: FrameError.unknownColumn("nope", available: ["id", "x", "k", "flag", "name", "when"])) {
            _ = try df.toArray(column: "nope", as: Int64.self)
        }
        #expect(errorMessage { _ = try df.toArray([]) }?.contains("at least one column") == true)
    }

    @Test func composesWithArrayOperations() throws {
        let c = Self.corpus()
        var sumID = 0.0, sumX = 0.0, countX = 0, sumFlag = 0.0
        for i in 0..<c.rows {
            sumID += Double(c.id[i])
            if let x = c.x[i] { sumX += x; countX += 1 }
            sumFlag += c.flag[i] ? 1 : 0
        }
        for blocksize in [100, 1 << 26] {
            let df = try Self.read(c, blocksize: blocksize)
            for scheduler in Self.schedulers {
                let a = try df.toArray(["id", "flag"], scheduler: scheduler)
                #expect(try a.sum(axis: 0).compute(scheduler: scheduler).scalars == [sumID, sumFlag])
                let x = try df.toArray(column: "x", scheduler: scheduler)
                let s = try x.nansum().compute(scheduler: scheduler).scalar!
                #expect(Swift.abs(s - sumX) < 1e-9)
                #expect(try x.sum().compute(scheduler: scheduler).scalar!.isNaN, "NaN propagates as in NumPy")
                let mean = try x.nanmean().compute(scheduler: scheduler).scalar!
                #expect(Swift.abs(mean - sumX / Double(countX)) < 1e-12)
                let late = try (x .> 1).sum().compute(scheduler: scheduler).scalar!
                #expect(late == Int64(c.x.filter { ($0 ?? 0) > 1 }.count))
            }
        }
    }

    @Test func emptyPartitionsAndEmptyFrames() throws {
        let c = Self.corpus()
        let df = try Self.read(c)
        // The middle file filters to nothing: it gets no block.
        let some = try df.filter(df["id"] < 100 || df["id"] >= 400)
        let a = try some.toArray(["id", "k"], as: Int64.self, naValue: 0)
        #expect(a.chunks == [[100, 200], [2]])
        let expected: [Int64] = (0..<c.rows).filter { $0 < 100 || $0 >= 400 }.flatMap { i -> [Int64] in [c.id[i], c.k[i] ?? 0] }
        #expect(try a.compute(scheduler: .threads(4)).scalars == expected)
        let none = try df.filter(df["id"] < 0)
        let e = try none.toArray(["id", "x"], scheduler: .threads(2))
        #expect(e.shape == [0, 2])
        #expect(try e.compute(scheduler: .synchronous).shape == [0, 2])
        #expect(try none.toArray(column: "x").compute(scheduler: .synchronous).shape == [0])
    }

    @Test func lengthsCostOnePassUnlessPersisted() throws {
        let c = Self.corpus()
        let reads = Counter()
        let df = try Self.read(c, blocksize: 2000).mapPartitions { reads.increment(); return $0 }
        let n = df.partitionCount
        let a = try df.toArray(["id", "x"], scheduler: .threads(4))
        #expect(reads.value == n, "the lengths pass reads every partition once")
        _ = try a.compute(scheduler: .threads(4))
        #expect(reads.value == 2 * n, "computing reads them again, as dask does")
        let p = try df.persist(scheduler: .threads(4))
        #expect(reads.value == 3 * n)
        let b = try p.toArray(["id", "x"], scheduler: .threads(4))
        let v = try b.compute(scheduler: .threads(4))
        #expect(reads.value == 3 * n, "a persisted frame knows its lengths and holds its partitions")
        #expect(Self.same(v.scalars, try a.compute(scheduler: .synchronous).scalars))
    }
}

/// A thread-safe counter for counting partition reads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
