// Graphviz pictures of task graphs (Dask's `visualize`).
//
// Small graphs are drawn task by task the way Dask draws them: every task is a function node
// (an ellipse labelled with its kind) feeding a data node (a box labelled with its key), and a
// task's inputs point at it from their data nodes. Constant values (`Delayed(3)`, tasks of kind
// `value` with no inputs) are drawn as data nodes only. Graphs over `maxTasks` tasks (500 by
// default) are drawn layer by layer instead: one box per layer saying how many tasks it holds,
// one edge per pair of dependent layers. When even that is too many boxes (every `Delayed`
// call is its own one-task layer) the tasks are grouped by kind. So the picture of a real
// workload stays readable.

/// How `visualize` draws a graph.
public struct VisualizeOptions: Sendable, Hashable {
    /// Task by task, operation by operation, or chosen by size.
    public enum Detail: Sendable, Hashable {
        /// Tasks when the graph has at most `maxTasks` tasks, layers (or kinds) otherwise.
        case automatic
        /// Every task and its data, whatever the size.
        case tasks
        /// One node per layer (per kind when there are more than `maxTasks` layers).
        case layers
    }

    /// What fills the function nodes.
    public enum Coloring: Sendable, Hashable {
        /// No fill.
        case none
        /// One colour per kind (the task stream's colours).
        case kind
        /// Execution order, dark (first) to yellow (last): the synchronous scheduler's order,
        /// which the thread scheduler's depth-first walk follows on each worker
        /// (Dask's `color="order"`).
        case order
    }

    /// Task by task, layer by layer, or automatic.
    public var detail: Detail
    /// How nodes are coloured.
    public var coloring: Coloring
    /// Above this many tasks, `.automatic` draws layers.
    public var maxTasks: Int
    /// Draw the graph after fusing linear chains (what the scheduler runs) instead of as built.
    public var optimize: Bool
    /// Graphviz `rankdir`: `BT` (inputs at the bottom, like Dask), `TB`, `LR` or `RL`.
    public var rankdir: String

    /// Creates options; the defaults draw the unfused graph bottom to top, coloured by kind.
    public init(detail: Detail = .automatic, coloring: Coloring = .kind, maxTasks: Int = 500,
                optimize: Bool = false, rankdir: String = "BT") {
        self.detail = detail
        self.coloring = coloring
        self.maxTasks = maxTasks
        self.optimize = optimize
        self.rankdir = rankdir
    }
}

extension TaskGraph {
    /// The graph as Graphviz DOT text.
    ///
    /// ```swift
    /// print(total.graph.dot())                      // task by task
    /// print(big.graph.dot(.init(detail: .layers)))  // one node per operation
    /// ```
    /// Node names: `t<i>` for the function node of plan task `i`, `d<i>` for its data node,
    /// `g<k>` for layer or kind groups; every node carries its key (or group) as `tooltip`.
    /// - Complexity: O(t + e) for t tasks and e edges (after culling).
    public func dot(_ options: VisualizeOptions = VisualizeOptions()) -> String {
        let plan = self.plan(optimize: options.optimize)
        let useLayers: Bool
        switch options.detail {
        case .automatic: useLayers = plan.count > options.maxTasks
        case .tasks: useLayers = false
        case .layers: useLayers = true
        }
        return useLayers ? GraphPicture.layerDOT(plan, options) : GraphPicture.taskDOT(plan, options)
    }
}

extension Computable {
    /// The collection's graph as Graphviz DOT text; see `TaskGraph.dot(_:)`.
    public func dot(_ options: VisualizeOptions = VisualizeOptions()) -> String { graph.dot(options) }
}

enum GraphPicture {
    static func header(_ options: VisualizeOptions) -> String {
        "digraph tessera {\n  graph [rankdir=\(options.rankdir), fontname=\"Helvetica\"];\n"
            + "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#555555\"];\n"
    }

    /// Whether task `i` is a constant: a `value` task with no inputs, drawn as data only.
    static func isConstant(_ plan: ExecutionPlan, _ i: Int) -> Bool {
        plan.inputs(of: i).isEmpty && plan.kindLabel(i) == "value"
    }

