import Atomics
import Synchronization

/// One task's inputs and work, as a layer produces it.
///
/// `run` receives the computed values of `inputs`, in the same order, and returns this task's value.
/// Values cross task boundaries type-erased as `Any`; collections cast them back to their block type.
public struct TaskSpec: @unchecked Sendable {
    /// The tasks whose results this task consumes, in argument order.
    public var inputs: [TaskRef]
    /// The work: called once, on some worker thread, with the inputs' values.
    public var run: @Sendable ([Any]) throws -> Any

    /// Creates a task from its inputs and the closure that computes it.
    public init(inputs: [TaskRef] = [], run: @escaping @Sendable ([Any]) throws -> Any) {
        self.inputs = inputs
        self.run = run
    }
}

/// A reference to one task: the layer that produces it and its position in that layer.
public struct TaskRef: @unchecked Sendable {
    /// The layer that owns the task.
    public let layer: Layer
    /// The task's position in the layer, `0..<layer.count`.
    public let index: Int

    /// Creates a reference to task `index` of `layer`.
    public init(_ layer: Layer, _ index: Int = 0) {
        precondition(index >= 0 && index < layer.count, "task index \(index) outside layer \(layer.name) of \(layer.count) tasks")
        self.layer = layer
        self.index = index
    }

    /// The readable key of the referenced task.
    public var key: Key { layer.key(index) }
}

/// A group of tasks made by one operation (one Delayed call, one array operation over all blocks).
///
/// Layers are immutable and shared by reference: a new operation makes a new layer whose tasks
/// point at tasks of earlier layers, so combining graphs is O(1) and building a graph of `n`
/// tasks takes O(n) time and memory. Tasks are produced lazily by `task(_:)` when a compute
/// materialises the layer, and only those reachable from the requested outputs (the cull).
public final class Layer: @unchecked Sendable {
    // The cull reads `planMark`, `single` and `count` of every layer it reaches, and retains it:
    // declared first, they share the object header's cache line (a miss per layer, not two).
    /// Where the plan being built now put this layer's tasks: the build's id in the high 32 bits,
    /// its first slot + 1 in the low ones; 0 when no build holds the layer. It spares the cull a
    /// hash lookup per edge (a dictionary keyed by layer was a tenth of building a 200,000-task
    /// Delayed graph); see `ExecutionPlan`'s `SlotTable` for the protocol.
    let planMark = Atomic<UInt64>(0)
    /// The spec of a one-task layer made from a ready spec: `Delayed` builds one such layer per
    /// call, and holding the spec directly saves the two closure contexts per task that
    /// wrapping it in `make` would allocate (and free again when the graph goes).
    /// Variable only so that `deinit` can take it (see there); nothing else writes it.
    @exclusivity(unchecked) private var single: TaskSpec?
    /// How many tasks the layer holds.
    public let count: Int
    /// A name unique in this process, such as `add-12`.
    public var name: String { explicitName ?? "\(kind)-\(serial)" }
    private let explicitName: String?
    /// The process-wide serial number behind generated names; formatting waits until a key is
    /// wanted, which most tasks never are.
    private let serial: Int
    /// The operation's name (`add`, `random`, `read-csv`), used by diagnostics to group tasks.
    public let kind: String
    /// The block grid of the layer, when its tasks are blocks of an n-d collection; keys then
    /// carry the n-d block index. `nil` for flat layers.
    public let grid: [Int]?
    /// Produces task `i`'s spec; nil when the layer holds its one spec in `single`.
    /// Variable only so that `deinit` can take it (see there); nothing else writes it.
    @exclusivity(unchecked) private var make: (@Sendable (Layer, Int) -> TaskSpec)?
    /// Its role in a shuffle, boxed so that the many layers outside shuffles pay one word.
    private let shuffleBox: ShuffleRoleBox?

    /// What the layer is to a `Shuffle` (its split or its pieces), nil for every other layer.
    public var shuffleRole: ShuffleRole? { shuffleBox?.role }

    /// Creates a layer of `count` tasks, produced on demand by `task`.
    ///
    /// - Parameters:
    ///   - kind: the operation's name; the layer's unique name is `kind-<n>` unless `name` is given.
    ///   - name: an explicit unique name (for user-named Delayed values).
    ///   - count: the number of tasks.
    ///   - grid: the n-d block grid whose row-major flattening gives the task index, if any.
    ///   - task: returns the spec of task `i`; called at most once per compute and task.
    public convenience init(kind: String, name: String? = nil, count: Int = 1, grid: [Int]? = nil,
                            task: @escaping @Sendable (Int) -> TaskSpec) {
        self.init(kind: kind, name: name, count: count, grid: grid, selfReferencing: { _, i in task(i) })
    }

