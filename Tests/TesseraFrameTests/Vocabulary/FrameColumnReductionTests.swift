import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// `df["col"]` reductions and whole-frame reductions against pandas (expected.json) and naive loops.
@Suite struct FrameColumnReductionTests {
    @Test func columnReductionsMatchPandas() throws {
        let r = VocabFixture["reductions"] as! [String: Any]
        for df in try VocabFixture.frames() {
            let s: FrameColumn = df["dep_delay"]
            // All in one compute: one graph, the partitions read once.
            let (mean, sum, min, max, std, variance, median) = try compute(s.mean(), s.sum(), s.min(), s.max(), s.std(), s.var(), s.median())
            #expect(close(mean, jsonDouble(r["mean"]!)))
            #expect(close(sum, jsonDouble(r["sum"]!)))
            #expect(close(min, jsonDouble(r["min"]!)))
            #expect(close(max, jsonDouble(r["max"]!)))
            #expect(close(std, jsonDouble(r["std"]!)))
            #expect(close(variance, jsonDouble(r["var"]!)))
            #expect(close(median, jsonDouble(r["median"]!)))
            #expect(close(try s.quantile(0.1).compute(), jsonDouble(r["q10"]!)))
            #expect(close(try s.quantile(0.75).compute(), jsonDouble(r["q75"]!)))
            #expect(try s.count().compute() == (r["count"] as! Int))
            #expect(try s.nunique().compute() == (r["nunique"] as! Int))
            #expect(try s.argmax().compute() == (r["argmax"] as! Int))
            #expect(try s.argmin().compute() == (r["argmin"] as! Int))
            #expect(close(try df["distance"].sum().compute(), jsonDouble(r["distance_sum"]!)))
            #expect(try df["origin"].nunique().compute() == (r["origin_nunique"] as! Int))
        }
    }

    @Test func severalReductionsInOneComputeReadEachFileOnce() throws {
        let df = try VocabFixture.frame()
        let s: FrameColumn = df["dep_delay"]
        let profiler = Profiler()
        let (mean, top, n) = try profiler.observe { try compute(s.mean(), s.max(), s.count()) }
        let r = VocabFixture["reductions"] as! [String: Any]
        #expect(close(mean, jsonDouble(r["mean"]!)) && close(top, jsonDouble(r["max"]!)) && n > 0)
        let reads = profiler.records.filter { $0.kind.contains("read-csv") }
        // One joint plan: the three reductions share one scan of each file.
        #expect(reads.count == df.partitionCount, "\(reads.count) reads of \(df.partitionCount) files")
        // Every kind of column reduction joins the one plan: group-by ones, nunique, argmax.
        let every = Profiler()
        let (m2, distinct, at) = try every.observe { try compute(s.mean(), df["origin"].nunique(), s.argmax()) }
        #expect(close(m2, jsonDouble(r["mean"]!)))
        #expect(distinct == (r["origin_nunique"] as! Int) && at == (r["argmax"] as! Int))
        #expect(every.records.filter { $0.kind.contains("read-csv") }.count == df.partitionCount)
        // Alone, each is still its own plan (one read per file each).
        let alone = Profiler()
        _ = try alone.observe { try s.mean().compute() }
        #expect(alone.records.filter { $0.kind.contains("read-csv") }.count == df.partitionCount)
    }

    @Test func uniqueInOrderOfFirstAppearance() throws {
        let expected = (VocabFixture["unique_origin"] as! [Any]).map { $0 as? String }
        for df in try VocabFixture.frames() {
            #expect(try df["origin"].unique().compute()["origin"]!.strings == expected)
        }
    }

    @Test func valueCounts() throws {
        let vc = VocabFixture["value_counts_carrier"] as! [String: Any]
        for df in try VocabFixture.frames() {
            let t = try df["carrier"].valueCounts().compute()
            #expect(t["carrier"]!.strings == (vc["values"] as! [String]))
            #expect(t["count"]!.ints == (vc["counts"] as! [Int]).map { Int64($0) })
        }
    }

