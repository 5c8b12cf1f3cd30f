import Tessera

// merge: a broadcast join when the side to gather is small (BroadcastChoice.swift; every
// partition of the other side joins it, no shuffle), a hash-partitioned join otherwise (both sides split by key hash into n
// buckets, bucket b of the left joined with bucket b of the right).

extension ChunkedFrame {
    /// Joins with `right` on equal key columns, like pandas' `merge`.
    ///
    /// ```swift
    /// let withNames = try flights.merge(airports, leftOn: ["Origin"], rightOn: ["Code"], how: .left)
    /// ```
    /// - Parameters:
    ///   - right: the other frame.
    ///   - leftOn: this frame's key columns.
    ///   - rightOn: `right`'s key columns, pairwise with `leftOn`; a pair with the same name gives
    ///     one output column.
    ///   - how: inner, left, right or outer.
    ///   - suffixes: appended to other columns whose names clash (`_x`, `_y`).
    ///   - broadcast: join every partition of the large side with the whole small side (true)
    ///     or hash-partition both sides (false). By default, broadcast when the side to broadcast
    ///     (right for inner and left joins, left for right joins) is estimated at most
    ///     `broadcastLimit` bytes from its files' sizes or known row counts, or, where the plan
    ///     can't estimate it (a groupby's output), when it has one partition. Outer joins always
    ///     hash-partition.
    ///   - broadcastLimit: without `broadcast`, the largest estimated size (bytes) broadcast;
    ///     `defaultBroadcastLimit` unless given.
    ///   - preserveOrder: keep pandas' row order through a hash-partitioned join (one more
    ///     shuffle of the joined rows); `false` leaves the rows grouped by key hash in
    ///     `max(left, right)` partitions, as dask does. Broadcast joins keep the order either way.
    /// - Returns: the joined frame, in pandas' order: inner and left joins keep the left rows'
    ///   order (each with its matches in right order), right joins the right rows'; outer joins
    ///   come out grouped by key hash. Partitions follow the kept side's.
    /// - Throws: `FrameError.unknownColumn`, `.schemaMismatch` for key types that can't be compared.
    /// - Complexity: O(left + right + output) work; a hash join moves every row once.
    public func merge(_ right: ChunkedFrame, leftOn: [String], rightOn: [String], how: JoinKind = .inner,
                      suffixes: (String, String) = ("_x", "_y"), broadcast: Bool? = nil,
                      broadcastLimit: Int = ChunkedFrame.defaultBroadcastLimit,
                      preserveOrder: Bool = true) throws -> ChunkedFrame {
        var m = MergeParameters(leftOn: leftOn, rightOn: rightOn, how: how, suffixes: suffixes, broadcast: broadcast)
        m.preserveOrder = preserveOrder
        m.broadcastLimit = broadcastLimit
        return try adding(.merge(m), [right], schema: m.spec(schema, right.schema).schema)
    }

