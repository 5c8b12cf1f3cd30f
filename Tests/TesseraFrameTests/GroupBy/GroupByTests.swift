import Foundation
import Tessera
import Testing
@testable import TesseraFrame

private let schedulers: [Scheduler] = [.synchronous, .threads(1), .threads(2), .threads(4)]

@Suite struct GroupByTests {
    /// Every aggregation, one and two keys, missing keys dropped or kept, text keys plain and
    /// dictionary-encoded, several partitionings and schedulers, against pandas.
    @Test(arguments: [
        (["k1"], true, "expected_k1.csv"),
        (["k1"], false, "expected_k1_keepna.csv"),
        (["k1", "k2"], true, "expected_k1_k2.csv"),
        (["k2", "k1"], false, "expected_k2_k1_keepna.csv"),
        (["k2"], true, "expected_k2.csv"),
    ])
    func matchesPandas(keys: [String], dropna: Bool, expected: String) throws {
        for dictionary in [true, false] {
            let table = try GroupByFixtures.input(dictionary: dictionary)
            for (size, splitOut) in [(240, 1), (7, 1), (50, 3), (13, 2), (100, 1)] {
                let frame = try ChunkedFrame(table, partitionSize: size)
                let result = try frame.groupby(keys, dropna: dropna).agg(GroupByFixtures.aggregations, splitOut: splitOut)
                #expect(result.partitionCount == splitOut)
                for scheduler in schedulers.prefix(size == 13 ? 4 : 1) {
                    let out = try result.compute(scheduler: scheduler)
                    let diffs = try GroupByFixtures.differences(out, expected: expected)
                    #expect(diffs.isEmpty, "keys \(keys) dict \(dictionary) size \(size) splitOut \(splitOut): \(diffs.prefix(5))")
                }
            }
        }
    }

    /// The same answers when the fixture is read by readCSV with several blocksizes (text keys
    /// dictionary-encoded by the reader, partitions split mid-file).
    @Test(arguments: [100_000, 1_000, 300])
    func matchesPandasThroughReadCSV(blocksize: Int) throws {
        var options = CSVOptions()
        options.blocksize = blocksize
        options.minimumBlocksize = 1  // small blocks on purpose: many partitions
        options.dtypes = ["n": .int64]
        let frame = try readCSV(GroupByFixtures.directory.appendingPathComponent("input.csv").path, options: options)
        for (keys, dropna, expected) in [(["k1"], true, "expected_k1.csv"), (["k2", "k1"], false, "expected_k2_k1_keepna.csv")] {
            let out = try frame.groupby(keys, dropna: dropna).agg(GroupByFixtures.aggregations).compute(scheduler: .threads(2))
            let diffs = try GroupByFixtures.differences(out, expected: expected)
            #expect(diffs.isEmpty, "blocksize \(blocksize) keys \(keys): \(diffs.prefix(5))")
        }
    }

    @Test func identicalForAnySchedulerAndWorkers() throws {
        let table = try GroupByFixtures.input(dictionary: true)
        let frame = try ChunkedFrame(table, partitionSize: 9)
        let q = try frame.groupby("k1").agg(["x": .mean, "x": .std, "n": .sum])
        let reference = try q.compute(scheduler: .synchronous)
        for s in schedulers {
            let out = try q.compute(scheduler: s)
            for j in 0..<out.columnCount { #expect(out.columns[j].elements == reference.columns[j].elements) }
        }
    }

    @Test func simpleMeanAndTypes() throws {
        let t = try Table([
            "Origin": Column(dictionaryEncoding: ["JFK", "LGA", "JFK", nil, "EWR", "LGA"]),
            "DepDelay": Column(int64: [10, nil, 20, 5, -3, 4]),
        ])
        let frame = try ChunkedFrame(t, partitionSize: 2)
        let out = try frame.groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .sum, "DepDelay": .max]).compute()
        #expect(out.names == ["Origin", "DepDelay_mean", "DepDelay_sum", "DepDelay_max"])
        #expect(out.columns[0].elements == [.string("EWR"), .string("JFK"), .string("LGA")])
        #expect(out.columns[1].elements == [.float64(-3), .float64(15), .float64(4)])
        #expect(out.columns[2].elements == [.int64(-3), .int64(30), .int64(4)])
        #expect(out.columns[3].elements == [.int64(-3), .int64(20), .int64(4)])
        let schema = try frame.groupby("Origin").agg(["DepDelay": .mean]).schema
        #expect(schema.fields.map(\.type) == [.string, .float64])
    }

    @Test func floatAndBoolAndTimestampKeys() throws {
        let t = try Table([
            "f": Column(float64: [1.5, -0.0, 0.0, nil, 1.5, 2]),
            "b": Column(bool: [true, false, true, true, nil, false]),
            "t": Column(timestamp: [5, 5, 1, 1, nil, 9]),
            "v": Column(int64: [1, 2, 3, 4, 5, 6]),
        ])
        let frame = try ChunkedFrame(t, partitionSize: 4)
        let byF = try frame.groupby("f").agg(["v": .sum]).compute()
        #expect(byF.columns[0].elements == [.float64(0), .float64(1.5), .float64(2)])
        #expect(byF.columns[1].elements == [.int64(5), .int64(6), .int64(6)])
        let byB = try frame.groupby(["b"], dropna: false).agg(["v": .size]).compute()
        #expect(byB.columns[0].elements == [.bool(false), .bool(true), .missing])
        #expect(byB.columns[1].elements == [.int64(2), .int64(3), .int64(1)])
        let byT = try frame.groupby("t", "b").agg(["v": .first]).compute()
        #expect(byT.rowCount == 4)
        // (1,true): rows 2,3; (5,false): row 1; (5,true): row 0; (9,false): row 5; row 4 has missing keys.
        #expect(byT.columns[0].elements == [.timestamp(1), .timestamp(5), .timestamp(5), .timestamp(9)])
        #expect(byT.columns[1].elements == [.bool(true), .bool(false), .bool(true), .bool(false)])
        #expect(byT.columns[2].elements == [.int64(3), .int64(2), .int64(1), .int64(6)])
    }

    @Test func customAggregation() throws {
        // Range (max - min) of each group, in three steps.
        let range = CustomAggregation(
            name: "range", outputType: .float64,
            chunk: { c in
                let v = (0..<c.count).filter { c.isValid($0) }.compactMap { c[$0].doubleValue }
                return (v.min() ?? .infinity, v.max() ?? -.infinity)
            },
            combine: { parts in
                let p = parts.map { $0 as! (Double, Double) }
                return (p.map(\.0).min()!, p.map(\.1).max()!)
            },
            finalize: { s in
                let (lo, hi) = s as! (Double, Double)
                return lo > hi ? .missing : .float64(hi - lo)
            })
        let table = try GroupByFixtures.input(dictionary: true)
        for size in [240, 11] {
            let frame = try ChunkedFrame(table, partitionSize: size)
            let out = try frame.groupby("k1").agg([NamedAggregation("x", .custom(range)), NamedAggregation("x", .min), NamedAggregation("x", .max)]).compute()
            #expect(out.names == ["k1", "x_range", "x_min", "x_max"])
            for r in 0..<out.rowCount {
                switch (out.columns[2][r].doubleValue, out.columns[3][r].doubleValue) {
                case let (lo?, hi?): #expect(out.columns[1][r] == .float64(hi - lo))
                default: #expect(out.columns[1][r] == .missing)
                }
            }
        }
    }

    @Test func errors() throws {
        let table = try GroupByFixtures.input(dictionary: true)
        let frame = try ChunkedFrame(table, partitionSize: 100)
        #expect(throws: FrameError.unknownColumn("nope", available: ["k1", "k2", "x", "n", "s"])) {
            try frame.groupby("nope")
        }
        #expect(throws: FrameError.unknownColumn("zz", available: ["k1", "k2", "x", "n", "s"])) {
            try frame.groupby("k1").agg(["zz": .sum])
        }
        // The schema already says `s` is text: found when the frame is built.
        #expect(throws: FrameError.typeMismatch(column: "s", expected: "a numeric or bool column for mean", found: .string)) {
            try frame.groupby("k1").agg(["s": .mean])
        }
        #expect(throws: FrameError.self) { try frame.groupby("k1").agg(["x": .sum], splitOut: 0) }
        #expect(throws: FrameError.self) { try frame.groupby("k1").agg(["x": .sum, "x": .sum]) }
    }
}

