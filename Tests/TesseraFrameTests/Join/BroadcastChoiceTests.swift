import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// A merge without `broadcast` chooses by the estimated size of the side it would gather, not by
/// its partition count; the hash join's shuffle pieces carry only the strings their rows use.
@Suite struct BroadcastChoiceTests {
    /// Which join the merge's task graph holds: broadcast tasks, hash-join tasks.
    static func strategy(_ frame: ChunkedFrame) -> (broadcast: Int, hash: Int) {
        let refs = frame.partitions
        return (taskCount(refs, kind: "merge-broadcast"), taskCount(refs, kind: "merge-hash"))
    }

    /// Left: 40 rows over keys 0..<10 in 3 partitions; right: 10 rows (keys 0..<12 step 1, some
    /// repeated, some unmatched) in `rightParts` partitions.
    static func frames(rightParts: Int) throws -> (ChunkedFrame, ChunkedFrame, Table, Table) {
        let l = try Table(["k": Column(int64: (0..<40).map { Int64(($0 * 7) % 10) }), "v": Column(int64: (0..<40).map { Int64($0) })])
        let rk: [Int64] = [3, 0, 11, 3, 9, 5, 10, 1, 1, 7]
        let r = try Table(["k": Column(int64: rk), "w": Column(int64: (0..<10).map { Int64(100 + $0) })])
        let lf = try ChunkedFrame(l, partitionSize: 14)
        let rf = try ChunkedFrame(r, partitionSize: (10 + rightParts - 1) / rightParts)
        return (lf, rf, l, r)
    }

    static func rows(_ t: Table) -> [[String]] {
        JoinDifferentialTests.normalised((0..<t.rowCount).map { t.row($0) })
    }

    /// A small side in several partitions is broadcast; a side in one partition but over the
    /// limit is hash-partitioned; the user's `broadcast` overrides either way; the rows are
    /// pandas' either way (against the nested loops).
    @Test(arguments: [JoinKind.inner, .left, .right])
    func inMemoryChoiceFollowsSize(how: JoinKind) throws {
        for rightParts in [1, 4] {
            let (lf, rf, l, r) = try Self.frames(rightParts: rightParts)
            // Estimated: rows × columns × 8 bytes (right: 160, left: 640).
            #expect(rf.node.estimatedBytes == 160)
            #expect(lf.node.estimatedBytes == 640)
            let expected = JoinDifferentialTests.normalised(JoinDifferentialTests.reference(l, r, keys: 1, how))
            let gathered = how == .right ? 640 : 160
            for (limit, forced, broadcasts) in [(gathered, nil, true), (gathered - 1, nil, false), (1 << 30, nil, true),
                                                (0, true, true), (1 << 30, false, false)] as [(Int, Bool?, Bool)] {
                let merged = try lf.merge(rf, on: ["k"], how: how, broadcast: forced, broadcastLimit: limit)
                let s = Self.strategy(merged)
                let context = "\(how) right partitions \(rightParts) limit \(limit) forced \(String(describing: forced))"
                #expect((s.broadcast > 0) == broadcasts, "\(context)")
                #expect((s.hash > 0) == !broadcasts, "\(context)")
                #expect(Self.rows(try merged.compute(scheduler: .threads(3))) == expected, "\(context)")
            }
        }
    }

    /// CSV sides are estimated from their files' sizes (the data after the header, scaled by the
    /// share of the columns read), so several small files are broadcast and one file over the
    /// limit is not.
    @Test func csvSidesAreEstimatedFromFileSizes() throws {
        let dir = temporaryDirectory()
        var leftText = "k,v\n"
        for i in 0..<30 { leftText += "\(i % 6),\(i)\n" }
        _ = writeCSV(leftText, name: "left.csv", in: dir)
        let rightDir = dir.appendingPathComponent("right")
        try FileManager.default.createDirectory(at: rightDir, withIntermediateDirectories: true)
        var dataBytes = 0
        for f in 0..<3 {
            var body = ""
            for j in 0..<4 { body += "\((f * 4 + j) % 7),n\(f)\(j),\(Double(f * 10 + j) / 4)\n" }
            dataBytes += body.utf8.count
            _ = writeCSV("k,name,w\n" + body, name: "part-\(f).csv", in: rightDir)
        }
        let left = try readCSV(dir.appendingPathComponent("left.csv").path)
        let right = try readCSV(rightDir.path)
        #expect(right.partitionCount == 3)
        #expect(right.node.estimatedBytes == dataBytes)
        // Two of the three columns: two thirds of the bytes.
        let twoThirds = try #require(try right.select(["k", "w"]).node.estimatedBytes)
        #expect(abs(twoThirds - dataBytes * 2 / 3) <= 1)
        let lt = try left.compute(), rt = try right.compute()
        let expected = JoinDifferentialTests.normalised(JoinDifferentialTests.reference(
            try lt.select(["k", "v"]), try rt.select(["k", "w"]), keys: 1, .inner))
        // The merge reads only k and w of the right side: the estimate that decides is theirs
        // (two thirds of the files): a limit of three quarters of the files broadcasts, half of them not.
        for (limit, broadcasts) in [(dataBytes * 3 / 4, true), (dataBytes / 2, false)] {
            let merged = try left.merge(right.select(["k", "w"]), on: ["k"], how: .inner, broadcastLimit: limit)
            let s = Self.strategy(merged)
            #expect((s.broadcast > 0) == broadcasts, "limit \(limit)")
            #expect((s.hash > 0) == !broadcasts, "limit \(limit)")
            #expect(Self.rows(try merged.compute()) == expected, "limit \(limit)")
        }
    }