    /// The layers of a merge of this frame's partitions with `right`'s (the merge node's lowering).
    func mergeLayers(_ right: ChunkedFrame, spec: JoinSpec, broadcast: Bool, preserveOrder: Bool = true) -> [TaskRef] {
        let how = spec.how
        let l = partitions, r = right.partitions
        if l.isEmpty || r.isEmpty {
            return Layer(kind: "merge-empty", values: [Table(empty: spec.schema)]).refs
        }
        let broadcastRight = how == .inner || how == .left
        let broadcastLeft = how == .right
        if broadcast && (broadcastRight || broadcastLeft) {
            let small = broadcastRight ? r : l, large = broadcastRight ? l : r
            // The small side is gathered and its keys indexed once; every partition of the large
            // side probes that one index.
            let keys = broadcastRight ? spec.rightOn : spec.leftOn
            let gathered = Layer(kind: "merge-gather", count: 1) { _ in
                TaskSpec(inputs: small) { args in
                    try JoinBuildSide(table: try Table.concatenate(args.map { $0 as! Table }).dictionaryEncodingText(), keys: keys)
                }
            }
            let joined = Layer(kind: "merge-broadcast", count: large.count) { i in
                TaskSpec(inputs: [large[i], gathered[0]]) { args in
                    let big = args[0] as! Table, whole = args[1] as! JoinBuildSide
                    return broadcastRight ? try spec.joinWithOrigins(big, whole.table, index: whole.index).table
                        : try spec.joinWithOrigins(whole.table, big, index: whole.index).table
                }
            }
            return joined.refs
        }
        let n = Swift.max(l.count, r.count)
        // The side whose row order the output keeps, as pandas: left for inner and left joins,
        // right for right joins; outer joins come out grouped by key hash.
        let keep: JoinSide? = how == .outer || !preserveOrder ? nil : (how == .right ? .right : .left)
        @Sendable func split(_ on: [String], tagged: Bool) -> @Sendable (Int, [Any]) throws -> [Any] {
            { i, args in try TaggedRows.hashPieces(args[0] as! Table, keys: on, outputs: n, partition: tagged ? i : nil) }
        }
        let lb = Shuffle(kind: "merge-left", inputs: l, outputs: n, split: split(spec.leftOn, tagged: keep == .left))
        let rb = Shuffle(kind: "merge-right", inputs: r, outputs: n, split: split(spec.rightOn, tagged: keep == .right))
        let lcount = l.count
        let joined = Layer(kind: "merge-hash", count: n) { b in
            TaskSpec(inputs: lb.pieces(for: b) + rb.pieces(for: b)) { args in
                let lp = args[..<lcount].map { $0 as! TaggedRows }, rp = args[lcount...].map { $0 as! TaggedRows }
                let (table, li, ri) = try spec.joinWithOrigins(try Table.concatenate(lp.map(\.table)), try Table.concatenate(rp.map(\.table)))
                guard let keep else { return TaggedRows(table: table, origins: []) }
                let origins = (keep == .left ? lp : rp).flatMap(\.origins)
                return TaggedRows(table: table, origins: (keep == .left ? li : ri).map { origins[$0] })
            }
        }
        guard let keep else {
            return Layer(kind: "merge-untag", count: n) { b in TaskSpec(inputs: [joined[b]]) { ($0[0] as! TaggedRows).table } }.refs
        }
        // Back to the kept side's partitions, each in its rows' order (a stable sort by origin
        // keeps one row's matches in the other side's order).
        let outCount = keep == .left ? l.count : r.count
        let back = Shuffle(kind: "merge-order", inputs: joined.refs, outputs: outCount) { _, args in
            let t = args[0] as! TaggedRows
            let rows = Shuffle.rowsByOutput(count: t.origins.count, outputs: outCount) { Int(t.origins[$0] >> 32) }
            return zip(t.table.pieces(rows), rows).map { piece, r in TaggedRows(table: piece, origins: r.map { t.origins[$0] }) }
        }
        let ordered = Layer(kind: "merge-ordered", count: outCount) { p in
            TaskSpec(inputs: back.pieces(for: p)) { args in
                let parts = args.map { $0 as! TaggedRows }
                let origins = parts.flatMap(\.origins)
                let table = try Table.concatenate(parts.map(\.table))
                // Origins are non-negative, so their bit patterns sort as they do; the radix sort
                // is stable and linear (a comparison sort of a million tuples was most of this task).
                return table.take(radixSortPermutation(origins.map { UInt64(bitPattern: $0) }))
            }
        }
        return ordered.refs
    }

    /// Joins with `right` on columns of the same names on both sides; see `merge(_:leftOn:rightOn:how:suffixes:broadcast:broadcastLimit:preserveOrder:)`.
    public func merge(_ right: ChunkedFrame, on: [String], how: JoinKind = .inner,
                      suffixes: (String, String) = ("_x", "_y"), broadcast: Bool? = nil,
                      broadcastLimit: Int = ChunkedFrame.defaultBroadcastLimit,
                      preserveOrder: Bool = true) throws -> ChunkedFrame {
        try merge(right, leftOn: on, rightOn: on, how: how, suffixes: suffixes, broadcast: broadcast,
                  broadcastLimit: broadcastLimit, preserveOrder: preserveOrder)
    }
}

/// Which side of a merge.
enum JoinSide: Sendable { case left, right }

/// Rows on their way through a merge's shuffles, with where each came from on the side whose
/// order the output keeps (empty when none is kept).
struct TaggedRows: @unchecked Sendable {
    let table: Table
    /// `partition << 32 | row` of each row, so sorting by it restores that side's order.
    let origins: [Int64]

    static func origin(_ partition: Int, _ row: Int) -> Int64 { Int64(partition) << 32 | Int64(row) }

    /// What a hash join's shuffle sends on from one partition: its rows cut by key hash into
    /// `outputs` pieces (`Table.pieces`, so a piece of dictionary-encoded text carries only the
    /// strings its rows use), tagged with their origins in `partition` when it is given.
    /// - Throws: `FrameError.unknownColumn` for a key that isn't a column.
    /// - Complexity: O(rows × columns + bytes of the strings the pieces use).
    static func hashPieces(_ table: Table, keys: [String], outputs: Int, partition: Int?) throws -> [TaggedRows] {
        let rows = Shuffle.rowsByHash(keyHashes(try keys.map { try table.column($0) }), outputs: outputs)
        return zip(table.pieces(rows), rows).map { piece, r in
            TaggedRows(table: piece, origins: partition.map { p in r.map { origin(p, $0) } } ?? [])
        }
    }
}
