// The plan optimizer: rewrite rules applied to all requested outputs together.
//
// Local rules (each its own file) look at one node and its input and take one step: merge two
// adjacent selects or filters, move a filter below its input, move a limit below its input.
// They run bottom-up over the plan, pass after pass, until a pass changes nothing; every step
// moves a filter or a limit strictly down or removes a node, so this ends (in at most about
// depth² steps, for plans of a few dozen nodes). A rule never rewrites through a node that has
// another consumer (another output of the same compute, or the other side of a self-join):
// that consumer must keep seeing the rows it saw. Then one global pass, projection pushdown,
// works out the columns every node must yield (the union over its consumers) and narrows the
// scans to them, so a scan shared by several outputs is read once with the union of columns.

/// Rewrites plans before lowering; see the rules in this folder.
enum Optimizer {
    /// One local rewrite: the replacement of `node` (whose inputs are final for this pass), or nil.
    typealias Rule = (_ node: FrameNode, _ shared: (FrameNode) -> Bool) throws -> FrameNode?

    /// The local rules, in the order they are tried on each node.
    static var rules: [Rule] { [mergeAdjacentSelects, mergeAdjacentFilters, pushPredicateDown, pushLimitDown] }

    /// The optimized plans of `roots`, in order.
    /// - Parameter required: per root, the columns its consumer needs (`[]` to only count rows);
    ///   every column of each root when nil.
    /// - Throws: `FrameError` only if a rule builds an inconsistent node (a bug).
    static func optimize(_ roots: [FrameNode], required: [[String]?]? = nil) throws -> [FrameNode] {
        var plan = roots
        for _ in 0..<256 {
            let (next, changed) = try applyLocalRules(plan)
            plan = next
            if !changed { break }
        }
        return try pushProjectionDown(plan, required: required ?? roots.map { _ in nil })
    }

    /// One bottom-up pass of the local rules; whether anything changed.
    static func applyLocalRules(_ roots: [FrameNode]) throws -> ([FrameNode], Bool) {
        let order = topologicalOrder(roots)
        var consumers = consumerCounts(order, roots: roots)
        var changed = false
        let out = try rewritePlan(roots) { node, inputs in
            let rebuilt = try node.over(inputs)
            consumers[ObjectIdentifier(rebuilt)] = consumers[ObjectIdentifier(node)]
            let shared: (FrameNode) -> Bool = { (consumers[ObjectIdentifier($0)] ?? 1) > 1 }
            for rule in rules {
                if let replaced = try rule(rebuilt, shared) {
                    changed = true
                    consumers[ObjectIdentifier(replaced)] = consumers[ObjectIdentifier(node)]
                    return replaced
                }
            }
            return rebuilt
        }
        return (out, changed)
    }
}

extension Expr {
    /// The expression as a list of conjuncts (`a && b && c` → `[a, b, c]`).
    var conjuncts: [Expr] {
        if case .and(let a, let b) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// The conjunction of `parts` (nil when empty).
    static func all(_ parts: [Expr]) -> Expr? {
        parts.dropFirst().reduce(parts.first) { acc, e in acc.map { .and($0, e) } }
    }

    /// The expression with columns renamed by `mapping` (others unchanged).
    func renamingColumns(_ mapping: [String: String]) -> Expr {
        switch self {
        case .column(let n): return .column(mapping[n] ?? n)
        case .literal: return self
        case .arithmetic(let op, let a, let b): return .arithmetic(op, a.renamingColumns(mapping), b.renamingColumns(mapping))
        case .comparison(let op, let a, let b): return .comparison(op, a.renamingColumns(mapping), b.renamingColumns(mapping))
        case .and(let a, let b): return .and(a.renamingColumns(mapping), b.renamingColumns(mapping))
        case .or(let a, let b): return .or(a.renamingColumns(mapping), b.renamingColumns(mapping))
        case .not(let a): return .not(a.renamingColumns(mapping))
        case .isMissing(let a): return .isMissing(a.renamingColumns(mapping))
        }
    }
}
