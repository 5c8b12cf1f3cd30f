import Foundation
import Tessera

// The h2o.ai db-benchmark's data, after its `groupby-datagen.R` and `join-datagen.R`:
//
// groupby (N rows, K): id1, id2 `id%03d` of 1…K; id3 `id%010d` of 1…N/K; id4, id5 integers 1…K;
// id6 an integer 1…N/K; v1 an integer 1…5, v2 1…15, v3 uniform in [0, 100] rounded to 6 digits.
//
// join (N rows): three key sets from `split_xlr(n)` — a random permutation of 1…1.1n cut into x
// (the first 0.9n, on both sides), l (the next 0.1n, left only) and r (the last 0.1n, right only)
// — for n = N/1e6 (small), N/1e3 (medium) and N (big). The left table `x` has N rows: id1, id2
// drawn from x∪l of the small and medium sets, id3 a permutation of x∪l of the big set, id4–id6
// those as text `id<n>`, v1 uniform as v3 above. The right tables `small` (id1, id4, v2),
// `medium` (id1, id2, id4, id5, v2) and `big` (id1…id6, v2) draw from x∪r the same way, their
// own key a permutation (unique), the others with replacement.
//
// Missing values: with `naFraction` f, each id and value field is empty with probability f
// (db-benchmark blanks exactly ⌊f·N⌋ rows per column; a Bernoulli draw per field lets files be
// written in parallel and gives the same fraction on average). In join data the text key is
// missing exactly when its integer twin is, and only the left table's keys get missing values.
//
// Randomness: SplitMix64 seeded by (seed, table, file), so the same arguments give
// byte-identical files whatever the machine (R's own generator is not reproduced: the data is
// the same distribution, not the same rows).

/// Writes the db-benchmark group-by table as `files` CSV files `directory/part-000.csv`, … (rows
/// split evenly, in order), each through a temporary name and a rename.
///
/// - Parameters:
///   - directory: created if missing.
///   - rows: N, the total number of rows.
///   - k: K, the number of groups of the small-cardinality keys (id1, id2, id4, id5); id3 and id6
///     take N/K values.
///   - naFraction: the probability that an id or value field is missing (0 for none).
///   - files: the number of files.
///   - seed: the generator's seed.
///   - scheduler: where the files are written, one task each (the default scheduler when nil);
///     under `.mpi`, each file by the rank its task is placed on.
/// - Returns: the files written, in order.
/// - Throws: `FrameError.invalidArgument` for a non-positive count or a fraction outside [0, 1);
///   `CocoaError` when a file cannot be written.
/// - Complexity: O(rows), the files written in parallel.
@discardableResult
public func generateH2OGroupBy(directory: URL, rows: Int, k: Int, naFraction: Double = 0, files: Int = 1, seed: UInt64 = 108,
                               scheduler: Scheduler? = nil) throws -> [URL] {
    guard rows >= 1, k >= 1, files >= 1 else { throw FrameError.invalidArgument("generate-h2o: rows, k and files must be at least 1") }
    guard naFraction >= 0, naFraction < 1 else { throw FrameError.invalidArgument("generate-h2o: the NA fraction must be in [0, 1), got \(naFraction)") }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let small = k, large = Swift.max(1, rows / k)
    return try (0..<files).parallelMap(scheduler: scheduler, batchSize: 1) { f -> URL in
        let url = directory.appendingPathComponent(String(format: "part-%03d.csv", f))
        let count = rows * (f + 1) / files - rows * f / files
        var rng = SplitMix64(state: seed &+ UInt64(f + 1) &* 0x9E37_79B9_7F4A_7C15)
        _ = try writeSampleFile(url) { sink in
            var w = H2ORowWriter(naFraction: naFraction)
            w.header(["id1", "id2", "id3", "id4", "id5", "id6", "v1", "v2", "v3"])
            for _ in 0..<count {
                w.text("id", 1 + rng.below(small), width: 3, &rng)
                w.text("id", 1 + rng.below(small), width: 3, &rng)
                w.text("id", 1 + rng.below(large), width: 10, &rng)
                w.int(1 + rng.below(small), &rng)
                w.int(1 + rng.below(small), &rng)
                w.int(1 + rng.below(large), &rng)
                w.int(1 + rng.below(5), &rng)
                w.int(1 + rng.below(15), &rng)
                w.micros(rng.below(100_000_001), &rng, last: true)
                try w.endRow(sink)
            }
            try w.flush(sink)
        }
        return url
    }
}