    /// A side whose size the plan can't know (a groupby's output) falls back to its partition
    /// count: one partition broadcasts, several hash-partition.
    @Test func unknownSizeFallsBackToPartitionCount() throws {
        let (lf, rf, _, _) = try Self.frames(rightParts: 4)
        let one = try rf.groupby("k").agg([NamedAggregation("w", .sum)])
        #expect(one.node.estimatedBytes == nil)
        #expect(Self.strategy(try lf.merge(one, on: ["k"])).broadcast > 0)
        let several = try rf.groupby("k").agg([NamedAggregation("w", .sum)], splitOut: 3)
        #expect(Self.strategy(try lf.merge(several, on: ["k"])).hash > 0)
        #expect(MergeParameters.chooseBroadcast(estimatedBytes: nil, partitions: 1, limit: 0))
        #expect(!MergeParameters.chooseBroadcast(estimatedBytes: nil, partitions: 2, limit: .max))
        #expect(MergeParameters.chooseBroadcast(estimatedBytes: 10, partitions: 9, limit: 10))
        #expect(!MergeParameters.chooseBroadcast(estimatedBytes: 11, partitions: 1, limit: 10))
    }

    /// A hash join's shuffle piece of dictionary-encoded text carries only the strings its rows
    /// use, in full; every row lands in exactly one piece with its values and origin.
    @Test func hashPiecesCarryOnlyTheirStrings() throws {
        var rng = SplitMix64(state: 5)
        let words = (0..<300).map { "word-\($0)-\(String(repeating: "x", count: $0 % 7))" }
        let n = 500
        let picks: [String?] = (0..<n).map { _ in rng.below(9) == 0 ? nil : words[rng.below(words.count)] }
        let t = try Table(["k": Column(int64: (0..<n).map { _ in Int64(rng.below(50)) }),
                           "s": Column(dictionaryEncoding: picks)])
        let pieces = try TaggedRows.hashPieces(t, keys: ["k"], outputs: 4, partition: 3)
        #expect(pieces.count == 4)
        var seen = [Bool](repeating: false, count: n)
        for p in pieces {
            let s = try p.table.column("s")
            guard case .string(.dictionary(let codes, let d)) = s.values else {
                Issue.record("piece text is not dictionary-encoded")
                continue
            }
            // The distinct strings of the piece's rows, from the input as written.
            let distinct = Set(p.origins.compactMap { picks[Int($0 & 0xFFFF_FFFF)] })
            #expect(!distinct.isEmpty)
            #expect(d.count == distinct.count, "a piece's dictionary holds \(d.count) strings, its rows use \(distinct.count)")
            #expect(codes.count == p.table.rowCount)
            #expect(p.origins.count == p.table.rowCount)
            for (i, o) in p.origins.enumerated() {
                #expect(o >> 32 == 3)
                let row = Int(o & 0xFFFF_FFFF)
                #expect(!seen[row])
                seen[row] = true
                #expect(p.table.row(i) == t.row(row))
            }
        }
        #expect(seen.allSatisfy { $0 })
    }

    /// Hash partitioning spreads keys over the buckets: small integers (whose doubles have their
    /// low bits zero), their float64 equals (the same buckets), and short text. Each of 8 buckets
    /// gets 1000 distinct keys' share within a generous band (125 expected).
    @Test func hashPartitionsSpreadKeys() throws {
        let ints = Column(int64: (0..<1000).map { Int64($0) })
        let doubles = Column(float64: (0..<1000).map { Double($0) })
        let texts = Column(string: (0..<1000).map { "id\($0)" })
        for c in [ints, doubles, texts] {
            let rows = Shuffle.rowsByHash(keyHashes([c]), outputs: 8)
            #expect(rows.allSatisfy { (60...190).contains($0.count) }, "\(c.type): \(rows.map(\.count))")
        }
        #expect(keyHashes([ints]) == keyHashes([doubles]))
    }
}