@Suite struct FlightsQueryTests {
    /// The demo's question end to end — readCSV, then groupby("Origin").agg(["DepDelay": .mean]) —
    /// against a plain loop over the lines of the committed sample files.
    @Test func meanDelayPerOriginMatchesALoop() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data")
        var sums: [String: (Double, Int)] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasSuffix(".csv") }.sorted()
        for f in files {
            let lines = try String(contentsOf: data.appendingPathComponent(f), encoding: .utf8).split(separator: "\n")
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
            let d = header.firstIndex(of: "DepDelay")!, o = header.firstIndex(of: "Origin")!
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                guard let v = Double(fields[d]) else { continue }
                sums[String(fields[o]), default: (0, 0)].0 += v
                sums[String(fields[o]), default: (0, 0)].1 += 1
            }
        }
        let expected = sums.sorted { $0.key < $1.key }
        var options = CSVOptions()
        options.blocksize = 200_000  // several partitions per file
        options.minimumBlocksize = 1  // small blocks on purpose: many partitions
        for opts in [CSVOptions(), options] {
            let out = try readCSV(data.path, options: opts).groupby("Origin").agg(["DepDelay": .mean]).compute(scheduler: .threads(2))
            #expect(out.columns[0].elements == expected.map { .string($0.key) })
            for (r, e) in expected.enumerated() {
                let got = out.columns[1][r].doubleValue ?? .nan
                #expect(abs(got - e.value.0 / Double(e.value.1)) < 1e-12 * abs(got))
            }
        }
    }
}

@Suite struct EmptyPartitionTests {
    @Test func emptyPartitionsAndEmptyFrames() throws {
        let t = try Table([
            "k": Column(dictionaryEncoding: ["a", "b", "a"]), "v": Column(int64: [1, 2, 3]),
        ])
        let empty = t.take([])
        let frame = try ChunkedFrame(tables: [empty, t, empty])
        let out = try frame.groupby("k").agg(["v": .sum, "v": .median], splitOut: 2).compute(scheduler: .threads(2))
        #expect(out.columns[0].elements == [.string("a"), .string("b")])
        #expect(out.columns[1].elements == [.int64(4), .int64(2)])
        #expect(out.columns[2].elements == [.float64(2), .float64(2)])
        let none = try ChunkedFrame(tables: [empty, empty]).groupby("k").agg(["v": .mean]).compute()
        #expect(none.rowCount == 0)
        #expect(none.names == ["k", "v_mean"])
        let joined = try frame.merge(ChunkedFrame(tables: [empty]), on: ["k"], how: .left).compute()
        #expect(joined.rowCount == 3)
        #expect(try frame.sortValues(by: ["v"], ascending: [false]).compute().column("v").elements == [.int64(3), .int64(2), .int64(1)])
        #expect(try frame.dropDuplicates(subset: ["k"]).compute().rowCount == 2)
    }
}