    /// Creates a layer whose tasks may consume earlier tasks of the same layer (a running carry,
    /// a chain): `task` receives the layer itself, so it never has to capture it, which would
    /// be a reference cycle and, in Swift 6, a capture of a variable declared after the closure.
    ///
    /// - Parameters: as ``init(kind:name:count:grid:task:)``; `task(layer, i)` returns task `i`'s
    ///   spec and may refer to `layer[j]` for `j` other than `i` (the graph must stay acyclic).
    public convenience init(kind: String, name: String? = nil, count: Int = 1, grid: [Int]? = nil,
                            selfReferencing task: @escaping @Sendable (Layer, Int) -> TaskSpec) {
        self.init(kind: kind, name: name, count: count, grid: grid, shuffleRole: nil, selfReferencing: task)
    }

    /// Creates a layer with a role in a shuffle (see `Shuffle`, the only maker of such layers).
    init(kind: String, name: String? = nil, count: Int, grid: [Int]? = nil, shuffleRole: ShuffleRole?,
         selfReferencing task: @escaping @Sendable (Layer, Int) -> TaskSpec) {
        precondition(count >= 0, "a layer cannot hold a negative number of tasks")
        self.kind = kind
        self.explicitName = name
        self.serial = name == nil ? Layer.counter.loadThenWrappingIncrement(ordering: .relaxed) + 1 : 0
        self.count = count
        self.grid = grid
        self.make = task
        self.single = nil
        self.shuffleBox = shuffleRole.map(ShuffleRoleBox.init)
    }

    /// Creates a layer of one task whose spec is already known.
    ///
    /// - Parameters:
    ///   - kind: the operation's name; the layer's unique name is `kind-<n>` unless `name` is given.
    ///   - name: an explicit unique name (for user-named Delayed values).
    ///   - spec: the task.
    public init(kind: String, name: String? = nil, spec: TaskSpec) {
        self.kind = kind
        self.explicitName = name
        self.serial = name == nil ? Layer.counter.loadThenWrappingIncrement(ordering: .relaxed) + 1 : 0
        self.count = 1
        self.grid = nil
        self.make = nil
        self.single = spec
        self.shuffleBox = nil
    }

    /// A layer whose tasks are already-computed values (data loaded in memory, persisted results).
    public convenience init(kind: String, name: String? = nil, values: [any Sendable], grid: [Int]? = nil) {
        if values.count == 1 && grid == nil {
            let v = values[0]
            self.init(kind: kind, name: name, spec: TaskSpec { _ in v })
            return
        }
        self.init(kind: kind, name: name, count: values.count, grid: grid) { i in
            let v = values[i]
            return TaskSpec { _ in v }
        }
    }

    deinit {
        // A chain of layers ends one after another, not one inside another (`GraphTeardown`).
        // Value layers refer to no other layer.
        guard make != nil || !(single?.inputs.isEmpty ?? true) else { return }
        GraphTeardown.current.release { () -> (TaskSpec?, (@Sendable (Layer, Int) -> TaskSpec)?) in
            defer { single = nil; make = nil }
            return (single, make)
        }
    }

    /// The spec of task `i`.
    public func task(_ i: Int) -> TaskSpec {
        if let single { return single }
        return make!(self, i)
    }

    /// A reference to task `i`.
    public subscript(_ i: Int) -> TaskRef { TaskRef(self, i) }

    /// All task references of the layer, in index order.
    public var refs: [TaskRef] { (0..<count).map { TaskRef(self, $0) } }

    /// The readable key of task `i`.
    public func key(_ i: Int) -> Key {
        guard let grid, !grid.isEmpty else { return count == 1 && grid == nil ? Key(name) : Key(name, [i]) }
        var index = [Int](repeating: 0, count: grid.count)
        var rest = i
        for axis in stride(from: grid.count - 1, through: 0, by: -1) {
            let g = Swift.max(grid[axis], 1)
            index[axis] = rest % g
            rest /= g
        }
        return Key(name, index)
    }

    private static let counter = ManagedAtomic<Int>(0)

    /// `kind-<n>` with a process-wide counter, so every layer name is unique.
    public static func uniqueName(_ kind: String) -> String {
        "\(kind)-\(counter.loadThenWrappingIncrement(ordering: .relaxed) + 1)"
    }
}

/// A `ShuffleRole` behind one reference, so `Layer` grows by a word, not by the enum's size.
final class ShuffleRoleBox: Sendable {
    let role: ShuffleRole
    init(_ role: ShuffleRole) { self.role = role }
}
