/// The flat, index-based form of a graph that the schedulers run.
///
/// Built by `ExecutionPlan(outputs:fuse:)`:
/// 1. **Cull** — an iterative depth-first walk from the requested outputs materialises only the
///    reachable tasks, each once, however many consumers share it. The walk's post-order is a
///    topological order, and no recursion is used, so a 10,000-deep chain is fine.
/// 2. **Fuse** — a task with one input whose producer has no other consumer (and is not an output)
///    absorbs that producer: the chain runs as one task, a loop over its closures.
/// 3. **Index** — inputs, dependents and consumer counts become integer arrays (CSR form), so
///    execution never hashes a key.
///
/// - Complexity: O(t + e) time and memory for t reachable tasks and e dependency edges.
public final class ExecutionPlan: @unchecked Sendable {
    /// Number of tasks after culling and fusion.
    public let count: Int
    /// The closures each task runs, in order; fused chains hold several, each fed the previous one's value.
    let chains: [[([Any]) throws -> Any]]
    /// Task references, for keys and kinds (the last task of each fused chain).
    public let refs: [TaskRef]
    /// How many original tasks each plan task stands for (1 unless fused).
    public let fusedCounts: [Int]
    /// For fused tasks only: the references of every original task in the chain, in run order.
    public let fusedRefs: [Int: [TaskRef]]
    let inputStart: [Int]
    let inputs: [Int32]
    let dependentStart: [Int]
    let dependents: [Int32]
    /// Whether each task's value is a requested output (never released early).
    let isOutput: [Bool]
    /// The plan index of each requested output, in request order (duplicates allowed).
    public let outputs: [Int]

    /// Inputs of task `i` as plan indices.
    public func inputs(of i: Int) -> ArraySlice<Int32> { inputs[inputStart[i]..<inputStart[i + 1]] }
    /// Dependents of task `i` as plan indices.
    public func dependents(of i: Int) -> ArraySlice<Int32> { dependents[dependentStart[i]..<dependentStart[i + 1]] }
    /// The readable key of task `i`.
    public func key(_ i: Int) -> Key { refs[i].key }
    /// The kind (operation name) of task `i`.
    public func kind(_ i: Int) -> String { refs[i].layer.kind }

