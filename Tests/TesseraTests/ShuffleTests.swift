import Testing
@testable import Tessera

/// The engine's shuffle layer on its own: random keys, random N and M (no input, empty inputs,
/// one output), every row in exactly one output, the same answer on every scheduler, and
/// placement of its layers. Each answer is checked against a naive loop over the rows.
@Suite struct ShuffleTests {
    /// A small seeded generator (a counter through `hash`), so a failing case can be rerun
    /// from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 1
            return ShuffleTests.hash(Int64(bitPattern: state))
        }
    }

    /// A row on its way through a test shuffle: which input and row it came from, and its key.
    struct Row: Equatable, Hashable, Sendable {
        let input: Int
        let row: Int
        let key: Int64
    }

    /// `n` inputs of random keys, some empty, with nasty values among them.
    static func inputs(_ n: Int, _ rng: inout SplitMix) -> [[Int64]] {
        let nasty: [Int64] = [.min, .max, 0, -1, 1, 1 << 32, -(1 << 53)]
        return (0..<n).map { _ in
            let rows = Int.random(in: 0...3, using: &rng) == 0 ? 0 : Int.random(in: 1...40, using: &rng)
            return (0..<rows).map { _ in
                Int.random(in: 0..<5, using: &rng) == 0 ? nasty.randomElement(using: &rng)! : Int64.random(in: -50...50, using: &rng)
            }
        }
    }

    /// A hash of a key, as a hash partitioner would use (SplitMix64's mixing, so nearby keys
    /// part ways).
    static func hash(_ k: Int64) -> UInt64 {
        var z = UInt64(bitPattern: k) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The data as source tasks, hash-shuffled into `m` outputs, each output its pieces' rows in
    /// input order.
    static func hashShuffled(_ data: [[Int64]], outputs m: Int) -> (Shuffle, Layer) {
        let source = Layer(kind: "source", values: data)
        let shuffle = Shuffle(kind: "test", inputs: source.refs, outputs: m) { i, args in
            let keys = args[0] as! [Int64]
            let rows = Shuffle.rowsByHash(keys.map(hash), outputs: m)
            return rows.map { r in r.map { Row(input: i, row: $0, key: keys[$0]) } }
        }
        let out = shuffle.combined(kind: "test-concat") { _, pieces in pieces.flatMap { $0 as! [Row] } }
        return (shuffle, out)
    }

    @Test func everyRowLandsInExactlyOneOutputOnEveryScheduler() throws {
        for seed in UInt64(1)...40 {
            var rng = SplitMix(state: seed)
            let n = Int.random(in: 0...6, using: &rng)
            let m = seed % 5 == 0 ? 1 : Int.random(in: 1...7, using: &rng)
            let data = Self.inputs(n, &rng)
            let (_, out) = Self.hashShuffled(data, outputs: m)
            // Reference: a loop over every row, appended to its hash's output.
            var expected = [[Row]](repeating: [], count: m)
            for (i, keys) in data.enumerated() {
                for (r, k) in keys.enumerated() { expected[Int(Self.hash(k) % UInt64(m))].append(Row(input: i, row: r, key: k)) }
            }
            for scheduler in [Scheduler.synchronous, .threads(3)] {
                let got = try TaskGraph(out.refs).compute(scheduler: scheduler).map { $0 as! [Row] }
                #expect(got == expected, "seed \(seed), N \(n), M \(m), \(scheduler)")
                let all = got.flatMap { $0 }
                #expect(all.count == data.reduce(0) { $0 + $1.count } && Set(all).count == all.count, "seed \(seed)")
            }
        }
    }

    @Test func rangeSplitWithSharedBoundariesGivesSortedConsecutiveRanges() throws {
        for seed in UInt64(100)...130 {
            var rng = SplitMix(state: seed)
            let n = Int.random(in: 0...5, using: &rng), m = Int.random(in: 1...6, using: &rng)
            let data = Self.inputs(n, &rng)
            let source = Layer(kind: "source", values: data)
            // Boundaries decided at run time from every input, as a sort's are.
            let bounds = Layer(kind: "bounds", count: 1) { _ in
                TaskSpec(inputs: source.refs) { args in
                    let all = args.flatMap { $0 as! [Int64] }.sorted()
                    return all.isEmpty ? [Int64]() : (1..<m).map { all[$0 * all.count / m] }
                }
            }
            let shuffle = Shuffle(kind: "range", inputs: source.refs, shared: [bounds[0]], outputs: m) { _, args in
                let keys = args[0] as! [Int64], b = args[1] as! [Int64]
                let rows = Shuffle.rowsByOutput(count: keys.count, outputs: m) { r in b.filter { $0 <= keys[r] }.count }
                return rows.map { r in r.map { keys[$0] } }
            }
            let out = shuffle.combined(kind: "range-sort") { _, pieces in pieces.flatMap { $0 as! [Int64] }.sorted() }
            let reference = data.flatMap { $0 }.sorted()
            for scheduler in [Scheduler.synchronous, .threads(2)] {
                let got = try TaskGraph(out.refs).compute(scheduler: scheduler).map { $0 as! [Int64] }
                #expect(got.count == m)
                #expect(got.flatMap { $0 } == reference, "seed \(seed), N \(n), M \(m)")
            }
        }
    }

    @Test func layersCarryTheirRoleAndPiecesComeInInputOrder() {
        let source = Layer(kind: "source", values: [[Int64](), [1], [2, 3]])
        let (shuffle, _) = Self.hashShuffled([[], [1], [2, 3]], outputs: 4)
        #expect(shuffle.inputCount == 3 && shuffle.outputCount == 4)
        #expect(shuffle.split.shuffleRole == .split(outputs: 4))
        #expect(shuffle.pieces.shuffleRole == .pieces(inputs: 3, outputs: 4))
        #expect(shuffle.pieces.grid == [3, 4] && shuffle.split.kind == "test-split" && shuffle.pieces.kind == "test-piece")
        #expect(source.shuffleRole == nil)
        #expect(shuffle.pieces(for: 2).map(\.index) == [2, 6, 10])
        #expect(shuffle.pieces(for: 2).allSatisfy { $0.layer === shuffle.pieces })
    }

    @Test func aSplitWithTheWrongNumberOfPiecesIsATypedError() {
        let source = Layer(kind: "source", values: [1, 2])
        let shuffle = Shuffle(kind: "bad", inputs: source.refs, outputs: 3) { i, args in i == 1 ? [args[0], args[0]] : [args[0], args[0], args[0]] }
        let out = shuffle.combined(kind: "bad-concat") { _, pieces in pieces.count }
        for scheduler in [Scheduler.synchronous, .threads(2)] {
            #expect {
                _ = try TaskGraph(out.refs).compute(scheduler: scheduler)
            } throws: { error in
                guard let f = error as? TaskFailure, let e = f.underlying as? ShuffleError else { return false }
                return f.kind == "bad-split" && e.input == 1 && e.expected == 3 && e.got == 2
                    && "\(e)" == "shuffle bad: input 1 was split into 2 pieces, not 3"
            }
        }
    }

    @Test func rowsByOutputMatchesAnAppendLoop() {
        var rng = SplitMix(state: 7)
        for _ in 0..<50 {
            let m = Int.random(in: 1...9, using: &rng)
            let dest = (0..<Int.random(in: 0...100, using: &rng)).map { _ in Int.random(in: 0..<m, using: &rng) }
            var expected = [[Int]](repeating: [], count: m)
            for (r, d) in dest.enumerated() { expected[d].append(r) }
            #expect(Shuffle.rowsByOutput(count: dest.count, outputs: m) { dest[$0] } == expected)
            let hashes = dest.map { UInt64($0) &+ UInt64(m) * UInt64.random(in: 0...(UInt64.max / 16), using: &rng) }
            #expect(Shuffle.rowsByHash(hashes, outputs: m) == expected)
        }
    }
}

