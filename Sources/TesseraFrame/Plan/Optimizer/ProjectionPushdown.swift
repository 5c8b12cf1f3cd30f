// Rule: every node yields only the columns used above it, down to the scan, which converts
// only those; assigns whose column nobody uses are dropped.
//
//   groupby-agg [Origin] DepDelay_mean=mean(DepDelay)        groupby-agg …
//     scan csv  columns: *  (23)                       →       scan csv  columns: [Origin, DepDelay]
//
// One pass over the whole plan of all outputs: consumers first, each node's requirement is the
// union of what its consumers need from it, so a scan shared by two outputs of one compute is
// read once with the union of their columns. A node then yields its original columns restricted
// to that union (in the original order), which every consumer's operation accepts: each one
// names the columns it uses, and the opaque ones (user closures, gathers) require every column.
// Merges keep the columns whose names clash on both sides, so suffixes don't change.

extension Optimizer {
    /// The plan with every node narrowed to the columns used above it.
    /// - Parameter required: per root, the columns its caller uses (every column when nil).
    static func pushProjectionDown(_ roots: [FrameNode], required: [[String]?]) throws -> [FrameNode] {
        let order = topologicalOrder(roots)
        var need: [ObjectIdentifier: Set<String>] = [:]
        for (root, cols) in zip(roots, required) { need[ObjectIdentifier(root), default: []].formUnion(cols ?? root.names) }
        for node in order.reversed() {
            let wanted = need[ObjectIdentifier(node)] ?? []
            for (input, cols) in zip(node.inputs, inputNeeds(node, wanted)) {
                need[ObjectIdentifier(input), default: []].formUnion(cols)
            }
        }
        return try rewritePlan(roots) { node, inputs in
            let wanted = need[ObjectIdentifier(node)] ?? []
            switch node.operation {
            case .scan(let source, var request):
                let columns = source.names.filter { wanted.contains($0) }
                let current = request.columns ?? source.names
                guard columns != current else { return node }
                request.columns = columns
                return try node.with(.scan(source, request), inputs: [])
            case .select(let columns):
                return try node.with(.select(columns.filter { wanted.contains($0) }), inputs: inputs)
            case .assign(let name, _) where !wanted.contains(name):
                return inputs[0]
            default:
                return try node.over(inputs)
            }
        }
    }

    /// The columns each input of `node` must yield for it to yield `wanted`.
    static func inputNeeds(_ node: FrameNode, _ wanted: Set<String>) -> [Set<String>] {
        let all = node.inputs.map { Set($0.names) }
        switch node.operation {
        case .scan, .partitions: return []
        case .select, .limit: return [wanted]
        case .filter(let p): return [wanted.union(p.columns)]
        case .sort(let by, _, _): return [wanted.union(by)]
        case .assign(let name, let e):
            return wanted.contains(name) ? [wanted.subtracting([name]).union(e.columns)] : [wanted]
        case .rename(let mapping):
            let back = Dictionary(mapping.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return [Set(wanted.map { back[$0] ?? $0 })]
        case .groupby(let plan, _):
            return [Set(plan.keys + plan.aggregations.flatMap(\.inputs))]
        case .map(let m):
            // A closure that declares what it reads may pass other columns through by name.
            return [m.reads.map { Set($0).union(wanted.intersection(all[0])) } ?? all[0]]
        case .gather:
            return all
        case .dropDuplicates(let subset, _):
            // Without a subset every column decides which rows are the same.
            return [subset.map { wanted.union($0) } ?? all[0]]
        case .merge(let m):
            guard let spec = try? m.spec(node.inputs[0].schema, node.inputs[1].schema) else { return all }
            let rightNames = Set(spec.rightColumns.map(\.name))
            let clash = all[0].intersection(rightNames)
            var left = Set(m.leftOn).union(clash), right = Set(m.rightOn).union(clash)
            for (input, output) in zip(node.inputs[0].names, spec.leftNames) where wanted.contains(output) { left.insert(input) }
            for c in spec.rightColumns where wanted.contains(c.output) { right.insert(c.name) }
            return [left, right]
        }
    }
}
