/// A lazy collection that `compute` can evaluate: `Delayed`, `ChunkedArray`, `ChunkedFrame`.
///
/// A computable names the tasks whose values it needs (`outputs`) and assembles them into its
/// result (`assemble`). Several computables computed together share one graph, so a task they
/// have in common runs once.
public protocol Computable {
    /// What `compute` returns.
    associatedtype Output
    /// The tasks whose values make the result, in the order `assemble` expects.
    var outputs: [TaskRef] { get }
    /// Builds the result from the computed values of `outputs`, in order.
    func assemble(_ values: ArraySlice<Any>) throws -> Output
    /// `assemble`, handed the only reference to the values (`values` is left empty), so that it
    /// may release each part as soon as it is used: a frame concatenates its partitions column by
    /// column, freeing each partition's column once copied, so assembling needs about one
    /// result's memory rather than two. `assemble(values[...])` by default.
    func assemble(consuming values: inout [Any]) throws -> Output
    /// Called on every item of one `compute(a, b, …)` before any item's tasks are asked for, so
    /// collections that plan before building tasks (frames) can optimize all outputs together.
    func prepare(_ session: ComputeSession)
    /// The tasks whose values make the result when computed with the other items of `session`,
    /// in the order `assemble` expects; `outputs` by default.
    func outputs(in session: ComputeSession) -> [TaskRef]
}

/// What the items of one `compute(a, b, …)` share while their tasks are built: one value per
/// kind of planner, made on first use.
public final class ComputeSession {
    private var shared: [ObjectIdentifier: AnyObject] = [:]

    /// A session for one compute.
    public init() {}

    /// The session's value of type `T`, made by `make` the first time it is asked for.
    public func shared<T: AnyObject>(_ make: () -> T) -> T {
        if let v = shared[ObjectIdentifier(T.self)] { return v as! T }
        let v = make()
        shared[ObjectIdentifier(T.self)] = v
        return v
    }
}

extension Computable {
    /// Nothing to share: most collections already are tasks.
    public func prepare(_ session: ComputeSession) {}

    /// `assemble(values[...])`, then `values` emptied.
    /// - Parameter values: the computed values of `outputs`, in order.
    /// - Returns: the result.
    /// - Throws: what `assemble` throws.
    public func assemble(consuming values: inout [Any]) throws -> Output {
        defer { values = [] }
        return try assemble(values[...])
    }

    /// `outputs`.
    public func outputs(in session: ComputeSession) -> [TaskRef] { outputs }

    /// The graph behind this collection.
    public var graph: TaskGraph { TaskGraph(outputs) }

    /// Computes the value, blocking the calling thread.
    /// - Parameter scheduler: where to run; `Scheduler.default` when nil.
    /// - Throws: `TaskFailure` naming the first task that threw.
    public func compute(scheduler: Scheduler? = nil) throws -> Output {
        let refs = outputs
        var values = try TaskGraph(refs).compute(scheduler: scheduler)
        return try assemble(consuming: &values)
    }

    /// Computes the value from Swift concurrency, suspending instead of blocking.
    /// - Throws: `TaskFailure`, or `CancellationError` when the calling task is cancelled.
    public func compute(scheduler: Scheduler? = nil) async throws -> Output {
        var values = try await TaskGraph(outputs).compute(scheduler: scheduler)
        return try assemble(consuming: &values)
    }
}

/// Computes several lazy values in one graph; a task they share runs once. Collections that
/// plan before building tasks (frames) are first optimized together: every item is prepared
/// (`Computable.prepare(_:)`) before any is asked for its tasks.
///
/// ```swift
/// let (total, mean) = try compute(total, mean)
/// ```
/// - Throws: `TaskFailure` naming the first task that threw.
public func compute<each C: Computable>(_ items: repeat each C, scheduler: Scheduler? = nil) throws -> (repeat (each C).Output) {
    let (refs, counts) = jointOutputs(repeat each items)
    let values = try TaskGraph(refs).compute(scheduler: scheduler)
    var offset = 0, item = 0
    func take<T: Computable>(_ c: T) throws -> T.Output {
        let n = counts[item]
        defer { offset += n; item += 1 }
        return try c.assemble(values[offset..<offset + n])
    }
    return (repeat try take(each items))
}

/// Computes several lazy values in one graph from Swift concurrency.
public func compute<each C: Computable>(_ items: repeat each C, scheduler: Scheduler? = nil) async throws -> (repeat (each C).Output) {
    let (refs, counts) = jointOutputs(repeat each items)
    let values = try await TaskGraph(refs).compute(scheduler: scheduler)
    var offset = 0, item = 0
    func take<T: Computable>(_ c: T) throws -> T.Output {
        let n = counts[item]
        defer { offset += n; item += 1 }
        return try c.assemble(values[offset..<offset + n])
    }
    return (repeat try take(each items))
}

/// The output tasks of several items computed together, and how many belong to each: every item
/// is prepared before any is asked for its tasks.
func jointOutputs<each C: Computable>(_ items: repeat each C) -> (refs: [TaskRef], counts: [Int]) {
    let session = ComputeSession()
    for item in repeat each items { item.prepare(session) }
    var refs: [TaskRef] = []
    var counts: [Int] = []
    for item in repeat each items {
        let mine = item.outputs(in: session)
        refs.append(contentsOf: mine)
        counts.append(mine.count)
    }
    return (refs, counts)
}
