// The partial result of a group-by over some rows: the groups' keys and, per aggregation, a small
// state per group. Apply-concat-apply: `chunk` builds one from a partition, `merge` combines
// several (in row order, so first and last stay right), `finalize` turns one into the answer.

/// The state of one aggregation over the groups of a `PartialGroups`.
enum AggState {
    /// Columns of one row per group: [count], [sum], [sum, count] for mean, [n, mean, M2] for
    /// var/std, [value] for min/max/first/last.
    case columns([Column])
    /// Every non-missing value of each group (median).
    case lists([[Double]])
    /// The distinct non-missing values of each group (nunique).
    case sets([Set<Value>])
    /// A custom aggregation's summary per group.
    case custom([Any])

    /// The states of the groups at `rows`, in that order.
    func take(_ rows: [Int]) -> AggState {
        switch self {
        case .columns(let c): return .columns(c.map { $0.take(rows) })
        case .lists(let l): return .lists(rows.map { l[$0] })
        case .sets(let s): return .sets(rows.map { s[$0] })
        case .custom(let a): return .custom(rows.map { a[$0] })
        }
    }
}

/// What a group-by computes: key columns, aggregations, and whether missing keys are dropped.
struct GroupPlan: @unchecked Sendable {
    var keys: [String]
    var aggregations: [NamedAggregation]
    var dropna: Bool
    /// More groups than this in the partial results make the combine split into key ranges.
    var autoSplitGroups = GroupBy.defaultAutoSplitGroups
    /// Whether a partition's partial groups are merged with others' later (more than one
    /// partition), so that they may repeat a key: a partition whose keys look distinct then
    /// skips grouping its rows (`PartialGroups.keysLookDistinct`).
    var partialsAreMerged = false
    /// The fewest rows a partition needs before its keys are sampled for that.
    var distinctSampleRows = 1 << 16
}

/// Keys and per-aggregation states of the groups seen in some rows.
struct PartialGroups: @unchecked Sendable {
    /// One row per group: the key columns.
    var keys: Table
    /// One state per aggregation of the plan.
    var states: [AggState]

    var groupCount: Int { keys.rowCount }

    /// The partial groups of one partition.
    /// - Throws: `FrameError.unknownColumn` or `.typeMismatch` naming the column.
    /// - Complexity: O(rows × (keys + aggregations)); a dictionary-encoded single key costs no
    ///   grouping work at all (its codes are the group ids).
    static func chunk(_ table: Table, _ plan: GroupPlan) throws -> PartialGroups {
        // Plain-text keys become dictionary-encoded once here: the partial groups then carry
        // codes, so gathering, merging and sorting them never hash or copy strings again.
        var keyTable = try table.select(plan.keys)
        keyTable = try Table(names: keyTable.names, columns: keyTable.columns.map { $0.dictionaryEncodedText() }, rowCount: keyTable.rowCount)
        let ids: GroupIDs
        let groups: Int
        if plan.keys.count == 1, case .string(.dictionary(let codes, let d)) = keyTable.columns[0].values,
           plan.dropna || (keyTable.columns[0].validity == nil && !codes.contains(where: { $0 < 0 })) {
            // The codes are the group ids: no hashing. Missing rows are -1 already; the bitmap
            // is the authority, so make sure when there is one. (Kept missing keys would need a
            // group of their own: then only a key without missing rows comes this way.)
            if let v = keyTable.columns[0].validity {
                var c = codes
                for i in 0..<c.count where !v[i] { c[i] = -1 }
                ids = c
            } else {
                ids = codes
            }
            groups = d.count
        } else if plan.partialsAreMerged, keysLookDistinct(keyTable, plan) {
            // A group per row, as far as a sample tells: the rows are their own partial groups
            // (a merge groups them with the other partitions' anyway), not hashed here first.
            ids = (0..<Int32(keyTable.rowCount)).map { $0 }
            groups = keyTable.rowCount
        } else {
            let g = Grouping(keys: keyTable.columns, dropna: plan.dropna)
            ids = g.ids
            groups = g.groupCount
        }
        var states: [AggState] = []
        let first = Grouping.firstRows(ids, groups)
        for spec in plan.aggregations {
            let c = try table.column(spec.column)
            let paired = try spec.function.pairedColumn.map { try table.column($0) }
            states.append(try namingOverflow(spec, keyTable, first) { try chunkState(spec, c, paired: paired, ids, groups) })
        }
        let present = first.indices.filter { first[$0] >= 0 }
        if present.count == groups {
            // A group per row (q10's six keys): the first rows are the rows, nothing to gather.
            let everyRow = groups == keyTable.rowCount && first.withUnsafeBufferPointer { f in (0..<f.count).allSatisfy { f[$0] == $0 } }
            return PartialGroups(keys: everyRow ? keyTable : keyTable.take(first), states: states)
        }
        return PartialGroups(keys: keyTable.take(present.map { first[$0] }), states: states.map { $0.take(present) })
    }

