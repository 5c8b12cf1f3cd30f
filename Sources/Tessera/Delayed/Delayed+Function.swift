/// Wraps a function into a lazy one: calling the result on Delayed arguments builds a task
/// instead of running `body` (Dask's `dask.delayed(f)`).
///
/// ```swift
/// let inc = delayed(name: "inc") { (x: Int) in x + 1 }
/// let y = inc(Delayed(41)) // Delayed<Int>, key "inc-<n>"
/// ```
/// - Parameters:
///   - name: the task kind; keys are `name-<n>`.
///   - body: the function; any error it throws surfaces from `compute` as a `TaskFailure`.
/// - Returns: a function from Delayed arguments to a Delayed result; wrap plain values with `Delayed(_:)`.
/// - Complexity: each call is O(number of arguments); nothing runs until `compute`.
public func delayed<each A: Sendable, R: Sendable>(name: String = "delayed", _ body: @escaping @Sendable (repeat each A) throws -> R) -> (repeat Delayed<each A>) -> Delayed<R> {
    // One run closure for every call: each task shares its context instead of allocating its own.
    let run: @Sendable ([Any]) throws -> Any = { values in
        var cursor = ArgumentCursor(values)
        return try body(repeat cursor.next((each A).self))
    }
    return { (args: repeat Delayed<each A>) -> Delayed<R> in
        let (refs, joints) = taskInputs(repeat each args)
        return Delayed<R>.make(kind: name, inputs: refs, joints: joints, run)
    }
}

/// `delayed(name:_:)` for a function of one argument, chosen by the compiler over the variadic
/// form: the same task, without the run-time tuple metadata and pack iteration the variadic form
/// pays at every call and every run (about a tenth of the instructions of a 200,000-task graph:
/// 2.54 G to 2.34 G, measured with cachegrind).
@_documentation(visibility: internal)
public func delayed<A: Sendable, R: Sendable>(name: String = "delayed", _ body: @escaping @Sendable (A) throws -> R) -> (Delayed<A>) -> Delayed<R> {
    let run: @Sendable ([Any]) throws -> Any = { values in try body(cast(values[0], to: A.self)) }
    return { (a: Delayed<A>) -> Delayed<R> in
        Delayed<R>.make(kind: name, inputs: [a.ref], joints: a.joint == nil ? nil : [a.joint], run)
    }
}

/// `delayed(name:_:)` for a function of two arguments; see the one-argument form.
@_documentation(visibility: internal)
public func delayed<A: Sendable, B: Sendable, R: Sendable>(name: String = "delayed", _ body: @escaping @Sendable (A, B) throws -> R) -> (Delayed<A>, Delayed<B>) -> Delayed<R> {
    let run: @Sendable ([Any]) throws -> Any = { values in try body(cast(values[0], to: A.self), cast(values[1], to: B.self)) }
    return { (a: Delayed<A>, b: Delayed<B>) -> Delayed<R> in
        Delayed<R>.make(kind: name, inputs: [a.ref, b.ref],
                        joints: a.joint == nil && b.joint == nil ? nil : [a.joint, b.joint], run)
    }
}

/// Calls `body` lazily on Delayed arguments, naming the task `key` exactly (Dask's `dask_key_name`).
public func delayed<each A: Sendable, R: Sendable>(key: String, _ body: @escaping @Sendable (repeat each A) throws -> R, _ args: repeat Delayed<each A>) -> Delayed<R> {
    let (refs, joints) = taskInputs(repeat each args)
    return Delayed<R>.make(kind: key, name: key, inputs: refs, joints: joints) { values in
        var cursor = ArgumentCursor(values)
        return try body(repeat cursor.next((each A).self))
    }
}

/// Lazily combines a collection of Delayed values with `body` (a fan-in over any number of inputs).
///
/// ```swift
/// let total = delayed(name: "sum", parts) { $0.reduce(0, +) }
/// ```
public func delayed<T: Sendable, R: Sendable>(name: String = "delayed", _ parts: [Delayed<T>], _ body: @escaping @Sendable ([T]) throws -> R) -> Delayed<R> {
    Delayed<R>.make(kind: name, from: parts.map(\.input)) { values in try body(values.map { cast($0, to: T.self) }) }
}

/// The tasks behind `args`, in order, in an array allocated once at its final size (appending
/// to an empty array would allocate again at the second argument, once per task built), and
/// their joint-planning recipes when any has one.
@inline(__always)
func taskInputs<each A>(_ args: repeat Delayed<each A>) -> (refs: [TaskRef], joints: [JointOrigin?]?) {
    var count = 0, planned = false
    for a in repeat each args {
        count += 1
        if a.joint != nil { planned = true }
    }
    var refs: [TaskRef] = []
    refs.reserveCapacity(count)
    for a in repeat each args { refs.append(a.ref) }
    guard planned else { return (refs, nil) }
    var joints: [JointOrigin?] = []
    for a in repeat each args { joints.append(a.joint) }
    return (refs, joints)
}

/// Hands a task's input values to a variadic function one by one, in order.
///
/// A struct with a mutating method rather than a nested function mutating a captured `var`:
/// the captured var would be boxed and checked for exclusivity at run time on every argument.
struct ArgumentCursor {
    private let values: [Any]
    private var position = 0

    init(_ values: [Any]) { self.values = values }

    /// The next value, cast to `T`.
    mutating func next<T>(_: T.Type) -> T {
        defer { position += 1 }
        return cast(values[position], to: T.self)
    }
}

/// `value as! T` for a task's input, cheap when the value's type is exactly `T`.
///
/// A task's inputs are the values its input tasks returned, so their dynamic type is the one the
/// consumer expects, bar class hierarchies and existential targets. Comparing the type and moving
/// the bits costs a few instructions where the runtime's general cast costs a few hundred (a
/// tenth of running a Delayed graph of 200,000 small tasks); anything else takes the general cast.
@inline(__always)
func cast<T>(_ value: Any, to _: T.Type) -> T {
    func exact<V>(_ v: V) -> T { V.self == T.self ? unsafeBitCast(v, to: T.self) : v as! T }
    return exact(value)
}
