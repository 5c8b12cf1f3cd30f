// One partition-level join: the output columns of a merge, and the hash join of two tables.

/// The kind of a merge, as pandas names them.
public enum JoinKind: String, Sendable, CaseIterable {
    /// Rows whose keys appear on both sides.
    case inner
    /// Every left row, with the matching right rows or missing values.
    case left
    /// Every right row, with the matching left rows or missing values.
    case right
    /// Every row of both sides.
    case outer
}

/// What a merge outputs and how to join two partitions.
struct JoinSpec: @unchecked Sendable {
    let leftOn: [String]
    let rightOn: [String]
    let how: JoinKind
    /// Output names of the left columns, in order.
    let leftNames: [String]
    /// The right columns that appear in the output (key columns shared by name are merged into
    /// the left one), with their output names.
    let rightColumns: [(name: String, output: String)]
    /// The key columns named alike on both sides: one output column each (the left's, filled
    /// from the right where a row has no left match).
    let mergedKeys: Set<String>
    /// The output schema.
    let schema: Schema

    /// - Throws: `FrameError.unknownColumn` for a key that isn't a column, `.invalidArgument` when
    ///   the key lists differ in length, `.schemaMismatch` when a key pair's types can't be
    ///   compared (int64 with float64 is fine; text with numbers is not).
    init(left: Schema, right: Schema, leftOn: [String], rightOn: [String], how: JoinKind, suffixes: (String, String)) throws {
        guard !leftOn.isEmpty, leftOn.count == rightOn.count else {
            throw FrameError.invalidArgument("merge needs the same number of left and right keys (at least one), got \(leftOn) and \(rightOn)")
        }
        for (a, b) in zip(leftOn, rightOn) {
            let fa = try left.field(a), fb = try right.field(b)
            let numeric: Set<DataType> = [.int64, .float64]
            if fa.type != fb.type && !(numeric.contains(fa.type) && numeric.contains(fb.type)) {
                throw FrameError.schemaMismatch(
                    "merge keys '\(a)' (\(fa.type)) and '\(b)' (\(fb.type)) have different types; convert one with astype first")
            }
        }
        self.leftOn = leftOn
        self.rightOn = rightOn
        self.how = how
        var merged = Set<String>()
        for (a, b) in zip(leftOn, rightOn) where a == b { merged.insert(a) }
        mergedKeys = merged
        let rightKept = right.names.filter { !merged.contains($0) }
        let clash = Set(left.names).intersection(rightKept)
        leftNames = left.names.map { clash.contains($0) ? $0 + suffixes.0 : $0 }
        rightColumns = rightKept.map { ($0, clash.contains($0) ? $0 + suffixes.1 : $0) }
        let outNames = leftNames + rightColumns.map(\.output)
        guard Set(outNames).count == outNames.count else {
            throw FrameError.invalidArgument("merge output has duplicate columns \(outNames); choose other suffixes")
        }
        var fields: [Field] = []
        for (f, name) in zip(left.fields, leftNames) {
            var t = f.type
            if merged.contains(f.name), let rf = right[f.name] { t = t.unified(with: rf.type) }
            fields.append(Field(name, t, nullable: f.nullable || how == .right || how == .outer))
        }
        for (name, output) in rightColumns {
            let f = right[name]!
            fields.append(Field(output, f.type, nullable: f.nullable || how == .left || how == .outer))
        }
        schema = Schema(fields)
    }

    /// Joins two partitions: a hash join through dense key codes. Order: for inner and left, the
    /// left rows in order, each with its matches in right order; for right, the right rows in
    /// order with their left matches; for outer, the left rows then the unmatched right rows.
    /// Missing keys match each other, as in pandas.
    /// - Complexity: O(left + right + output).
    func join(_ l: Table, _ r: Table) throws -> Table { try joinWithOrigins(l, r).table }

    /// The side whose keys are indexed (the other side's rows are looked up in it, in order):
    /// the right for inner, left and outer joins, the left for right joins.
    var buildSide: JoinSide { how == .right ? .left : .right }

    /// The index of `table`'s keys as the build side of this join (see `buildSide`).
    /// - Complexity: O(rows × keys) expected.
    func buildIndex(_ table: Table) throws -> JoinIndex {
        JoinIndex(keys: try (buildSide == .left ? leftOn : rightOn).map { try table.column($0) })
    }

    /// `join`, with the row of `l` and of `r` behind each output row (-1 where that side has none).
    /// - Complexity: O(left + right + output).
    func joinWithOrigins(_ l: Table, _ r: Table) throws -> (table: Table, left: [Int], right: [Int]) {
        try joinWithOrigins(l, r, index: try buildIndex(buildSide == .left ? l : r))
    }

    /// `joinWithOrigins(_:_:)` with the build side's keys already indexed (`index` is of `r`'s
    /// keys, or of `l`'s for a right join): what every partition of a broadcast join runs.
    /// - Complexity: O(probe side + output), plus O(build side) when a key column's type differs
    ///   between the two (`JoinIndex.aligned(with:)`).
    func joinWithOrigins(_ l: Table, _ r: Table, index: JoinIndex) throws -> (table: Table, left: [Int], right: [Int]) {
        let nl = l.rowCount
        let probeTable = buildSide == .left ? r : l
        let (index, probeKeys) = index.aligned(with: try (buildSide == .left ? rightOn : leftOn).map { try probeTable.column($0) })
        let pairs = JoinPairs(groups: index.groups(of: probeKeys), index: index, keepUnmatched: how != .inner,
                              unmatchedBuild: how == .outer)
        let (li, ri) = buildSide == .left ? (pairs.build, pairs.probe) : (pairs.probe, pairs.build)
        // Every left row gave exactly one output row, in order: then the left columns are the
        // output's as they are (an inner join where every key matches once, a left join on a
        // unique right key: the common cases).
        let leftAsIs = buildSide == .right && pairs.probeAsIs
        let liMissing = buildSide == .left ? pairs.buildMissing : pairs.probeMissing
        let riMissing = buildSide == .left ? pairs.probeMissing : pairs.buildMissing
        var columns: [Column] = []
        var combinedKeys: [Int: Column] = [:]
        for (k, name) in l.names.enumerated() {
            if leftAsIs {
                columns.append(l.columns[k])
            } else if mergedKeys.contains(name), let pos = leftOn.firstIndex(of: name), liMissing {
                // A merged key takes the right side's value where there is no left row.
                let combined = try combinedKeys[pos] ?? Column.concatenate([l.column(leftOn[pos]), r.column(rightOn[pos])])
                combinedKeys[pos] = combined
                columns.append(combined.take(optional: zip(li, ri).map { $0 >= 0 ? $0 : nl + $1 }))
            } else {
                columns.append(pairs.take(l.columns[k], li, hasMissing: liMissing))
            }
        }
        for (name, _) in rightColumns {
            columns.append(pairs.take(try r.column(name), ri, hasMissing: riMissing))
        }
        return (try Table(names: leftNames + rightColumns.map(\.output), columns: columns, rowCount: li.count), li, ri)
    }
}