    static func fill(_ options: VisualizeOptions, kind: Int, order: Int, of count: Int) -> String {
        switch options.coloring {
        case .none: return ""
        case .kind: return ", style=filled, fillcolor=\"\(Palette.color(kind))\""
        case .order:
            let color = Palette.viridis(count > 1 ? Double(order) / Double(count - 1) : 0)
            // Light text on the dark first half of the scale.
            let font = count > 1 && Double(order) / Double(count - 1) < 0.5 ? ", fontcolor=white" : ""
            return ", style=filled, fillcolor=\"\(color)\"\(font)"
        }
    }

    static func taskDOT(_ plan: ExecutionPlan, _ options: VisualizeOptions) -> String {
        var out = header(options)
        var kindIndex: [String: Int] = [:]
        for i in 0..<plan.count {
            let kind = plan.kindLabel(i)
            let k = kindIndex[kind] ?? kindIndex.count
            kindIndex[kind] = k
            let key = plan.key(i).description
            if !isConstant(plan, i) {
                out += "  t\(i) [label=\(TextEscaping.dot(kind)), tooltip=\(TextEscaping.dot("\(key) (order \(i))")), shape=ellipse"
                out += fill(options, kind: k, order: i, of: plan.count) + "];\n"
                out += "  t\(i) -> d\(i);\n"
            }
            out += "  d\(i) [label=\(TextEscaping.dot(key)), tooltip=\(TextEscaping.dot(key)), shape=box];\n"
        }
        for i in 0..<plan.count where !isConstant(plan, i) {
            // One edge per argument position, so a value used twice shows twice (as in Dask).
            for d in plan.inputs(of: i) { out += "  d\(d) -> t\(i);\n" }
        }
        return out + "}\n"
    }

    static func layerDOT(_ plan: ExecutionPlan, _ options: VisualizeOptions) -> String {
        // Group by layer; when there are still too many groups, by kind.
        var groupOf = [Int](repeating: 0, count: plan.count)
        var names: [String] = []
        var kinds: [String] = []
        var counts: [Int] = []
        var firstOrder: [Int] = []
        var byLayer: [ObjectIdentifier: Int] = [:]
        for i in 0..<plan.count {
            let id = ObjectIdentifier(plan.refs[i].layer)
            if let g = byLayer[id] { groupOf[i] = g; counts[g] += 1; continue }
            let g = names.count
            byLayer[id] = g
            groupOf[i] = g
            names.append(plan.refs[i].layer.name)
            kinds.append(plan.kindLabel(i))
            counts.append(1)
            firstOrder.append(i)
        }
        if names.count > options.maxTasks {
            var byKind: [String: Int] = [:]
            names = []; counts = []; firstOrder = []
            var newKinds: [String] = []
            for i in 0..<plan.count {
                let kind = plan.kindLabel(i)
                if let g = byKind[kind] { groupOf[i] = g; counts[g] += 1; continue }
                let g = names.count
                byKind[kind] = g
                groupOf[i] = g
                names.append(kind)
                newKinds.append(kind)
                counts.append(1)
                firstOrder.append(i)
            }
            kinds = newKinds
        }
        var kindIndex: [String: Int] = [:]
        var out = header(options)
        for g in 0..<names.count {
            let k = kindIndex[kinds[g]] ?? kindIndex.count
            kindIndex[kinds[g]] = k
            let label = "\(kinds[g])\n\(counts[g]) task\(counts[g] == 1 ? "" : "s")"
            out += "  g\(g) [label=\(TextEscaping.dot(label)), tooltip=\(TextEscaping.dot(names[g])), shape=box"
            out += fill(options, kind: k, order: firstOrder[g], of: plan.count) + "];\n"
        }
        // Edges between groups, weighted by how many task dependencies they stand for.
        var edges: [Int: Int] = [:]  // (from << 32 | to) -> dependencies
        var order: [Int] = []
        for i in 0..<plan.count {
            let to = groupOf[i]
            for d in plan.inputs(of: i) {
                let from = groupOf[Int(d)]
                let pair = from << 32 | to
                if edges[pair] == nil { order.append(pair) }
                edges[pair, default: 0] += 1
            }
        }
        for pair in order {
            let n = edges[pair]!
            out += "  g\(pair >> 32) -> g\(pair & 0xFFFF_FFFF) [tooltip=\"\(n) dependencies\"];\n"
        }
        return out + "}\n"
    }
}
