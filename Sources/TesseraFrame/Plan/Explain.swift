// explain(): the logical plan as written, the plan the optimizer made of it, and the task
// layers that plan lowers to — Polars' `explain()` and dask's `df.explain()` in one text.
//
// Plans print as indented trees, inputs below their consumer; a node shared by two consumers
// prints once with a number (`#1`) and is referred to by it afterwards.

import Tessera

extension ChunkedFrame {
    /// The plan before and after optimization, and the layers it lowers to (kind × tasks).
    ///
    /// ```swift
    /// print(try readCSV("flights/").groupby("Origin").agg(["DepDelay": .mean]).explain())
    /// // == logical plan ==
    /// // groupby-agg by [Origin]: DepDelay_mean = mean(DepDelay)
    /// //   scan csv 10 files: all 23 columns
    /// // == optimized plan ==
    /// // groupby-agg by [Origin]: DepDelay_mean = mean(DepDelay)
    /// //   scan csv 10 files: 2 of 23 columns [Origin, DepDelay]
    /// // == layers ==
    /// // read-csv: 10 tasks in 10 layers …
    /// ```
    /// - Complexity: O(plan nodes + tasks): the lowered graph is walked, nothing runs.
    public func explain() -> String {
        TesseraFrame.explain(self)
    }
}

/// The plans of several frames optimized together, as one `compute(a, b, …)` does, and the
/// layers they lower to; see `ChunkedFrame.explain()`.
public func explain(_ frames: ChunkedFrame...) -> String {
    let roots = frames.map(\.node)
    let (outputs, optimized) = Lowering.lower(roots: roots, optimize: true)
    return "== logical plan ==\n" + renderPlan(roots)
        + "== optimized plan ==\n" + renderPlan(optimized)
        + "== layers ==\n" + renderLayers(outputs.flatMap { $0 })
}

/// The plan of `roots` as indented lines, shared nodes numbered.
func renderPlan(_ roots: [FrameNode]) -> String {
    let order = topologicalOrder(roots)
    let consumers = consumerCounts(order, roots: roots)
    var numbers: [ObjectIdentifier: Int] = [:]
    var printed = Set<ObjectIdentifier>()
    var out = ""
    var stack: [(FrameNode, Int)] = roots.reversed().map { ($0, 0) }
    while let (node, depth) = stack.popLast() {
        let id = ObjectIdentifier(node)
        let pad = String(repeating: "  ", count: depth)
        if printed.contains(id) { out += pad + "(#\(numbers[id]!) above)\n"; continue }
        printed.insert(id)
        var tag = ""
        if (consumers[id] ?? 0) > 1 {
            numbers[id] = numbers.count + 1
            tag = "#\(numbers[id]!) "
        }
        out += pad + tag + node.summary + "\n"
        for input in node.inputs.reversed() { stack.append((input, depth + 1)) }
    }
    return out
}

/// One line per kind of layer reachable from `refs`, inputs first: its kind and task count.
func renderLayers(_ refs: [TaskRef]) -> String {
    var layers: [Layer] = []
    var seenLayers = Set<ObjectIdentifier>()
    var seenTasks = Set<TaskKeyID>()
    var stack = refs
    var edges: [ObjectIdentifier: Set<ObjectIdentifier>] = [:]
    while let ref = stack.popLast() {
        guard seenTasks.insert(TaskKeyID(ref)).inserted else { continue }
        let lid = ObjectIdentifier(ref.layer)
        if seenLayers.insert(lid).inserted { layers.append(ref.layer) }
        for input in ref.layer.task(ref.index).inputs {
            edges[lid, default: []].insert(ObjectIdentifier(input.layer))
            stack.append(input)
        }
    }
    // Inputs first: a layer is listed after every layer it reads.
    var listed = Set<ObjectIdentifier>()
    var runs: [(kind: String, tasks: Int, layers: Int)] = []
    func visit(_ layer: Layer) {
        guard !listed.contains(ObjectIdentifier(layer)) else { return }
        listed.insert(ObjectIdentifier(layer))
        for dep in layers where edges[ObjectIdentifier(layer)]?.contains(ObjectIdentifier(dep)) == true { visit(dep) }
        // Consecutive layers of one kind (a read-csv layer per file) make one line.
        if runs.last?.kind == layer.kind {
            runs[runs.count - 1].tasks += layer.count
            runs[runs.count - 1].layers += 1
        } else {
            runs.append((layer.kind, layer.count, 1))
        }
    }
    for layer in layers.reversed() { visit(layer) }
    return runs.map { "\($0.kind): \($0.tasks) task\($0.tasks == 1 ? "" : "s")" + ($0.layers > 1 ? " in \($0.layers) layers" : "") + "\n" }.joined()
}

/// A task's identity for walking a graph: its layer and index.
struct TaskKeyID: Hashable {
    let layer: ObjectIdentifier
    let index: Int
    init(_ ref: TaskRef) {
        layer = ObjectIdentifier(ref.layer)
        index = ref.index
    }
}

extension FrameNode {
    /// One line describing the operation and its parameters.
    var summary: String {
        func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
        switch operation {
        case .scan(let source, let request):
            var s = "scan \(source.summary): "
            if let cols = request.columns {
                s += "\(cols.count) of \(source.names.count) columns \(list(cols))"
            } else {
                s += "all \(source.names.count) columns"
            }
            if let p = request.predicate { s += ", predicate \(p)" }
            if let n = request.rowLimit { s += ", at most \(n) rows per partition" }
            return s
        case .partitions(let refs, _): return "partitions: \(refs.count) computed or in memory, \(names.count) columns"
        case .select(let cols): return "select \(list(cols))"
        case .filter(let p): return "filter \(p)"
        case .assign(let name, let e): return "assign \(name) = \(e)"
        case .rename(let m): return "rename " + m.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", ")
        case .groupby(let plan, let splitOut):
            let aggs = plan.aggregations.map { "\($0.name) = \($0.function.name)(\($0.inputs.joined(separator: ", ")))" }.joined(separator: ", ")
            return "groupby-agg by \(list(plan.keys)): \(aggs)" + (splitOut > 1 ? ", splitOut \(splitOut)" : "")
        case .merge(let m): return "merge \(m.how.rawValue) on \(list(m.leftOn)) = \(list(m.rightOn))"
        case .sort(let by, let asc, _):
            return "sort by " + zip(by, asc).map { "\($0) \($1 ? "asc" : "desc")" }.joined(separator: ", ")
        case .limit(let n): return "limit \(n) rows per partition"
        case .map(let m): return "\(m.kind) (closure, reads \(m.reads.map(list) ?? "every column"))"
        case .dropDuplicates(let subset, let splitOut):
            return "drop-duplicates on \(subset.map(list) ?? "every column"), first occurrences in order" + (splitOut > 1 ? ", splitOut \(splitOut)" : "")
        case .gather(let kind, _): return "\(kind) (closure over all partitions)"
        }
    }
}