    /// Whether grouping a partition's rows by several keys would hardly reduce them (q10: ten
    /// million groups of six keys, a group per row): the first 4,096 rows (half the rows of a
    /// smaller partition), grouped, are all distinct. Only large partitions
    /// (`GroupPlan.distinctSampleRows`, 65,536 rows) with no missing key (so no row
    /// would be dropped), no float key (NaN) and aggregations whose states are columns (a
    /// one-row list, set or custom summary per row would cost more than the grouping) ask.
    /// Keys repeating later in the partition are merged with the other partitions' groups; the
    /// sample only decides how much work is done where, never the answer, and depends on the
    /// partition's own rows only.
    /// - Complexity: O(sample × keys).
    static func keysLookDistinct(_ keys: Table, _ plan: GroupPlan) -> Bool {
        let sample = Swift.min(1 << 12, keys.rowCount / 2)
        guard keys.columnCount > 1, sample > 0, keys.rowCount >= plan.distinctSampleRows else { return false }
        for c in keys.columns {
            guard c.validity == nil else { return false }
            switch c.values {
            case .float64: return false
            case .string(.dictionary(let codes, _)) where codes.contains(where: { $0 < 0 }): return false
            default: continue
            }
        }
        for spec in plan.aggregations {
            switch spec.function.kind {
            case .median, .nunique, .custom, .best: return false
            default: continue
            }
        }
        return Grouping(keys: keys.columns.map { $0.slice(0..<sample) }, dropna: plan.dropna).groupCount == sample
    }

    /// One aggregation's state over the rows of a partition; `paired` is the second input of a
    /// two-column function (`corr`).
    static func chunkState(_ spec: NamedAggregation, _ c: Column, paired: Column? = nil, _ ids: GroupIDs, _ groups: Int) throws -> AggState {
        let name = spec.column
        switch spec.function.kind {
        case .count: return .columns([Column(values: .int64(GroupKernels.count(c, ids, groups)))])
        case .size: return .columns([Column(values: .int64(GroupKernels.size(ids, groups)))])
        case .sum: return .columns(try GroupKernels.wideSum(c, ids, groups, name: name))
        case .mean:
            let (s, n) = try GroupKernels.sumAndCount(c, ids, groups, name: name)
            return .columns([Column(values: .float64(s)), Column(values: .int64(n))])
        case .variance, .std:
            let m = try GroupKernels.moments(c, ids, groups, name: name)
            return .columns([Column(values: .int64(m.n)), Column(values: .float64(m.mean)), Column(values: .float64(m.m2))])
        case .min, .max:
            let isMin: Bool
            if case .min = spec.function.kind { isMin = true } else { isMin = false }
            return .columns([GroupKernels.extremes(c, ids, groups, smallest: isMin)])
        case .first, .last:
            let isFirst: Bool
            if case .first = spec.function.kind { isFirst = true } else { isFirst = false }
            return .columns([c.take(optional: GroupKernels.firstLastRows(c, ids, groups, first: isFirst))])
        case .firstRow:
            return .columns([c.take(optional: GroupKernels.firstLastRows(c, ids, groups, first: true, skipMissing: false))])
        case .best(let n, let largest):
            return .columns(try GroupKernels.bestSlots(c, ids, groups, n: n, largest: largest, name: name))
        case .corr(let other):
            guard let paired else { throw FrameError.invalidArgument("internal: corr without its column '\(other)'") }
            return .columns(try GroupKernels.comoments(c, paired, ids, groups, names: (name, other)).columns)
        case .median: return .lists(try GroupKernels.lists(c, ids, groups, name: name))
        case .nunique: return .sets(GroupKernels.distinct(c, ids, groups))
        case .custom(let agg):
            // Ids that no row has (unused dictionary codes) are dropped right after; skip them.
            return .custom(try GroupKernels.rows(ids, groups).map { $0.isEmpty ? () : try agg.chunk(c.take($0)) })
        }
    }

