import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Sums, means and variances of Int64 columns near the type's limits, checked against exact
/// 128-bit arithmetic, at every partitioning.
@Suite struct IntegerAggregationTests {
    /// A frame of one key `k` ("a") and int64 values `v`, split every `size` rows.
    func frame(_ values: [Int64], size: Int) throws -> ChunkedFrame {
        let t = try Table(names: ["k", "v"], columns: [Column(string: values.map { _ in "a" }), Column(int64: values)], rowCount: values.count)
        return try ChunkedFrame(t, partitionSize: size)
    }

    @Test(arguments: [
        [Int64.max, Int64.max],
        [1 << 62, (1 << 62) + 1, (1 << 62) + 2],
        [Int64.min, Int64.min, -5],
        [1_700_000_000_000_000_000, 1_700_000_000_000_000_123, 1_699_999_999_999_999_999, 1_700_000_000_000_000_001],
    ] as [[Int64]])
    func meanOfLargeIntegersIsExactlyRounded(_ values: [Int64]) throws {
        let exact = values.reduce(Int128(0)) { $0 + Int128($1) }
        let expected = Double(exact) / Double(values.count)
        for size in [1, 2, values.count] {
            let out = try frame(values, size: size).groupby("k").agg(["v": .mean]).compute(scheduler: .synchronous)
            let got = try #require(out.columns[1][0].doubleValue)
            // Double(sum) / n with the sum rounded once: within one ulp of the exact mean.
            #expect(abs(got - expected) <= expected.ulp.magnitude, "size \(size): \(got) vs \(expected)")
        }
    }

    @Test func varianceOfLargeIntegersIsNotGarbage() throws {
        let values: [Int64] = [Int64.max, Int64.max, Int64.max]
        for size in [1, 3] {
            let out = try frame(values, size: size).groupby("k").agg(["v": .var, "v": .std]).compute(scheduler: .synchronous)
            #expect(out.columns[1][0] == .float64(0))
            #expect(out.columns[2][0] == .float64(0))
        }
    }

    @Test(arguments: [[Int64.max - 10, 7, 3, -1], [Int64.max, Int64.max, Int64.min]] as [[Int64]])
    func sumThatFitsIsExact(_ values: [Int64]) throws {
        // The second passes through more than Int64.max on the way.
        let exact = values.reduce(Int128(0)) { $0 + Int128($1) }
        for size in [1, 2, values.count] {
            let out = try frame(values, size: size).groupby("k").agg(["v": .sum]).compute(scheduler: .synchronous)
            #expect(out.columns[1][0] == .int64(Int64(exact)))
        }
    }

    @Test func sumThatOverflowsIsAnErrorNamingColumnAndGroup() throws {
        for values in [[Int64.max, 1], [Int64.min, -1], [Int64.max, Int64.max, 5]] as [[Int64]] {
            for size in [1, values.count] {
                let message = errorMessage { _ = try frame(values, size: size).groupby("k").agg(["v": .sum]).compute(scheduler: .synchronous) }
                let m = try #require(message, "\(values) size \(size) did not throw")
                #expect(m.contains("'v'") && m.contains("a") && m.contains("overflow"), "\(m)")
            }
        }
    }

    /// The type of a sum is that of the values, not of how files split: one file with the value
    /// and one where it is missing (a float64 partition) gives the int64 of one file.
    @Test func sumTypeDoesNotDependOnFiles() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("k,v\na,1\n", name: "a.csv", in: dir)
        _ = writeCSV("k,v\na,\n", name: "b.csv", in: dir)
        let split = try readCSV(dir.path).groupby("k").agg(["v": .sum, "v": .min, "v": .first]).compute(scheduler: .synchronous)
        let whole = try readCSV(writeCSV("k,v\na,1\na,\n")).groupby("k").agg(["v": .sum, "v": .min, "v": .first]).compute(scheduler: .synchronous)
        #expect(whole.columns[1][0] == .int64(1))
        for j in 1...3 { #expect(split.columns[j].elements == whole.columns[j].elements, "column \(j)") }
    }

    /// `1` and `1.0` are one value once the column unifies to float64, as `compute()` unifies it.
    @Test func nuniqueComparesValuesAfterUnifying() throws {
        let dir = temporaryDirectory()
        var ints = "k,v\n", floats = "k,v\n"
        var reference = Set<Double>()
        for i in 0..<50 { ints += "a,\(i)\n"; reference.insert(Double(i)) }
        for x in [1.0, 2.5, 49.0, 50.0] { floats += "a,\(formatDouble(x))\n"; reference.insert(x) }
        _ = writeCSV(ints, name: "a.csv", in: dir)
        _ = writeCSV(floats, name: "b.csv", in: dir)
        let frame = try readCSV(dir.path)
        let out = try frame.groupby("k").agg(["v": .nunique]).compute(scheduler: .synchronous)
        #expect(out.columns[1][0] == .int64(Int64(reference.count)))
        let all = try frame.compute(scheduler: .synchronous)
        #expect(Set(try all.column("v").elements).count == reference.count)
    }
}
