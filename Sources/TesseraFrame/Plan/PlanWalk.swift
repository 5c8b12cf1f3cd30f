// Walking a plan DAG without recursion: a deep chain of operations (thousands of assigns in a
// loop) must not overflow a worker thread's stack, and a node shared by several consumers is
// visited once.

/// The nodes reachable from `roots`, every node after all of its inputs.
/// - Complexity: O(nodes + edges).
func topologicalOrder(_ roots: [FrameNode]) -> [FrameNode] {
    var order: [FrameNode] = []
    var seen = Set<ObjectIdentifier>()
    var stack: [(FrameNode, Bool)] = roots.reversed().map { ($0, false) }
    while let (node, expanded) = stack.popLast() {
        if expanded { order.append(node); continue }
        guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
        stack.append((node, true))
        for input in node.inputs.reversed() where !seen.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
    }
    return order
}

/// How many consumers each node has in the plan of `roots` (a root counts one extra: the
/// caller), so a rule never changes what a node yields to a consumer it doesn't see.
func consumerCounts(_ order: [FrameNode], roots: [FrameNode]) -> [ObjectIdentifier: Int] {
    var counts: [ObjectIdentifier: Int] = [:]
    for node in order { for input in node.inputs { counts[ObjectIdentifier(input), default: 0] += 1 } }
    for root in roots { counts[ObjectIdentifier(root), default: 0] += 1 }
    return counts
}

/// Rebuilds the plan of `roots` bottom-up: `rewrite` gets each original node and its inputs
/// already rewritten, and returns the node's replacement. A shared node is rewritten once, so it
/// stays shared.
func rewritePlan(_ roots: [FrameNode], _ rewrite: (FrameNode, [FrameNode]) throws -> FrameNode) throws -> [FrameNode] {
    var done: [ObjectIdentifier: FrameNode] = [:]
    for node in topologicalOrder(roots) {
        done[ObjectIdentifier(node)] = try rewrite(node, node.inputs.map { done[ObjectIdentifier($0)]! })
    }
    return roots.map { done[ObjectIdentifier($0)]! }
}

extension FrameNode {
    /// This node over `inputs`: itself when they are its inputs already.
    func over(_ inputs: [FrameNode]) throws -> FrameNode {
        zip(inputs, self.inputs).allSatisfy({ $0 === $1 }) ? self : try with(inputs: inputs)
    }
}
