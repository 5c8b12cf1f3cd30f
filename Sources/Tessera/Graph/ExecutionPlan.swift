import Synchronization

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
    /// The closure each task runs (`TaskBody.fused` for a fused task, whose chain is in `chains`).
    let runs: [TaskBody]
    /// Every fused chain's closures, one chain after another (chain `c` at
    /// `fusedRefs.runStart(c)..<fusedRefs.runStart(c + 1)`), each fed the previous one's value;
    /// `fusedRefs.index[i]` numbers task `i`'s chain.
    let chains: [TaskBody]
    /// Task references, for keys and kinds (the last task of each fused chain).
    public let refs: [TaskRef]
    /// How many original tasks each plan task stands for (1 unless fused).
    public let fusedCounts: [Int]
    /// For fused tasks only: the references of every original task in the chain, in run order
    /// (`fusedRefs[i]` is nil for a task that is not fused).
    public let fusedRefs: FusedChains
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
        // Each layer reached gets a base offset into one flat array of plan indices (-1: unseen,
        // -2: on the stack), found through the layer's `planMark`, so there is no hash lookup
        // per task edge and no allocation per layer.
        // A local struct, not a nested function capturing `var`s: captured vars would be boxed
        // and every access checked for exclusivity at run time (seven checks per task).
        struct SlotTable {
            /// This build's id, unique among the builds running at once.
            let build: UInt64 = ExecutionPlan.nextBuild.wrappingAdd(1, ordering: .relaxed).newValue % 0xFFFF_FFFF + 1
            /// Layers whose mark this build holds; released when the cull ends. Unretained: the
            /// cull's raw references hold every layer it reached until `release()` (a retain and
            /// a release per layer, each a cache miss on a graph of one-task layers).
            var marked: [Unmanaged<Layer>] = []
            /// Layers another build held when this one reached them.
            var fallback: [ObjectIdentifier: Int] = [:]
            var slots: [Int32] = []
            @inline(__always) mutating func slot(_ r: TaskRef) -> Int {
                let layer = r.layer
                let mark = layer.planMark.load(ordering: .relaxed)
                if mark >> 32 == build { return Int(mark & 0xFFFF_FFFF) - 1 + r.index }
                return claim(layer, mark) + r.index
            }
            /// The base of a layer this build has not marked: a new range of slots, recorded in
            /// the layer when no other build holds it and in `fallback` otherwise. `fallback` is
            /// asked first, so a layer seen while another build held it keeps its base after
            /// that build lets go.
            @inline(never) mutating func claim(_ layer: Layer, _ seen: UInt64) -> Int {
                let id = ObjectIdentifier(layer)
                if !fallback.isEmpty, let b = fallback[id] { return b }
                let b = slots.count
                if layer.count == 1 { slots.append(-1) } else { slots.append(contentsOf: repeatElement(-1, count: layer.count)) }
                if seen == 0, layer.planMark.compareExchange(expected: 0, desired: build << 32 | UInt64(b + 1), ordering: .relaxed).exchanged {
                    marked.append(Unmanaged.passUnretained(layer))
                } else {
                    fallback[id] = b
                }
                return b
            }
            /// Lets go of every mark this build holds.
            mutating func release() {
                for layer in marked { layer._withUnsafeGuaranteedRef { $0.planMark.store(0, ordering: .relaxed) } }
                marked = []
            }
        }
        var table = SlotTable()
        // Optional, so the fuse step below can move each one out (`take()`) instead of copying
        // it and releasing the original: two reference counts fewer per task.
        var rawRuns: [TaskBody?] = []
        var rawRefs: [TaskRef?] = []
        var rawStart: [Int] = [0]
        var rawInputs: [Int32] = []
        // A frame holds its task's reference from the moment it is pushed, when its layer's header
        // is in cache (its mark was just read), and hands it on to `rawRefs` by moving it: taking
        // a new reference when the frame is popped, after its inputs' subtrees, touched every
        // layer once more, usually a cache miss.
        struct Frame { var ref: TaskRef?; let slot: Int; let spec: TaskSpec; var next: Int }
        var stack: [Frame] = []
        // The slot-table positions of the inputs of every frame on the stack, the top frame's
        // last: a popped task reads its inputs' plan indices from here instead of finding each
        // input's layer again.
        var inputSlots: [Int] = []
        let visiting: Int32 = -2
        var outputIdx: [Int] = []
        outputIdx.reserveCapacity(requested.count)
        for out in requested {
            let outSlot = table.slot(out)
            if table.slots[outSlot] >= 0 { outputIdx.append(Int(table.slots[outSlot])); continue }
            table.slots[outSlot] = visiting
            stack.append(Frame(ref: out, slot: outSlot, spec: out.layer.task(out.index), next: 0))
            while !stack.isEmpty {
                let top = stack.count - 1
                let next = stack[top].next
                if next < stack[top].spec.inputs.count {
                    let child = stack[top].spec.inputs[next]
                    let cs = table.slot(child)
                    inputSlots.append(cs)
                    stack[top].next = next + 1
                    if table.slots[cs] < 0 {
                        precondition(table.slots[cs] != visiting, "cycle in task graph at \(child.key)")
                        table.slots[cs] = visiting
                        stack.append(Frame(ref: child, slot: cs, spec: child.layer.task(child.index), next: 0))
                    }
                } else {
                    var f = stack.removeLast()
                    table.slots[f.slot] = Int32(rawRuns.count)
                    // Every input has its index by now (post-order).
                    let inputCount = f.spec.inputs.count
                    for k in (inputSlots.count - inputCount)..<inputSlots.count {
                        rawInputs.append(table.slots[inputSlots[k]])
                    }
                    for _ in 0..<inputCount { inputSlots.removeLast() }
                    rawStart.append(rawInputs.count)
                    rawRuns.append(TaskBody(run: f.spec.run))
                    rawRefs.append(f.ref.take())
                }
            }
            outputIdx.append(Int(table.slots[outSlot]))
        }
        table.release()
        table = SlotTable()

        let n = rawRuns.count
        var consumerCount = [Int32](repeating: 0, count: n)
        for d in rawInputs { consumerCount[Int(d)] += 1 }
        var outputFlag = [Bool](repeating: false, count: n)
        for o in outputIdx { outputFlag[o] = true }

        // --- fuse linear chains: d is absorbed when its only consumer t has d as its only input ---
        var absorbed = [Bool](repeating: false, count: n)
        if fuse {
            for t in 0..<n where rawStart[t + 1] - rawStart[t] == 1 {
                let d = Int(rawInputs[rawStart[t]])
                if consumerCount[d] == 1 && !outputFlag[d] { absorbed[d] = true }
            }
        }
        var newIndex = [Int32](repeating: -1, count: n)
        var runs: [TaskBody] = []
        var keptRefs: [TaskRef] = []
        var fusedCounts: [Int] = []
        var keptStart: [Int] = [0]
        var keptInputs: [Int32] = []
        runs.reserveCapacity(n)
        keptRefs.reserveCapacity(n)
        fusedCounts.reserveCapacity(n)
        // Chains laid end to end in flat arrays (`chainStart` delimits them), not an array per
        // chain: a Delayed graph of 100,000 `inc(value)` pairs makes 100,000 chains, and two small
        // arrays for each were a tenth of building its plan. `chainIndex` stays empty until the
        // first chain.
        var chainIndex: [Int32] = []
        var chainStart: [Int] = [0]
        var chainRuns: [TaskBody] = []
        var chainRefs: [TaskRef] = []
        var members: [Int] = []
        for t in 0..<n where !absorbed[t] {
            // A kept task ends a chain when its one input was absorbed: walk back to the chain's
            // head (an absorbed task's one consumer has it as its only input, so the walk is the
            // chain, and every absorbed task is reached from exactly one kept task).
            var head = t
            members.removeAllKeepingStorage()
            while rawStart[head + 1] - rawStart[head] == 1, absorbed[Int(rawInputs[rawStart[head]])] {
                members.append(head)
                head = Int(rawInputs[rawStart[head]])
            }
            let k = runs.count
            newIndex[t] = Int32(k)
            if members.isEmpty {
                runs.append(rawRuns[t].take()!)
                fusedCounts.append(1)
                if !chainIndex.isEmpty { chainIndex.append(-1) }
                keptRefs.append(rawRefs[t].take()!)
            } else {
                members.append(head)
                if chainIndex.isEmpty { chainIndex = [Int32](repeating: -1, count: k) }
                chainIndex.append(Int32(chainStart.count - 1))
                for m in members.reversed() {
                    chainRuns.append(rawRuns[m].take()!)
                    if m != t { chainRefs.append(rawRefs[m].take()!) }
                }
                chainStart.append(chainRefs.count)
                // `run(_:_:)` runs a fused task from `chains`; a copy of its first closure here
                // would retain the context of every chain's head (a value's, say), a cache miss each.
                runs.append(TaskBody.fused)
                fusedCounts.append(members.count)
                keptRefs.append(rawRefs[t].take()!)
            }
            for e in rawStart[head]..<rawStart[head + 1] { keptInputs.append(rawInputs[e]) }
            keptStart.append(keptInputs.count)
        }
        rawRuns = []
        rawRefs = []
        let m = runs.count
        for k in keptInputs.indices { keptInputs[k] = newIndex[Int(keptInputs[k])] }
        var dependentCount = [Int](repeating: 0, count: m)
        for i in 0..<m {
            ExecutionPlan.forEachDistinct(keptInputs[keptStart[i]..<keptStart[i + 1]]) { dependentCount[Int($0)] += 1 }
        }
        var dependentStart = [Int](repeating: 0, count: m + 1)
        for i in 0..<m { dependentStart[i + 1] = dependentStart[i] + dependentCount[i] }
        var fill = dependentStart
        var flatDependents = [Int32](repeating: 0, count: dependentStart[m])
        for i in 0..<m {
            ExecutionPlan.forEachDistinct(keptInputs[keptStart[i]..<keptStart[i + 1]]) { d in
                flatDependents[fill[Int(d)]] = Int32(i)
                fill[Int(d)] += 1
            }
        }
        var isOutput = [Bool](repeating: false, count: m)
        let outs = outputIdx.map { Int(newIndex[$0]) }
        for o in outs { isOutput[o] = true }

        self.count = m
        self.runs = runs
        self.chains = chainRuns
        self.refs = keptRefs
        self.fusedCounts = fusedCounts
        self.fusedRefs = FusedChains(index: chainIndex, start: chainStart, earlier: chainRefs, last: keptRefs)
        self.inputStart = keptStart
        self.inputs = keptInputs
        self.dependentStart = dependentStart
        self.dependents = flatDependents
        self.isOutput = isOutput
        self.outputs = outs
    }

    /// Ids for plan builds (`SlotTable.build`).
    fileprivate static let nextBuild = Atomic<UInt64>(0)

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

    /// Runs task `i` (its whole chain when fused) on its input values.
    ///
    /// - Parameter args: the inputs' values; a fused chain reuses the array to hand each value
    ///   to the next closure (an array allocated per step was one malloc per fused task). It holds
    ///   the last value handed on when this returns: the caller empties it.
    /// - Throws: a `TaskFailure` naming the original task of the chain that threw.
    @inline(__always)
    func run(_ i: Int, _ args: inout [Any]) throws -> Any {
        guard fusedCounts[i] > 1 else {
            do { return try runs[i].run(args) } catch {
                throw TaskFailure(key: refs[i].key, kind: refs[i].layer.kind, underlying: error)
            }
        }
        let c = Int(fusedRefs.index[i])
        let first = fusedRefs.runStart(c), end = fusedRefs.runStart(c + 1)
        var k = first
        do {
            var value = try chains[k].run(args)
            k += 1
            while k < end {
                args.removeAllKeepingStorage()
                args.append(value)
                value = try chains[k].run(args)
                k += 1
            }
            return value
        } catch {
            let ref = k == end - 1 ? refs[i] : fusedRefs.earlier[k - c]
            throw TaskFailure(key: ref.key, kind: ref.layer.kind, underlying: error)
        }
    }
}

/// A task's closure as an `ExecutionPlan` keeps it. Wrapped in a struct because an array (or
/// optional) of bare function values holds them at their most general abstraction: every closure
/// moved in from a `TaskSpec` got a reabstraction thunk, an allocation per task when the plan is
/// built and an extra indirect call when it runs. A struct field keeps `TaskSpec`'s own form.
struct TaskBody {
    let run: @Sendable ([Any]) throws -> Any

    /// What `runs` holds for a fused task, whose closures are in `chains`; never called.
    static let fused = TaskBody { _ in preconditionFailure("a fused task runs its chain") }
}