    /// Merges partial groups of consecutive row ranges, given in row order.
    /// - Complexity: O(total groups of the parts × (keys + aggregations)).
    static func merge(_ parts: [PartialGroups], _ plan: GroupPlan) throws -> PartialGroups {
        if parts.count == 1 { return parts[0] }
        let keys = try Table.concatenate(parts.map(\.keys))
        return try merge(parts, keys: keys, Grouping(keys: keys.columns, dropna: false), plan)
    }

    /// The answer from partial groups of consecutive row ranges, given in row order: `merge`
    /// then `finalize`, the merge numbering its groups in key order when it can
    /// (`Grouping(sortedKeys:)`: one radix sort of packed key ranks, where a hashed merge would
    /// number them and `finalize` rank and sort them again), so the answer needs no sort.
    /// With `plainWideText`, a text key whose groups use more strings than half their count
    /// comes out as plain text (what `Table.decodingWideDictionaries` would make of it), gathered
    /// straight from the merged dictionary.
    /// - Throws: what `merge` and `finalize` throw.
    /// - Complexity: O(total groups of the parts × (keys + aggregations)).
    static func finalize(_ parts: [PartialGroups], _ plan: GroupPlan, plainWideText: Bool = false) throws -> Table {
        if parts.count == 1 { return try parts[0].finalize(plan) }
        let keys = try Table.concatenate(parts.map(\.keys))
        guard let g = Grouping(sortedKeys: keys.columns) else {
            return try merge(parts, keys: keys, Grouping(keys: keys.columns, dropna: false), plan).finalize(plan)
        }
        // The groups are numbered in key order: the keys are gathered once, straight into the
        // answer's order with its trimmed dictionaries (a `merge` then `finalize` gathered them
        // twice and copied every aggregation column once more, a tenth of q10's time at K=10).
        let first = Grouping.firstRows(g.ids, g.groupCount)
        let states = try mergedStates(parts, keys: keys, g, first, plan)
        let ordered = keys.columns.map { c -> Column in
            if plainWideText, case .string(.dictionary(let codes, let d)) = c.values, 2 * d.count > first.count {
                let picked = first.map { Int(codes[$0]) }
                let validity = c.validity?.taking(first) ?? (picked.contains { $0 < 0 } ? Bitmap(picked.lazy.map { $0 >= 0 }) : nil)
                return Column(values: .string(.plain(d.gathered(picked))), validity: validity)
            }
            return c.pieces([first])[0]
        }
        return try PartialGroups(keys: Table(unchecked: keys.names, ordered, rowCount: first.count), states: states)
            .finalize(plan, inKeyOrder: true)
    }

    /// `merge` with the parts' keys concatenated (`keys`) and grouped (`g`); the result's groups
    /// are numbered as `g` numbers them.
    static func merge(_ parts: [PartialGroups], keys: Table, _ g: Grouping, _ plan: GroupPlan) throws -> PartialGroups {
        let first = Grouping.firstRows(g.ids, g.groupCount)
        return PartialGroups(keys: keys.take(first), states: try mergedStates(parts, keys: keys, g, first, plan))
    }

