import Tessera

// merge: a broadcast join when one side is one partition (every partition of the other side
// joins it, no shuffle), a hash-partitioned join otherwise (both sides split by key hash into n
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
    ///   - broadcast: join every partition of the large side with the whole small side; by
    ///     default when the side to broadcast (right for inner and left joins, left for right
    ///     joins) has one partition. Outer joins always hash-partition.
    /// - Returns: the joined frame. Broadcast joins keep the large side's order; hash-partitioned
    ///   ones come out grouped by key hash.
    /// - Throws: `FrameError.unknownColumn`, `.schemaMismatch` for key types that can't be compared.
    /// - Complexity: O(left + right + output) work; a hash join moves every row once.
    public func merge(_ right: ChunkedFrame, leftOn: [String], rightOn: [String], how: JoinKind = .inner,
                      suffixes: (String, String) = ("_x", "_y"), broadcast: Bool? = nil) throws -> ChunkedFrame {
        let m = MergeParameters(leftOn: leftOn, rightOn: rightOn, how: how, suffixes: suffixes, broadcast: broadcast)
        return try adding(.merge(m), [right], schema: m.spec(schema, right.schema).schema)
    }

    /// The layers of a merge of this frame's partitions with `right`'s (the merge node's lowering).
    func mergeLayers(_ right: ChunkedFrame, spec: JoinSpec, broadcast: Bool?) -> [TaskRef] {
        let how = spec.how
        let l = partitions, r = right.partitions
        if l.isEmpty || r.isEmpty {
            return Layer(kind: "merge-empty", values: [Table(empty: spec.schema)]).refs
        }
        let broadcastRight = how == .inner || how == .left
        let broadcastLeft = how == .right
        let wantBroadcast = broadcast ?? ((broadcastRight && r.count == 1) || (broadcastLeft && l.count == 1))
        if wantBroadcast && (broadcastRight || broadcastLeft) {
            let small = broadcastRight ? r : l, large = broadcastRight ? l : r
            let gathered = Layer(kind: "merge-gather", count: 1) { _ in
                TaskSpec(inputs: small) { args in try Table.concatenate(args.map { $0 as! Table }) }
            }
            let joined = Layer(kind: "merge-broadcast", count: large.count) { i in
                TaskSpec(inputs: [large[i], gathered[0]]) { args in
                    let big = args[0] as! Table, whole = args[1] as! Table
                    return broadcastRight ? try spec.join(big, whole) : try spec.join(whole, big)
                }
            }
            return joined.refs
        }
        let n = Swift.max(l.count, r.count)
        func shuffle(_ parts: [TaskRef], _ on: [String], _ kind: String) -> @Sendable (Int) -> [TaskRef] {
            let split = Layer(kind: kind + "-split", count: parts.count) { i in
                TaskSpec(inputs: [parts[i]]) { args in
                    let t = args[0] as! Table
                    let h = keyHashes(try on.map { try t.column($0) })
                    var rows = [[Int]](repeating: [], count: n)
                    for (k, x) in h.enumerated() { rows[Int(x % UInt64(n))].append(k) }
                    return rows.map { t.take($0) }
                }
            }
            let pick = Layer(kind: kind + "-piece", count: parts.count * n, grid: [parts.count, n]) { t in
                TaskSpec(inputs: [split[t / n]]) { args in (args[0] as! [Table])[t % n] }
            }
            return { b in (0..<parts.count).map { pick[$0 * n + b] } }
        }
        let lb = shuffle(l, spec.leftOn, "merge-left"), rb = shuffle(r, spec.rightOn, "merge-right")
        let lcount = l.count
        let joined = Layer(kind: "merge-hash", count: n) { b in
            TaskSpec(inputs: lb(b) + rb(b)) { args in
                let left = try Table.concatenate(args[..<lcount].map { $0 as! Table })
                let right = try Table.concatenate(args[lcount...].map { $0 as! Table })
                return try spec.join(left, right)
            }
        }
        return joined.refs
    }

    /// Joins with `right` on columns of the same names on both sides; see `merge(_:leftOn:rightOn:how:suffixes:broadcast:)`.
    public func merge(_ right: ChunkedFrame, on: [String], how: JoinKind = .inner,
                      suffixes: (String, String) = ("_x", "_y"), broadcast: Bool? = nil) throws -> ChunkedFrame {
        try merge(right, leftOn: on, rightOn: on, how: how, suffixes: suffixes, broadcast: broadcast)
    }
}
