// Rule: move a filter below its input, one step at a time, down to the scan.
//
//   filter DepDelay > 15             select [Origin, DepDelay]
//     select [Origin, DepDelay]  →     filter DepDelay > 15
//       scan csv                         scan csv
//                                →   select [Origin, DepDelay]
//                                      scan csv  predicate: DepDelay > 15
//
// A filter commutes with a select, with an assign that doesn't make a column it reads, with a
// rename (its columns renamed back) and with a sort (filtering then sorting stably gives the same
// rows in the same order). Through a merge, each conjunct goes to the side whose columns it reads,
// when that side keeps all its rows' identities (the left of an inner or left join, the right of
// an inner or right join); the others stay above. Into a scan goes what the source accepts
// (`FrameSource.accepts`), the rest stays in a filter above. Never through a node with another
// consumer, nor into a scan with a row limit (the limit counts rows before the predicate).

extension Optimizer {
    /// One step of `filter` moving down; nil when it can't move.
    static func pushPredicateDown(_ node: FrameNode, _ shared: (FrameNode) -> Bool) throws -> FrameNode? {
        guard case .filter(let predicate) = node.operation else { return nil }
        let input = node.inputs[0]
        guard !shared(input) else { return nil }
        let reads = Set(predicate.columns)
        func below(_ inner: FrameNode, _ p: Expr) throws -> FrameNode { try node.with(.filter(p), inputs: [inner]) }
        switch input.operation {
        case .select, .sort:
            return try input.with(inputs: [below(input.inputs[0], predicate)])
        case .assign(let name, _) where !reads.contains(name):
            return try input.with(inputs: [below(input.inputs[0], predicate)])
        case .rename(let mapping):
            let back = Dictionary(mapping.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return try input.with(inputs: [below(input.inputs[0], predicate.renamingColumns(back))])
        case .merge(let m):
            return try pushIntoMerge(node, predicate, input, m)
        case .scan(let source, var request) where request.rowLimit == nil:
            var taken: [Expr] = [], kept: [Expr] = []
            for c in predicate.conjuncts {
                if let accepted = source.accepts(c) { taken.append(accepted) } else { kept.append(c) }
            }
            guard let accepted = Expr.all(taken) else { return nil }
            request.predicate = request.predicate.map { .and($0, accepted) } ?? accepted
            let scan = try input.with(.scan(source, request), inputs: [])
            return try Expr.all(kept).map { try below(scan, $0) } ?? scan
        default:
            return nil
        }
    }

    /// The conjuncts of `predicate` that read only one side's columns, moved to that side.
    private static func pushIntoMerge(_ node: FrameNode, _ predicate: Expr, _ merge: FrameNode, _ m: MergeParameters) throws -> FrameNode? {
        let left = merge.inputs[0], right = merge.inputs[1]
        let spec = try m.spec(left.schema, right.schema)
        // Output name → the side's column, for the sides whose rows a filter may select early.
        var leftOf: [String: String] = [:], rightOf: [String: String] = [:]
        if m.how == .inner || m.how == .left {
            for (input, output) in zip(left.names, spec.leftNames) { leftOf[output] = input }
        }
        if m.how == .inner || m.how == .right {
            for c in spec.rightColumns { rightOf[c.output] = c.name }
        }
        var toLeft: [Expr] = [], toRight: [Expr] = [], kept: [Expr] = []
        for c in predicate.conjuncts {
            let cols = Set(c.columns)
            if !cols.isEmpty && cols.allSatisfy({ leftOf[$0] != nil }) {
                toLeft.append(c.renamingColumns(leftOf))
            } else if !cols.isEmpty && cols.allSatisfy({ rightOf[$0] != nil }) {
                toRight.append(c.renamingColumns(rightOf))
            } else {
                kept.append(c)
            }
        }
        guard !toLeft.isEmpty || !toRight.isEmpty else { return nil }
        let newLeft = try Expr.all(toLeft).map { p in try FrameNode.derived(.filter(p), [left]) } ?? left
        let newRight = try Expr.all(toRight).map { p in try FrameNode.derived(.filter(p), [right]) } ?? right
        let joined = try merge.with(inputs: [newLeft, newRight])
        return try Expr.all(kept).map { try node.with(.filter($0), inputs: [joined]) } ?? joined
    }
}