/// The db-benchmark join tables under `directory`: `x/`, `small/`, `medium/` and `big/`, each of
/// `files` CSV files `part-000.csv`, … (small and medium are one file each).
///
/// - Parameters:
///   - directory: created if missing.
///   - rows: N, the rows of `x` and `big`; `medium` has N/1e3 and `small` N/1e6 (at least 10).
///   - naFraction: the probability that a field of `x` (key or value) or a value of the right
///     tables is missing.
///   - files: the number of files of `x` and `big`.
///   - seed: the generator's seed.
///   - scheduler: where the files are written, one task each (the default scheduler when nil);
///     under `.mpi`, each file by the rank its task is placed on.
/// - Returns: the four table directories, in the order x, small, medium, big.
/// - Throws: as `generateH2OGroupBy`.
/// - Complexity: O(rows); the permutations are drawn on one thread (on every rank under
///   `.mpi`), the files written in parallel.
@discardableResult
public func generateH2OJoin(directory: URL, rows: Int, naFraction: Double = 0, files: Int = 1, seed: UInt64 = 108,
                            scheduler: Scheduler? = nil) throws -> [URL] {
    guard rows >= 1, files >= 1 else { throw FrameError.invalidArgument("generate-h2o: rows and files must be at least 1") }
    guard naFraction >= 0, naFraction < 1 else { throw FrameError.invalidArgument("generate-h2o: the NA fraction must be in [0, 1), got \(naFraction)") }
    var rng = SplitMix64(state: seed ^ 0x6A09_E667_F3BC_C908)
    let sizes = [Swift.max(10, rows / 1_000_000), Swift.max(10, rows / 1_000), rows]
    let sets = sizes.map { H2OKeySet(n: $0, &rng) }
    let x3 = (sets[2].x + sets[2].l).shuffled(using: &rng)
    let big3 = (sets[2].x + sets[2].r).shuffled(using: &rng)
    let small1 = (sets[0].x + sets[0].r).shuffled(using: &rng)
    let medium2 = (sets[1].x + sets[1].r).shuffled(using: &rng)
    let left = [sets[0].x + sets[0].l, sets[1].x + sets[1].l]
    let right = [sets[0].x + sets[0].r, sets[1].x + sets[1].r]

    /// One table: its name, row count, files, header, and the probability of a missing key.
    struct Plan {
        var name: String
        var rows: Int
        var files: Int
        var header: [String]
        var keyNA: Double
    }
    let plans = [
        Plan(name: "x", rows: rows, files: files, header: ["id1", "id2", "id3", "id4", "id5", "id6", "v1"], keyNA: naFraction),
        Plan(name: "small", rows: sizes[0], files: 1, header: ["id1", "id4", "v2"], keyNA: 0),
        Plan(name: "medium", rows: sizes[1], files: 1, header: ["id1", "id2", "id4", "id5", "v2"], keyNA: 0),
        Plan(name: "big", rows: rows, files: files, header: ["id1", "id2", "id3", "id4", "id5", "id6", "v2"], keyNA: 0),
    ]
    var jobs: [(table: Int, file: Int)] = []
    for (t, p) in plans.enumerated() {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(p.name), withIntermediateDirectories: true)
        for f in 0..<p.files { jobs.append((t, f)) }
    }
    _ = try jobs.parallelMap(scheduler: scheduler, batchSize: 1) { job -> Int in
        let p = plans[job.table]
        let url = directory.appendingPathComponent(p.name).appendingPathComponent(String(format: "part-%03d.csv", job.file))
        let start = p.rows * job.file / p.files, end = p.rows * (job.file + 1) / p.files
        var rng = SplitMix64(state: seed &+ UInt64(job.table * 1024 + job.file + 1) &* 0xBF58_476D_1CE4_E5B9)
        return try writeSampleFile(url) { sink in
            var w = H2ORowWriter(naFraction: p.keyNA)
            w.header(p.header)
            for r in start..<end {
                var keys: [Int] = []
                switch job.table {
                case 0: keys = [left[0][rng.below(left[0].count)], left[1][rng.below(left[1].count)], x3[r]]
                case 1: keys = [small1[r]]
                case 2: keys = [right[0][rng.below(right[0].count)], medium2[r]]
                default: keys = [right[0][rng.below(right[0].count)], right[1][rng.below(right[1].count)], big3[r]]
                }
                let missing = keys.map { _ in w.drawMissing(&rng) }
                for (key, m) in zip(keys, missing) { w.int(m ? nil : key) }
                for (key, m) in zip(keys, missing) { w.text("id", m ? nil : key, width: 1) }
                w.naFraction = naFraction
                w.micros(rng.below(100_000_001), &rng, last: true)
                w.naFraction = p.keyNA
                try w.endRow(sink)
            }
            try w.flush(sink)
        }
    }
    return plans.map { directory.appendingPathComponent($0.name) }
}

