/// A lazy value: the result of a task that has not run yet.
///
/// Wrap ordinary functions with `delayed(_:)`; call them on Delayed values to build
/// a graph; `compute()` runs it in parallel.
///
/// ```swift
/// let inc = delayed(name: "inc") { (x: Int) in x + 1 }
/// let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
/// let total = add(inc(Delayed(1)), inc(Delayed(2)))   // nothing has run yet
/// print(try total.compute())               // 5
/// ```
@dynamicMemberLookup
public struct Delayed<Value: Sendable>: Computable, Sendable, CustomStringConvertible {
    /// The task that produces the value.
    public let ref: TaskRef
    /// How to build the task again inside a joint compute, when the value stands on a
    /// collection that plans (a frame); nil otherwise.
    let joint: JointOrigin?

    /// Wraps an existing task whose value is a `Value`.
    public init(ref: TaskRef) {
        self.ref = ref
        self.joint = nil
    }

    /// Output `index` of `source` (a frame's partition, say), taken from the plan of every item
    /// of a joint `compute(a, b, …)` rather than from `source`'s own: a frame's scan shared by
    /// several such values is then read once. Alone it is `source.outputs[index]`.
    ///
    /// - Parameters:
    ///   - index: the position in `source.outputs`.
    ///   - source: the collection; its `prepare(_:)` joins the session of any compute that
    ///     includes this value or one built on it.
    /// - Complexity: O(1) here; `source.outputs` is evaluated once.
    public init<C: Computable & Sendable>(output index: Int, of source: C) {
        self.ref = source.outputs[index]
        self.joint = JointOrigin(prepare: { source.prepare($0) }, ref: { source.outputs(in: $0)[index] })
    }

    /// A Delayed that is already computed: a constant in the graph.
    /// - Parameters:
    ///   - value: the value.
    ///   - name: the key to give it; `value-<n>` when nil.
    public init(_ value: Value, name: String? = nil) {
        self.ref = TaskRef(Layer(kind: "value", name: name, spec: TaskSpec { _ in value }))
        self.joint = nil
    }

    /// The key of the task, such as `inc-3`.
    public var key: Key { ref.key }

    /// The one task whose value is the result.
    public var outputs: [TaskRef] { [ref] }

    /// Returns the computed value of ``outputs``' only task.
    /// - Parameter values: the computed values of ``outputs``, one element.
    /// - Returns: that element as a `Value`.
    public func assemble(_ values: ArraySlice<Any>) throws -> Value { values.first! as! Value }

    /// `Delayed<Int>(add-3, 5 tasks)`: the value type, the key and the number of tasks in the graph.
    ///
    /// - Complexity: O(*n*) in the number of tasks reachable from this value.
    public var description: String {
        "Delayed<\(Value.self)>(\(key), \(graph.plan(optimize: false).count) tasks)"
    }

    /// Applies `transform` to the value lazily.
    /// - Parameters:
    ///   - name: the kind of the new task, `map` by default.
    ///   - transform: the function to apply; it runs on a worker thread.
    /// - Returns: the transformed value, lazily.
    public func map<T: Sendable>(name: String = "map", _ transform: @escaping @Sendable (Value) throws -> T) -> Delayed<T> {
        Delayed<T>.make(kind: name, from: [input]) { args in try transform(cast(args[0], to: Value.self)) }
    }

    /// Lazily reads a property of the value: `d.count` is a `Delayed<Int>` when `d` holds an array.
    public subscript<T: Sendable>(dynamicMember path: KeyPath<Value, T> & Sendable) -> Delayed<T> {
        Delayed<T>.make(kind: "getattr", from: [input]) { args in cast(args[0], to: Value.self)[keyPath: path] }
    }

    /// Computes the value now and returns a Delayed holding it under the same key, so later
    /// graphs built on it do not recompute it.
    /// - Throws: `TaskFailure` naming the first task that threw.
    public func persist(scheduler: Scheduler? = nil) throws -> Delayed<Value> {
        let value = try compute(scheduler: scheduler)
        return Delayed(ref: TaskRef(Layer(kind: ref.layer.kind, name: ref.layer.name, values: [value])))
    }

    /// A one-task layer running `body` on the values of `inputs`.
    static func make(kind: String, name: String? = nil, from inputs: [DelayedInput], _ body: @escaping @Sendable ([Any]) throws -> Any) -> Delayed<Value> {
        make(kind: kind, name: name, inputs: inputs.map(\.ref),
             joints: inputs.contains { $0.joint != nil } ? inputs.map(\.joint) : nil, body)
    }

    /// A one-task layer running `body` on the values of `inputs`; `joints`, when given, holds
    /// each input's joint-planning recipe (nil for most graphs, which then cost nothing more).
    static func make(kind: String, name: String? = nil, inputs: [TaskRef], joints: [JointOrigin?]?,
                     _ body: @escaping @Sendable ([Any]) throws -> Any) -> Delayed<Value> {
        let ref = TaskRef(Layer(kind: kind, name: name, spec: TaskSpec(inputs: inputs, run: body)))
        guard let joints else { return Delayed(ref: ref) }
        return Delayed(ref: ref, joint: JointOrigin.rebuilding(kind: kind, name: name, inputs: inputs, joints: joints, body))
    }

    /// A value with both of its task forms.
    init(ref: TaskRef, joint: JointOrigin?) {
        self.ref = ref
        self.joint = joint
    }

    /// This value as an input of another task.
    var input: DelayedInput { DelayedInput(ref: ref, joint: joint) }

    /// Lets the collections this value stands on plan with the other items of `session`.
    public func prepare(_ session: ComputeSession) { joint?.prepare(session) }

    /// The value's task built from the plan shared by the items of `session`.
    public func outputs(in session: ComputeSession) -> [TaskRef] { [joint?.ref(session) ?? ref] }
}