    /// The aggregations' states of the groups of `g` over the parts' rows (`keys`, their keys
    /// concatenated); `first` is each group's first row.
    static func mergedStates(_ parts: [PartialGroups], keys: Table, _ g: Grouping, _ first: [Int], _ plan: GroupPlan) throws -> [AggState] {
        try plan.aggregations.enumerated().map { j, spec in
            try namingOverflow(spec, keys, first) { try mergeState(spec, parts.map { $0.states[j] }, g.ids, g.groupCount) }
        }
    }

    /// Runs `body`, turning a `SumOverflow` into `FrameError.overflow` naming the column and the
    /// group's key (taken from `keys` at the group's first row).
    static func namingOverflow<T>(_ spec: NamedAggregation, _ keys: Table, _ firstRows: [Int], _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SumOverflow {
            let row = firstRows[e.group]
            let key = keys.columns.map { row >= 0 ? $0[row].description : "?" }
            throw FrameError.overflow(column: spec.column, group: key.count == 1 ? "'\(key[0])'" : "(\(key.map { "'\($0)'" }.joined(separator: ", ")))")
        }
    }

    static func mergeState(_ spec: NamedAggregation, _ parts: [AggState], _ ids: GroupIDs, _ groups: Int) throws -> AggState {
        switch parts[0] {
        case .columns where { if case .sum = spec.function.kind { return true }; return false }():
            let cs = parts.map { if case .columns(let c) = $0 { return c }; return [] }
            return .columns(try GroupKernels.mergeWideSums(cs.map { $0[0] }, cs.map { $0[1] }, ids, groups, name: spec.column))
        case .columns(let first):
            let cols: [Column] = (0..<first.count).map { k in
                Column.concatenate(parts.map { if case .columns(let c) = $0 { return c[k] }; return first[k] })
            }
            switch spec.function.kind {
            case .count, .size, .mean:
                return .columns(try cols.map { try GroupKernels.sum($0, ids, groups, name: spec.column) })
            case .variance, .std:
                guard case .int64(let n) = cols[0].values, let mean = cols[1].numericDoubles, let m2 = cols[2].numericDoubles else {
                    throw FrameError.invalidArgument("internal: malformed variance state")
                }
                let m = GroupKernels.mergeMoments(n: n, mean: mean, m2: m2, ids, groups)
                return .columns([Column(values: .int64(m.n)), Column(values: .float64(m.mean)), Column(values: .float64(m.m2))])
            case .min, .max:
                let isMin: Bool
                if case .min = spec.function.kind { isMin = true } else { isMin = false }
                return .columns([GroupKernels.extremes(cols[0], ids, groups, smallest: isMin)])
            case .first, .last:
                let isFirst: Bool
                if case .first = spec.function.kind { isFirst = true } else { isFirst = false }
                return .columns([cols[0].take(optional: GroupKernels.firstLastRows(cols[0], ids, groups, first: isFirst))])
            case .firstRow:
                return .columns([cols[0].take(optional: GroupKernels.firstLastRows(cols[0], ids, groups, first: true, skipMissing: false))])
            case .best(_, let largest):
                return .columns(try GroupKernels.mergeBestSlots(cols, ids, groups, largest: largest, name: spec.column))
            case .corr:
                return .columns(GroupKernels.mergeComoments(try Comoments(columns: cols), ids, groups).columns)
            default:
                throw FrameError.invalidArgument("internal: unexpected state for \(spec.name)")
            }
        case .lists:
            var out = [[Double]](repeating: [], count: groups)
            var r = 0
            for p in parts { if case .lists(let l) = p { for x in l { out[Int(ids[r])].append(contentsOf: x); r += 1 } } }
            return .lists(out)
        case .sets:
            var out = [Set<Value>](repeating: [], count: groups)
            var r = 0
            for p in parts { if case .sets(let l) = p { for x in l { out[Int(ids[r])].formUnion(x); r += 1 } } }
            return .sets(out)
        case .custom:
            guard case .custom(let agg) = spec.function.kind else { throw FrameError.invalidArgument("internal: custom state") }
            var pending = [[Any]](repeating: [], count: groups)
            var r = 0
            for p in parts { if case .custom(let l) = p { for x in l { pending[Int(ids[r])].append(x); r += 1 } } }
            return .custom(try pending.map { $0.count == 1 ? $0[0] : try agg.combine($0) })
        }
    }

