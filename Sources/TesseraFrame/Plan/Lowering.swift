// Lowering: an (optimized) plan to today's task layers. Executors never see plans.
//
// Nodes are lowered inputs first, each once: a node shared by several consumers (or outputs of
// one `compute(a, b)`) becomes one layer, so its tasks run once. Every operation lowers through
// the layer-building code it always had: per-partition maps for select, filter, assign, rename
// and user closures; `GroupBy.graph` (apply-concat-apply, `splitOut`) for groupby; the broadcast
// or hash-partitioned merge; the sample sort. Here is where partitions and broadcast-versus-
// shuffle are decided: from the estimated size of the side to broadcast where the plan knows it
// (file sizes, known row counts), else from its partition count.

import Tessera

/// Turns plans into task layers.
enum Lowering {
    /// The tasks of each root, optimized together first when `optimize` is true (falling back to
    /// the plan as written if a rule fails, which would be a bug in the rule).
    static func lower(roots: [FrameNode], optimize: Bool) -> (outputs: [[TaskRef]], plan: [FrameNode]) {
        let plan = optimize ? ((try? Optimizer.optimize(roots)) ?? roots) : roots
        var done: [ObjectIdentifier: [TaskRef]] = [:]
        for node in topologicalOrder(plan) {
            done[ObjectIdentifier(node)] = lowerNode(node, node.inputs.map { done[ObjectIdentifier($0)]! })
        }
        return (plan.map { done[ObjectIdentifier($0)]! }, plan)
    }

    /// One node's tasks from its inputs' tasks.
    static func lowerNode(_ node: FrameNode, _ inputs: [[TaskRef]]) -> [TaskRef] {
        switch node.operation {
        case .scan(let source, let request):
            return source.partitions(for: request)
        case .partitions(let refs, _):
            return refs
        case .select(let columns):
            return perPartition("select", inputs[0]) { _, t in try t.select(columns) }
        case .filter(let predicate):
            return perPartition("filter", inputs[0]) { _, t in t.filter(try predicate.mask(on: t)) }
        case .assign(let name, let expression):
            return perPartition("assign", inputs[0]) { _, t in
                var out = t
                try out.setColumn(name, try expression.evaluate(on: t))
                return out
            }
        case .rename(let mapping):
            return perPartition("rename", inputs[0]) { _, t in
                try Table(names: t.names.map { mapping[$0] ?? $0 }, columns: t.columns, rowCount: t.rowCount)
            }
        case .limit(let n):
            return perPartition("limit", inputs[0]) { _, t in t.slice(0..<Swift.min(n, t.rowCount)) }
        case .map(let m):
            return perPartition(m.kind, inputs[0], m.body)
        case .dropDuplicates(let subset, let splitOut):
            // Its columns were checked when the node was built; projection keeps the subset.
            let input = ChunkedFrame(typedLike: ChunkedFrame(node: node.inputs[0]), partitions: inputs[0])
            return try! input.firstOccurrences(subset: subset, splitOut: splitOut).partitions
        case .gather(let kind, let body):
            let parts = inputs[0]
            return Layer(kind: kind, count: 1) { _ in
                TaskSpec(inputs: parts) { args in try body(args.map { $0 as! Table }) }
            }.refs
        case .groupby(let plan, let splitOut):
            return GroupBy.graph(inputs[0], plan, splitOut: splitOut, schema: { node.schema }, autoSplitGroups: plan.autoSplitGroups)
        case .merge(let m):
            let left = ChunkedFrame(schema: node.inputs[0].schema, partitions: inputs[0])
            let right = ChunkedFrame(schema: node.inputs[1].schema, partitions: inputs[1])
            // The schemas were checked when the merge was built; pushdown only narrows them.
            let spec = try! m.spec(left.schema, right.schema)
            // The side a broadcast would gather: the right for inner and left joins, the left for
            // right joins (outer joins never broadcast).
            let small = node.inputs[m.how == .right ? 0 : 1]
            return left.mergeLayers(right, spec: spec, broadcast: m.broadcast ?? MergeParameters.chooseBroadcast(
                estimatedBytes: small.estimatedBytes, partitions: inputs[m.how == .right ? 0 : 1].count, limit: m.broadcastLimit),
                preserveOrder: m.preserveOrder)
        case .sort(let by, let ascending, let partitions):
            return ChunkedFrame(typedLike: ChunkedFrame(node: node.inputs[0]), partitions: inputs[0])
                .sortLayers(by: by, ascending: ascending, partitions: partitions)
        }
    }

    /// One task per partition applying `body` (given the partition's index).
    static func perPartition(_ kind: String, _ parts: [TaskRef],
                             _ body: @escaping @Sendable (Int, Table) throws -> Table) -> [TaskRef] {
        Layer(kind: kind, count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in try body(i, args[0] as! Table) }
        }.refs
    }

    /// A layer of one value per partition.
    static func partitionLayer<T>(kind: String, _ parts: [TaskRef], _ body: @escaping @Sendable (Table) throws -> T) -> Layer {
        Layer(kind: kind, count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in try body(args[0] as! Table) }
        }
    }
}

/// The plans of every frame of one `compute(a, b, …)`: optimized together and lowered once, on
/// the first request for any of their tasks.
final class JointPlan {
    private var roots: [FrameNode] = []
    private var lowered: [ObjectIdentifier: [TaskRef]]?

    func add(_ node: FrameNode) {
        precondition(lowered == nil, "a frame joined a compute after its plan was lowered")
        roots.append(node)
    }

    func outputs(of node: FrameNode) -> [TaskRef] {
        if lowered == nil {
            let refs = Lowering.lower(roots: roots, optimize: true).outputs
            lowered = Dictionary(zip(roots.map(ObjectIdentifier.init), refs), uniquingKeysWith: { a, _ in a })
        }
        return lowered![ObjectIdentifier(node)]!
    }
}
