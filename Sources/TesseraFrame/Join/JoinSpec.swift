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

    /// `join`, with the row of `l` and of `r` behind each output row (-1 where that side has none).
    /// - Complexity: O(left + right + output).
    func joinWithOrigins(_ l: Table, _ r: Table) throws -> (table: Table, left: [Int], right: [Int]) {
        let nl = l.rowCount, nr = r.rowCount
        let lk = try leftOn.map { try l.column($0) }, rk = try rightOn.map { try r.column($0) }
        let combined = zip(lk, rk).map { Column.concatenate([$0, $1]) }
        let ids = (nl + nr == 0) ? [] : Grouping(keys: combined, dropna: false).ids
        let groups = (ids.max().map { Int($0) + 1 }) ?? 0
        // Rows of each side by key code (CSR).
        func index(_ base: Int, _ count: Int) -> (start: [Int], rows: [Int]) {
            var start = [Int](repeating: 0, count: groups + 1)
            for i in 0..<count { start[Int(ids[base + i]) + 1] += 1 }
            for g in 0..<groups { start[g + 1] += start[g] }
            var fill = start
            var rows = [Int](repeating: 0, count: count)
            for i in 0..<count { let g = Int(ids[base + i]); rows[fill[g]] = i; fill[g] += 1 }
            return (start, rows)
        }
        var li: [Int] = [], ri: [Int] = []
        li.reserveCapacity(how == .right ? nr : nl)
        ri.reserveCapacity(how == .right ? nr : nl)
        // Whether every left row gave exactly one output row, in order: then the left columns
        // are the output's as they are (a left join on a unique right key, the common case).
        var leftAsIs = how != .right && how != .outer
        if how == .right {
            let left = index(0, nl)
            for j in 0..<nr {
                let g = Int(ids[nl + j])
                let range = left.start[g]..<left.start[g + 1]
                if range.isEmpty { li.append(-1); ri.append(j) }
                for p in range { li.append(left.rows[p]); ri.append(j) }
            }
        } else {
            let right = index(nl, nr)
            var matched = [Bool](repeating: false, count: how == .outer ? nr : 0)
            for i in 0..<nl {
                let g = Int(ids[i])
                let range = right.start[g]..<right.start[g + 1]
                if range.count > 1 || (range.isEmpty && how == .inner) { leftAsIs = false }
                if range.isEmpty && how != .inner { li.append(i); ri.append(-1) }
                for p in range { li.append(i); ri.append(right.rows[p]) }
                if how == .outer { for p in range { matched[right.rows[p]] = true } }
            }
            if how == .outer {
                for j in 0..<nr where !matched[j] { li.append(-1); ri.append(j) }
            }
        }
        var columns: [Column] = []
        for (k, name) in l.names.enumerated() {
            if leftAsIs {
                columns.append(l.columns[k])
            } else if mergedKeys.contains(name), let pos = leftOn.firstIndex(of: name), li.contains(-1) {
                // A merged key takes the right side's value where there is no left row.
                columns.append(combined[pos].take(optional: zip(li, ri).map { $0 >= 0 ? $0 : nl + $1 }))
            } else {
                columns.append(l.columns[k].take(optional: li))
            }
        }
        for (name, _) in rightColumns { columns.append(try r.column(name).take(optional: ri)) }
        return (try Table(names: leftNames + rightColumns.map(\.output), columns: columns, rowCount: li.count), li, ri)
    }
}