    /// Materialises, culls and (unless `fuse` is false) fuses the graph behind `outputs`.
    public init(outputs requested: [TaskRef], fuse: Bool = true) {
        // --- cull: iterative post-order DFS over lazily generated tasks ---
        var slotOfLayer: [ObjectIdentifier: Int] = [:]
        var layerSlots: [[Int32]] = []
        func lookup(_ r: TaskRef) -> (slot: Int, value: Int32) {
            let id = ObjectIdentifier(r.layer)
            if let s = slotOfLayer[id] { return (s, layerSlots[s][r.index]) }
            let s = layerSlots.count
            slotOfLayer[id] = s
            layerSlots.append([Int32](repeating: -1, count: r.layer.count))
            return (s, -1)
        }
        var specs: [TaskSpec] = []
        var refs: [TaskRef] = []
        var rawInputs: [[Int32]] = []
        struct Frame { var ref: TaskRef; var slot: Int; var spec: TaskSpec; var next: Int; var resolved: [Int32] }
        var stack: [Frame] = []
        let visiting: Int32 = -2
        var outputIdx: [Int] = []
        outputIdx.reserveCapacity(requested.count)
        for out in requested {
            let (slot, v) = lookup(out)
            if v >= 0 { outputIdx.append(Int(v)); continue }
            layerSlots[slot][out.index] = visiting
            stack.append(Frame(ref: out, slot: slot, spec: out.layer.task(out.index), next: 0, resolved: []))
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].next < stack[top].spec.inputs.count {
                    let child = stack[top].spec.inputs[stack[top].next]
                    let (cs, cv) = lookup(child)
                    if cv >= 0 {
                        stack[top].resolved.append(cv)
                        stack[top].next += 1
                    } else {
                        precondition(cv != visiting, "cycle in task graph at \(child.key)")
                        layerSlots[cs][child.index] = visiting
                        stack.append(Frame(ref: child, slot: cs, spec: child.layer.task(child.index), next: 0, resolved: []))
                    }
                } else {
                    let f = stack.removeLast()
                    let id = Int32(specs.count)
                    layerSlots[f.slot][f.ref.index] = id
                    specs.append(f.spec)
                    refs.append(f.ref)
                    rawInputs.append(f.resolved)
                    if !stack.isEmpty {
                        stack[stack.count - 1].resolved.append(id)
                        stack[stack.count - 1].next += 1
                    }
                }
            }
            outputIdx.append(Int(layerSlots[slot][out.index]))
        }

        let n = specs.count
        var consumerCount = [Int32](repeating: 0, count: n)
        for ins in rawInputs { for d in ins { consumerCount[Int(d)] += 1 } }
        var outputFlag = [Bool](repeating: false, count: n)
        for o in outputIdx { outputFlag[o] = true }

        // --- fuse linear chains: absorbedInto[d] = t when d's only consumer t has d as its only input ---
        var absorbed = [Bool](repeating: false, count: n)
        if fuse {
            for t in 0..<n where rawInputs[t].count == 1 {
                let d = Int(rawInputs[t][0])
                if consumerCount[d] == 1 && !outputFlag[d] { absorbed[d] = true }
            }
        }
        var newIndex = [Int32](repeating: -1, count: n)
        var chains: [[([Any]) throws -> Any]] = []
        var keptRefs: [TaskRef] = []
        var fusedCounts: [Int] = []
        var keptInputs: [[Int32]] = []
        chains.reserveCapacity(n)
        var pendingChain: [Int: [([Any]) throws -> Any]] = [:]
        var pendingInputs: [Int: [Int32]] = [:]
        var pendingRefs: [Int: [TaskRef]] = [:]
        var fusedRefs: [Int: [TaskRef]] = [:]
        for t in 0..<n {
            // A task's chain starts with its absorbed producers' chain (if any), then its own closure.
            var chain: [([Any]) throws -> Any]
            var ins: [Int32]
            if rawInputs[t].count == 1, absorbed[Int(rawInputs[t][0])] {
                let d = Int(rawInputs[t][0])
                chain = pendingChain.removeValue(forKey: d)!
                ins = pendingInputs.removeValue(forKey: d)!
                chain.append(specs[t].run)
                var chainRefs = pendingRefs.removeValue(forKey: d) ?? [refs[d]]
                chainRefs.append(refs[t])
                if absorbed[t] { pendingRefs[t] = chainRefs } else { fusedRefs[chains.count] = chainRefs }
            } else {
                chain = [specs[t].run]
                ins = rawInputs[t]
            }
            if absorbed[t] {
                pendingChain[t] = chain
                pendingInputs[t] = ins
            } else {
                newIndex[t] = Int32(chains.count)
                chains.append(chain)
                keptRefs.append(refs[t])
                fusedCounts.append(chain.count)
                keptInputs.append(ins)
            }
        }
        let m = chains.count
        var inputStart = [Int](repeating: 0, count: m + 1)
        var flatInputs: [Int32] = []
        var dependentCount = [Int](repeating: 0, count: m)
        for i in 0..<m {
            for d in keptInputs[i] {
                let nd = newIndex[Int(d)]
                flatInputs.append(nd)
            }
            inputStart[i + 1] = flatInputs.count
        }
        var dependentStart = [Int](repeating: 0, count: m + 1)
        for i in 0..<m {
            ExecutionPlan.forEachDistinct(flatInputs[inputStart[i]..<inputStart[i + 1]]) { dependentCount[Int($0)] += 1 }
        }
        for i in 0..<m { dependentStart[i + 1] = dependentStart[i] + dependentCount[i] }
        var fill = dependentStart
        var flatDependents = [Int32](repeating: 0, count: dependentStart[m])
        for i in 0..<m {
            ExecutionPlan.forEachDistinct(flatInputs[inputStart[i]..<inputStart[i + 1]]) { d in
                flatDependents[fill[Int(d)]] = Int32(i)
                fill[Int(d)] += 1
            }
        }
        var isOutput = [Bool](repeating: false, count: m)
        let outs = outputIdx.map { Int(newIndex[$0]) }
        for o in outs { isOutput[o] = true }

        self.count = m
        self.chains = chains
        self.refs = keptRefs
        self.fusedCounts = fusedCounts
        self.fusedRefs = fusedRefs
        self.inputStart = inputStart
        self.inputs = flatInputs
        self.dependentStart = dependentStart
        self.dependents = flatDependents
        self.isOutput = isOutput
        self.outputs = outs
    }

    /// Number of distinct inputs of task `i` (a task can consume the same input twice).
    func distinctInputCount(_ i: Int) -> Int {
        var n = 0
        ExecutionPlan.forEachDistinct(inputs(of: i)) { _ in n += 1 }
        return n
    }

    /// Number of distinct consumers of task `i`: its value is released after that many have run.
    func consumerCount(_ i: Int) -> Int { dependentStart[i + 1] - dependentStart[i] }

    /// Calls `body` once per distinct element; small slices are scanned, large ones hashed.
    @inline(__always)
    static func forEachDistinct(_ slice: ArraySlice<Int32>, _ body: (Int32) -> Void) {
        if slice.count <= 16 {
            var i = slice.startIndex
            while i < slice.endIndex {
                let v = slice[i]
                var dup = false
                var j = slice.startIndex
                while j < i { if slice[j] == v { dup = true; break }; j += 1 }
                if !dup { body(v) }
                i += 1
            }
        } else {
            var seen = Set<Int32>(minimumCapacity: slice.count)
            for v in slice where seen.insert(v).inserted { body(v) }
        }
    }

    /// Runs task `i`'s chain on its input values.
    /// - Throws: a `TaskFailure` naming the original task of the chain that threw.
    @inline(__always)
    func run(_ i: Int, _ args: [Any]) throws -> Any {
        let chain = chains[i]
        var k = 0
        do {
            var value = try chain[0](args)
            k = 1
            while k < chain.count {
                value = try chain[k]([value])
                k += 1
            }
            return value
        } catch {
            let ref = fusedRefs[i]?[k] ?? refs[i]
            throw TaskFailure(key: ref.key, kind: ref.layer.kind, underlying: error)
        }
    }
}