    /// The answer: key columns then one column per aggregation, rows sorted by key (missing keys
    /// last). With `largest(n)`/`smallest(n)` among the aggregations a group spans as many rows
    /// as its longest list of values (none when they are all empty), best first; keys and the
    /// one-value aggregations repeat on each of them.
    /// `inKeyOrder`: the groups are already in key order and the keys' dictionaries trimmed as
    /// the answer's are (the sorted merge of `finalize(_:_:plainWideText:)`).
    func finalize(_ plan: GroupPlan, inKeyOrder: Bool = false) throws -> Table {
        let order = inKeyOrder ? Array(0..<groupCount) : sortPermutation(keys.columns, ascending: Array(repeating: true, count: keys.columnCount))
        // Per output row, its group and its rank within the group.
        var rowGroups = order, ranks = [Int](repeating: 0, count: groupCount)
        let spans = plan.aggregations.indices.compactMap { j -> [Int]? in
            guard plan.aggregations[j].function.rowsPerGroup != nil, case .columns(let slots) = states[j] else { return nil }
            return GroupKernels.filledSlots(slots, groups: groupCount)
        }
        if !spans.isEmpty {
            rowGroups = []; ranks = []
            for g in order {
                let span = spans.map { $0[g] }.max() ?? 0
                for r in 0..<span { rowGroups.append(g); ranks.append(r) }
            }
        }
        var names = keys.names
        // Dictionaries trimmed to the entries used, in order of first use: the first key's
        // dictionary is then sorted, and the buckets of a split-out group-by, consecutive key
        // ranges, concatenate without hashing their strings (`DictionaryUnion`).
        let identity = inKeyOrder && spans.isEmpty
        var columns = identity ? keys.columns : keys.columns.map { $0.pieces([rowGroups])[0] }
        let rows = Array(0..<groupCount)
        for (j, spec) in plan.aggregations.enumerated() {
            names.append(spec.name)
            if spec.function.rowsPerGroup != nil, case .columns(let slots) = states[j] {
                // Slot r of group g sits at r × groups + g of the slots laid end to end.
                let all = Column.concatenate(slots)
                columns.append(all.take(optional: zip(rowGroups, ranks).map { g, r in r < slots.count && slots[r].isValid(g) ? r * groupCount + g : -1 }))
                continue
            }
            let final = try PartialGroups.namingOverflow(spec, keys, rows) { try PartialGroups.finalColumn(spec, states[j]) }
            columns.append(identity ? final : final.take(rowGroups))
        }
        return try Table(names: names, columns: columns, rowCount: rowGroups.count)
    }

    static func finalColumn(_ spec: NamedAggregation, _ state: AggState) throws -> Column {
        switch (spec.function.kind, state) {
        case (.sum, .columns(let c)):
            // A group without values sums to 0 (pandas' `min_count=0`).
            return try GroupKernels.finalWideSum(c[0], c[1])
        case (.count, .columns(let c)), (.size, .columns(let c)),
             (.min, .columns(let c)), (.max, .columns(let c)), (.first, .columns(let c)), (.last, .columns(let c)),
             (.firstRow, .columns(let c)):
            return c[0]
        case (.mean, .columns(let c)):
            guard let s = c[0].numericDoubles, case .int64(let n) = c[1].values else { break }
            return Column(float64: (0..<n.count).map { n[$0] > 0 ? s[$0] / Double(n[$0]) : nil })
        case (.variance(let ddof), .columns(let c)), (.std(let ddof), .columns(let c)):
            guard case .int64(let n) = c[0].values, let m2 = c[2].numericDoubles else { break }
            var isStd = false
            if case .std = spec.function.kind { isStd = true }
            return Column(float64: (0..<n.count).map { k -> Double? in
                let dof = n[k] - Int64(ddof)
                guard dof > 0 else { return nil }
                let v = Swift.max(m2[k], 0) / Double(dof)
                return isStd ? v.squareRoot() : v
            })
        case (.corr, .columns(let c)):
            return try Comoments(columns: c).correlation
        case (.median, .lists(let lists)):
            return Column(float64: lists.map { exactMedian($0) })
        case (.nunique, .sets(let sets)):
            return Column(values: .int64(distinctCounts(sets)))
        case (.custom(let agg), .custom(let summaries)):
            return try columnOfValues(summaries.map { try agg.finalize($0) }, type: agg.outputType)
        default: break
        }
        throw FrameError.invalidArgument("internal: malformed state for \(spec.name)")
    }
}

