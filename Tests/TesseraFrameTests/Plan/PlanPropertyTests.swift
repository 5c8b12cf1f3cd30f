import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Random pipelines of select / filter / assign / rename / sort / merge / groupby / head over
/// random tables (NaN, ±inf, huge integers, both Unicode forms of é, zip-code-like text, missing
/// values, an all-missing partition), read from CSV files at random partitionings and from memory:
/// the optimized plan must give exactly what the plan as written gives.
@Suite struct PlanPropertyTests {
    @Test(arguments: 0..<64)
    func optimizedEqualsUnoptimized(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed) &* 0x9E37_79B9 &+ 17)
        let (frame, description) = try randomPipeline(&rng, seed: seed)
        // Bad data (an int64 sum that overflows) must fail the same way on both sides.
        let optimized = outcome { try frame.compute(scheduler: .threads(2)) }
        let written = outcome { try computeUnoptimized(frame) }
        switch (optimized, written) {
        case (.success(let a), .success(let b)):
            #expect(sameTable(a, b), "seed \(seed): \(description)\n\(frame.explain())")
            // head goes through the limit rule, rowCount through its own plan.
            let n = rng.below(12)
            #expect(sameTable(try frame.head(n, scheduler: .synchronous), b.slice(0..<Swift.min(n, b.rowCount))),
                    "seed \(seed) head(\(n)): \(description)")
            #expect(try frame.rowCount() == b.rowCount, "seed \(seed) rowCount: \(description)")
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "seed \(seed): \(description)")
        default:
            Issue.record("seed \(seed): \(optimized) but unoptimized \(written): \(description)")
        }
    }

    /// The table, or the message of the error underneath a task failure (task names differ).
    func outcome(_ body: () throws -> Table) -> Result<Table, PlanPropertyError> {
        do { return .success(try body()) } catch { return .failure(PlanPropertyError(message: "\(csvError(error))")) }
    }

    struct PlanPropertyError: Error, Equatable { let message: String }

    /// A random table: k (text), x (int64, huge values), y (float64, NaN/±inf), z (small int64).
    func randomTable(_ rng: inout SplitMix64, rows: Int) -> Table {
        let keys = ["a", "b", "\u{e9}", "e\u{301}", "02134", "K1A 0B1"]
        let huge: [Int64] = [.max, .min + 1, 9_007_199_254_740_993, -3, 0, 42]
        let odd: [Double] = [.nan, .infinity, -.infinity, -0.0, 1e300, 2.5, -7.25]
        var k: [String?] = [], x: [Int64?] = [], y: [Double?] = [], z: [Int64?] = []
        for _ in 0..<rows {
            k.append(rng.below(10) == 0 ? nil : keys[rng.below(keys.count)])
            x.append(rng.below(8) == 0 ? nil : huge[rng.below(huge.count)])
            y.append(rng.below(8) == 0 ? nil : odd[rng.below(odd.count)])
            z.append(Int64(rng.below(20)) - 5)
        }
        return try! Table(names: ["k", "x", "y", "z"], columns: [Column(string: k), Column(int64: x), Column(float64: y), Column(int64: z)])
    }

    func randomPipeline(_ rng: inout SplitMix64, seed: Int) throws -> (ChunkedFrame, String) {
        let rows = 20 + rng.below(60)
        let table = randomTable(&rng, rows: rows)
        var df: ChunkedFrame
        var steps: [String] = []
        if rng.below(3) == 0 {
            df = try ChunkedFrame(table, partitionSize: 1 + rng.below(rows))
            steps.append("memory")
        } else {
            // CSV files, one per random slice (one slice all missing in y when possible).
            let dir = temporaryDirectory("plan-property-\(seed)")
            var start = 0, file = 0
            while start < rows {
                let end = Swift.min(rows, start + 1 + rng.below(rows))
                var part = table.slice(start..<end)
                if file == 1 { try part.setColumn("y", Column(float64: [Double?](repeating: nil, count: part.rowCount))) }
                try Data(part.csvBytes()).write(to: dir.appendingPathComponent(String(format: "p%03d.csv", file)))
                start = end
                file += 1
            }
            var options = CSVOptions()
            if rng.below(2) == 0 { options.blocksize = 64 + rng.below(200) }
            df = try readCSV(dir.path, options: options)
            steps.append("csv \(file) files blocksize \(options.blocksize)")
        }
        let dim = try ChunkedFrame(Table(names: ["k", "w"], columns: [
            Column(string: ["a", "\u{e9}", "02134", "zz"]), Column(int64: [1, 2, 3, 4]),
        ]), partitionSize: 2 + rng.below(2))
        var grouped = false
        var assigned: String?  // filters often read the column just assigned (it must stay above)
        for step in 0..<(2 + rng.below(5)) {
            let cols = df.columns
            let numeric = df.schema.fields.filter { $0.type == .int64 || $0.type == .float64 }.map(\.name)
            switch rng.below(8) {
            case 0 where cols.count > 1:
                var pick = cols.filter { _ in rng.below(3) != 0 }
                if pick.isEmpty { pick = [cols[rng.below(cols.count)]] }
                if rng.below(2) == 0 { pick.reverse() }
                df = try df.select(pick)
                steps.append("select \(pick)")
            case 1 where !numeric.isEmpty:
                let c = assigned.flatMap { a in numeric.contains(a) && rng.below(2) == 0 ? a : nil } ?? numeric[rng.below(numeric.count)]
                let e: Expr = rng.below(3) == 0 ? !df[c].isna() : (rng.below(2) == 0 ? df[c] > Expr.literal(.int64(Int64(rng.below(10)) - 3)) : df[c] <= 2.5)
                df = try df.filter(e)
                steps.append("filter \(e)")
            case 2 where cols.contains("k"):
                let e = df["k"] == (rng.below(2) == 0 ? "e\u{301}" : "02134")
                df = try df.filter(rng.below(2) == 0 ? e : .not(e))
                steps.append("filter k")
            case 3 where !numeric.isEmpty:
                let a = numeric[rng.below(numeric.count)], b = numeric[rng.below(numeric.count)]
                let name = rng.below(3) == 0 ? a : "n\(step)"
                df = try df.assign(name, df[a] * 2 + df[b])
                assigned = name
                steps.append("assign \(name) = \(a) * 2 + \(b)")
            case 4 where cols.count > 0:
                let c = cols[rng.below(cols.count)]
                guard !cols.contains("r\(step)") else { continue }
                df = try df.rename([c: "r\(step)"])
                steps.append("rename \(c) → r\(step)")
            case 5 where cols.count > 0 && !grouped:
                let c = cols[rng.below(cols.count)]
                df = try df.sortValues(by: [c], ascending: [rng.below(2) == 0])
                steps.append("sort \(c)")
            case 6 where cols.contains("k") && !cols.contains("w") && !cols.contains("w_y"):
                let how: JoinKind = [.inner, .left][rng.below(2)]
                df = try df.merge(dim, on: ["k"], how: how)
                steps.append("merge \(how)")
            case 7 where !grouped:
                let keys = cols.filter { df.schema[$0]?.type == .string }
                guard let key = keys.first, let v = numeric.first(where: { $0 != key }) else { continue }
                df = try df.groupby(key).agg([NamedAggregation(v, .sum), NamedAggregation(v, .count), NamedAggregation(v, .max)])
                grouped = true
                steps.append("groupby \(key) agg \(v)")
            default:
                continue
            }
        }
        return (df, steps.joined(separator: " | "))
    }
}