/// db-benchmark's `split_xlr(n)`: a random permutation of 1…1.1n cut into x (0.9n), l (0.1n)
/// and r (0.1n).
struct H2OKeySet {
    var x: [Int], l: [Int], r: [Int]

    init(n: Int, _ rng: inout SplitMix64) {
        let perm = Array(1...(n + n / 10)).shuffled(using: &rng)
        let cut = n - n / 10
        x = Array(perm[0..<cut])
        l = Array(perm[cut..<n])
        r = Array(perm[n...])
    }
}

extension SplitMix64: RandomNumberGenerator {}

/// Renders CSV rows of db-benchmark fields into a buffer handed to a sink about 8 MB at a time.
struct H2ORowWriter {
    var naFraction: Double
    var out: [UInt8] = []

    init(naFraction: Double) {
        self.naFraction = naFraction
        out.reserveCapacity(8 << 20 + 4096)
    }

    mutating func header(_ names: [String]) {
        out.append(contentsOf: Array(names.joined(separator: ",").utf8))
        out.append(10)
    }

    /// Whether the next field is missing (draws only when there are missing values at all, so
    /// data without them doesn't depend on the fraction's draws).
    mutating func drawMissing(_ rng: inout SplitMix64) -> Bool {
        naFraction > 0 && rng.unit() < naFraction
    }

    mutating func int(_ v: Int, _ rng: inout SplitMix64) { int(drawMissing(&rng) ? nil : v) }

    mutating func int(_ v: Int?) {
        if let v { appendDecimal(&out, v) }
        out.append(44)
    }

    mutating func text(_ prefix: StaticString, _ v: Int, width: Int, _ rng: inout SplitMix64) {
        text(prefix, drawMissing(&rng) ? nil : v, width: width)
    }

    mutating func text(_ prefix: StaticString, _ v: Int?, width: Int) {
        if let v {
            prefix.withUTF8Buffer { out.append(contentsOf: $0) }
            appendDecimal(&out, v, width: width)
        }
        out.append(44)
    }

    /// `micros / 1e6` with up to six decimals, trailing zeros dropped (as R's fwrite prints it).
    mutating func micros(_ micros: Int, _ rng: inout SplitMix64, last: Bool) {
        if !drawMissing(&rng) {
            appendDecimal(&out, micros / 1_000_000)
            var frac = micros % 1_000_000, width = 6
            if frac != 0 {
                while frac % 10 == 0 { frac /= 10; width -= 1 }
                out.append(46)
                appendDecimal(&out, frac, width: width)
            }
        }
        if !last { out.append(44) }
    }

    mutating func endRow(_ sink: ([UInt8]) throws -> Void) throws {
        out.append(10)
        if out.count >= 8 << 20 { try flush(sink) }
    }

    mutating func flush(_ sink: ([UInt8]) throws -> Void) throws {
        if !out.isEmpty { try sink(out) }
        out.removeAll(keepingCapacity: true)
    }
}