/// The number of distinct values in each set, compared in the type the values unify to (as
/// `compute()` unifies partitions inferred with different types): `1` and `1.0` are one value
/// when the column is float64.
/// - Complexity: O(values); free when every value has the same type.
func distinctCounts(_ sets: [Set<Value>]) -> [Int64] {
    var type: DataType? = nil
    var mixed = false
    for s in sets {
        for v in s {
            guard let t = v.dataType else { continue }
            if let u = type, u != t { type = u.unified(with: t); mixed = true } else if type == nil { type = t }
        }
    }
    guard mixed, let unified = type else { return sets.map { Int64($0.count) } }
    return sets.map { s in Int64(Set(s.map { $0.promoted(to: unified) }).count) }
}

extension Value {
    /// The value's type; nil when missing.
    var dataType: DataType? {
        switch self {
        case .missing: return nil
        case .bool: return .bool
        case .int64: return .int64
        case .float64: return .float64
        case .string: return .string
        case .timestamp: return .timestamp
        }
    }

    /// The value as `Column.promoted(to:)` converts it: int64 and bool to float64, anything to its
    /// text for string.
    func promoted(to type: DataType) -> Value {
        switch (self, type) {
        case (.int64(let x), .float64): return .float64(Double(x))
        case (.bool(let b), .float64): return .float64(b ? 1 : 0)
        case (.bool(let b), .int64): return .int64(b ? 1 : 0)
        case (.missing, _), (.string, .string): return self
        case (_, .string): return .string(description)
        default: return self
        }
    }
}

/// The median of `values` (the mean of the two middle ones for an even count), nil when empty.
/// - Complexity: O(n log n).
func exactMedian(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let s = values.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/// A column of `type` from values (missing allowed; numbers convert to the type where they can).
func columnOfValues(_ values: [Value], type: DataType) throws -> Column {
    switch type {
    case .int64: return Column(int64: try values.map { v -> Int64? in
        switch v {
        case .missing: return nil
        case .int64(let x): return x
        case .bool(let b): return b ? 1 : 0
        case .float64(let x) where x == x.rounded() && abs(x) < 9e18: return Int64(x)
        default: throw FrameError.invalidArgument("custom aggregation returned \(v) for an int64 column")
        }
    })
    case .float64: return Column(float64: try values.map { v -> Double? in
        if v.isMissing { return nil }
        guard let d = v.doubleValue else { throw FrameError.invalidArgument("custom aggregation returned \(v) for a float64 column") }
        return d
    })
    case .bool: return Column(bool: try values.map { v -> Bool? in
        switch v {
        case .missing: return nil
        case .bool(let b): return b
        default: throw FrameError.invalidArgument("custom aggregation returned \(v) for a bool column")
        }
    })
    case .string: return Column(string: values.map { $0.isMissing ? nil : $0.description })
    case .timestamp: return Column(timestamp: try values.map { v -> Int64? in
        switch v {
        case .missing: return nil
        case .timestamp(let t), .int64(let t): return t
        default: throw FrameError.invalidArgument("custom aggregation returned \(v) for a timestamp column")
        }
    })
    }
}

extension Grouping {
    /// The first row of every group id in `ids` (-1 for ids that don't occur).
    static func firstRows(_ ids: GroupIDs, _ groups: Int) -> [Int] {
        var first = [Int](repeating: -1, count: groups)
        ids.withUnsafeBufferPointer { g in
            first.withUnsafeMutableBufferPointer { f in
                for i in 0..<g.count {
                    let k = Int(g[i])
                    if k >= 0 && f[k] < 0 { f[k] = i }
                }
            }
        }
        return first
    }
}