/// Where `Placement` puts a shuffle's tasks: pieces with their split, outputs spread over ranks.
@Suite struct ShufflePlacementTests {
    static func rank(of ref: TaskRef, in plan: ExecutionPlan, _ p: Placement) -> Int {
        PlacementTests.rank(of: ref, in: plan, p)
    }

    @Test(arguments: [(4, 4, 2), (3, 8, 4), (5, 3, 3), (2, 6, 4)])
    func piecesStayWithTheirSplitAndOutputsSpread(n: Int, m: Int, ranks: Int) {
        let source = Layer(kind: "source", count: n) { i in TaskSpec { _ in [Int64(i)] } }
        let shuffle = Shuffle(kind: "s", inputs: source.refs, outputs: m) { _, args in (0..<m).map { _ in args[0] } }
        // One output a plain task, the others a tree of combines over the pieces (as groupby's).
        let out = Layer(kind: "out", count: m) { j in
            TaskSpec(inputs: shuffle.pieces(for: j)) { $0.count }
        }
        let top = Layer(kind: "top", count: m) { j in TaskSpec(inputs: [out[j]]) { $0[0] } }
        let plan = TaskGraph(top.refs).plan(optimize: false)
        let p = Placement(plan: plan, ranks: ranks)
        for i in 0..<n {
            let r = Self.rank(of: shuffle.split[i], in: plan, p)
            for j in 0..<m { #expect(Self.rank(of: shuffle.pieces[i * m + j], in: plan, p) == r) }
        }
        for j in 0..<m {
            // Reference: output j of M on rank j * ranks / M, and what follows it stays there.
            #expect(Self.rank(of: out[j], in: plan, p) == j * ranks / m, "output \(j)")
            #expect(Self.rank(of: top[j], in: plan, p) == j * ranks / m)
        }
        #expect(Set((0..<m).map { Self.rank(of: out[$0], in: plan, p) }).count == min(m, ranks))
    }

    @Test func joinedShufflesSpreadWhereverTheirInputsAre() {
        // Two shuffles joined output by output (as a hash join's), their three inputs on ranks
        // 0 and 2 only: outputs still go one to a rank.
        let a = Layer(kind: "a", count: 1) { _ in TaskSpec { _ in 1 } }
        let b = Layer(kind: "b", count: 1) { _ in TaskSpec { _ in 2 } }
        let left = Shuffle(kind: "l", inputs: [a[0], b[0]], outputs: 4) { _, args in Array(repeating: args[0], count: 4) }
        let right = Shuffle(kind: "r", inputs: [a[0]], outputs: 4) { _, args in Array(repeating: args[0], count: 4) }
        let joined = Layer(kind: "join", count: 4) { j in TaskSpec(inputs: left.pieces(for: j) + right.pieces(for: j)) { $0.count } }
        let plan = TaskGraph(joined.refs).plan(optimize: false)
        let p = Placement(plan: plan, ranks: 4)
        #expect((0..<4).map { Self.rank(of: joined[$0], in: plan, p) } == [0, 1, 2, 3])
    }

    @Test func aPieceFusedIntoItsOutputFollowsTheSplit() throws {
        // One input: each output reads one piece, which fusion folds into it; the split's value
        // (every piece) must not travel, so the outputs stay with the split.
        let source = Layer(kind: "source", count: 3) { i in TaskSpec { _ in i } }
        let shuffle = Shuffle(kind: "s", inputs: [source[2]], outputs: 3) { _, args in [args[0], args[0], args[0]] }
        let out = shuffle.combined(kind: "out") { j, pieces in (pieces[0] as! Int) * 10 + j }
        let plan = TaskGraph(out.refs).plan()
        let p = Placement(plan: plan, ranks: 3)
        let splitRank = Self.rank(of: shuffle.split[0], in: plan, p)
        for i in 0..<plan.count where plan.refs[i].layer === out {
            #expect(plan.fusedCounts[i] == 2)
            #expect(Int(p.rankOfTask[i]) == splitRank)
        }
        #expect(try TaskGraph(out.refs).compute(scheduler: .threads(2)).map { $0 as! Int } == [20, 21, 22])
    }
}
