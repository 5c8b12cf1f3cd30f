import Tessera
import Testing
@testable import TesseraFrame

/// The automatic split-out streams: its decision (how many key ranges, and where) reads the first
/// chunks' partial groups only, so every other chunk is cut into its buckets as soon as it exists.
/// The first chunks may mislead it (keys sorted across partitions, empty first partitions): the
/// buckets are then uneven, but the answer is the one of the single combine.
@Suite struct StreamingSplitTests {
    typealias Rng = SplitMix64

    /// The tasks of layers of `kind` reachable from `refs`.
    static func tasks(_ refs: [TaskRef], kind: String) -> [TaskRef] {
        var seen = Set<TaskKeyID>()
        var stack = refs
        var found: [TaskRef] = []
        while let ref = stack.popLast() {
            guard seen.insert(TaskKeyID(ref)).inserted else { continue }
            if ref.layer.kind == kind { found.append(ref) }
            stack.append(contentsOf: ref.layer.task(ref.index).inputs)
        }
        return found
    }

    @Test func theDecisionWaitsForTheFirstTwoChunksOnly() throws {
        let t = try ManyGroupsTests.table(900, seed: 5, dictionary: true)
        let frame = try ChunkedFrame(tables: (0..<9).map { t.slice($0 * 100..<($0 + 1) * 100) })
        for splitOut in [1, 3] {
            let out = try frame.groupby(["a", "b"]).agg(ManyGroupsTests.aggregations, splitOut: splitOut)
            let deciding = Self.tasks(out.partitions, kind: "groupby-boundaries")
            #expect(deciding.count == 1)
            // Its inputs are the partial groups of partitions 0 and 1, not of all nine.
            let inputs = deciding.first.map { $0.layer.task($0.index).inputs } ?? []
            #expect(inputs.count == 2, "the split decision reads \(inputs.count) chunks")
            #expect(inputs.allSatisfy { $0.layer.kind == "groupby-chunk" } && inputs.map(\.index) == [0, 1])
            // Each split reads its own chunk and the decision: nothing else holds a chunk back.
            let splits = Self.tasks(out.partitions, kind: "groupby-split")
            #expect(splits.count == 9)
            for s in splits {
                let ins = s.layer.task(s.index).inputs
                #expect(ins.count == 2 && ins[0].layer.kind == "groupby-chunk" && ins[0].index == s.index && ins[1].layer.kind == "groupby-boundaries")
            }
        }
    }

    /// Keys sorted across partitions (the first chunks see only the smallest keys, so every later
    /// key falls past the last boundary), and empty first partitions (no key to sample at all):
    /// the same table as the single combine, whatever the split.
    @Test(arguments: [false, true])
    func misleadingFirstChunksGiveTheSameAnswer(emptyFirst: Bool) throws {
        var r = Rng(state: emptyFirst ? 11 : 12)
        let unsorted = try ManyGroupsTests.table(1200, seed: r.next(), dictionary: false)
        let keys = ["b", "d", "a"]
        let sorted = unsorted.take(sortPermutation(try keys.map { try unsorted.column($0) }, ascending: [true, true, true]))
        var cuts = (0..<7).map { _ in r.below(sorted.rowCount) } + [0, sorted.rowCount]
        if emptyFirst { cuts += [0, 0, 0] }
        cuts.sort()
        let frame = try ChunkedFrame(tables: zip(cuts, cuts.dropFirst()).map { sorted.slice($0..<$1) })
        let expected = try ManyGroupsTests.reference(sorted, keys: keys, dropna: false)
        var single = try frame.groupby(keys, dropna: false)
        single.autoSplitGroups = Int.max
        let baseline = try single.agg(ManyGroupsTests.aggregations).compute(scheduler: .threads(2))
        #expect(baseline.rowCount == expected.count)
        for (row, e) in expected.enumerated() where row < baseline.rowCount {
            #expect(compareRows(try ManyGroupsTests.key(baseline, keys, row), e.key) == 0, "row \(row)")
            #expect(baseline.columns[keys.count][row] == .int64(e.sum) && baseline.columns[keys.count + 2][row] == .int64(e.size))
        }
        for (threshold, splitOut) in [(0, 1), (0, 4), (Int.max, 3)] {
            var g = try frame.groupby(keys, dropna: false)
            g.autoSplitGroups = threshold
            let out = try g.agg(ManyGroupsTests.aggregations, splitOut: splitOut)
            #expect(out.partitionCount == splitOut)
            for scheduler in [Scheduler.threads(1), .threads(3)] {
                let table = try out.compute(scheduler: scheduler)
                #expect(table.rowCount == baseline.rowCount)
                for c in 0..<table.columnCount {
                    #expect(table.columns[c].elements.map(\.description) == baseline.columns[c].elements.map(\.description),
                            "threshold \(threshold) splitOut \(splitOut) column \(table.names[c])")
                }
            }
        }
    }

    /// The group count is estimated from the first chunks scaled to all of them: four chunks of
    /// 100 distinct keys each look like 400 partial groups, above a threshold of 300 (split) and
    /// below one of 500 (no split); the answer is the same either way.
    @Test func theEstimateScalesTheFirstChunksToAll() throws {
        let parts = (0..<4).map { p in
            PartialGroups(keys: try! Table(["k": Column(int64: (0..<100).map { Int64(p * 100 + $0) })]), states: [])
        }
        let split = try BucketSplitter(Array(parts.prefix(2)), of: 4, requested: 1, buckets: 4, autoSplitGroups: 300)
        #expect(split.ranges == 4 && split.splitter != nil)
        let whole = try BucketSplitter(Array(parts.prefix(2)), of: 4, requested: 1, buckets: 4, autoSplitGroups: 500)
        #expect(whole.ranges == 1 && whole.splitter == nil)
        // The keys of the chunks not seen still find a bucket: those past the last boundary go
        // to the last one, in key order.
        let pieces = split.split(parts[3])
        #expect(pieces.count == 4 && pieces.map(\.groupCount).reduce(0, +) == 100)
        #expect(pieces.last?.groupCount == 100)
    }
}