    @Test func wholeFrameReductionsMatchPandas() throws {
        for df in try VocabFixture.frames() {
            let cases: [(String, ChunkedFrame)] = [
                ("frame_mean", try df.mean()), ("frame_sum", try df.sum()), ("frame_std", try df.std()),
                ("frame_var", try df.var()), ("frame_min", try df.min()), ("frame_max", try df.max()),
                ("frame_median", try df.median()),
            ]
            for (key, frame) in cases {
                let e = VocabFixture[key] as! [String: Any]
                let names = e["columns"] as! [String], values = e["values"] as! [Any]
                let t = try frame.compute()
                #expect(t.names == names, "\(key)")
                #expect(t.rowCount == 1, "\(key)")
                for (n, v) in zip(names, values) { #expect(close(t[n]?.doubles.first ?? nil, jsonDouble(v)), "\(key) \(n)") }
            }
        }
    }

    @Test func emptyFrameGivesPandasEmptyAnswers() throws {
        let df = try VocabFixture.frame().filter(Expr.col("distance") < 0)
        let (mean, sum, count) = try compute(df["dep_delay"].mean(), df["dep_delay"].sum(), df["dep_delay"].count())
        #expect(mean.isNaN)
        #expect(sum == 0)
        #expect(count == 0)
        #expect(throws: TaskFailure.self) { try df["dep_delay"].argmax().compute() }
    }

    /// A combine of eight partitions where the column has no value at all used to fail with
    /// "malformed sum state" (GroupKernels+WideSum); the sum of the rest is the answer.
    @Test func sumWhenAWholeCombineHasNoValue() throws {
        let xs: [Double?] = [nil, nil, nil, nil, nil, nil, nil, nil, 2.5, nil, 4]
        let df = try ChunkedFrame(try Table(["k": Column(int64: xs.map { _ in 1 }), "x": Column(float64: xs)]), partitionSize: 1)
        #expect(try df["x"].sum().compute() == 6.5)
        #expect(try df.groupby("k")["x"].sum().compute()["x"]!.doubles == [6.5])
    }

    /// Random values with NaN, ±inf and huge integers at random partitionings, against naive loops.
    @Test func differentialAgainstNaiveLoops() throws {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<6 {
            let n = Int.random(in: 1...80, using: &rng)
            let specials: [Double?] = [nil, .infinity, -.infinity, 1e300, -0.0, 2.5]
            let xs: [Double?] = (0..<n).map { _ in
                Int.random(in: 0..<5, using: &rng) == 0 ? specials.randomElement(using: &rng)! : Double(Int.random(in: -1000...1000, using: &rng)) / 8
            }
            let ks: [Int64?] = (0..<n).map { _ in Bool.random(using: &rng) ? Int64.random(in: -(1 << 40)...(1 << 40), using: &rng) : nil }
            let table = try Table(["x": Column(float64: xs), "k": Column(int64: ks)])
            let size = Int.random(in: 1...n, using: &rng)
            let df = try ChunkedFrame(table, partitionSize: size)
            let present = xs.compactMap { $0 }
            let naiveSum = present.reduce(0, +)
            let (mean, sum, count, mx, mn) = try compute(df["x"].mean(), df["x"].sum(), df["x"].count(), df["x"].max(), df["x"].min())
            #expect(count == present.count, "trial \(trial)")
            #expect(close(sum, naiveSum, tolerance: 1e-12), "trial \(trial): sum \(sum) vs \(naiveSum)")
            #expect(close(mean, present.isEmpty ? .nan : naiveSum / Double(present.count), tolerance: 1e-12), "trial \(trial): mean \(mean)")
            #expect(close(mx, present.max() ?? .nan), "trial \(trial)")
            #expect(close(mn, present.min() ?? .nan), "trial \(trial)")
            let kSum = ks.compactMap { $0 }.reduce(0, +)
            #expect(try df["k"].sum().compute() == Double(kSum), "trial \(trial)")
            if let best = present.max() {
                #expect(try df["x"].argmax().compute() == xs.firstIndex { $0 == best }!, "trial \(trial)")
            }
        }
    }
}
