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
}

extension Computable {
    /// The graph behind this collection.
    public var graph: TaskGraph { TaskGraph(outputs) }

    /// Computes the value, blocking the calling thread.
    /// - Parameter scheduler: where to run; `Scheduler.default` when nil.
    /// - Throws: `TaskFailure` naming the first task that threw.
    public func compute(scheduler: Scheduler? = nil) throws -> Output {
        let refs = outputs
        let values = try TaskGraph(refs).compute(scheduler: scheduler)
        return try assemble(values[...])
    }

    /// Computes the value from Swift concurrency, suspending instead of blocking.
    /// - Throws: `TaskFailure`, or `CancellationError` when the calling task is cancelled.
    public func compute(scheduler: Scheduler? = nil) async throws -> Output {
        let values = try await TaskGraph(outputs).compute(scheduler: scheduler)
        return try assemble(values[...])
    }
}

/// Computes several lazy values in one graph; a task they share runs once.
///
/// ```swift
/// let (total, mean) = try compute(total, mean)
/// ```
/// - Throws: `TaskFailure` naming the first task that threw.
public func compute<each C: Computable>(_ items: repeat each C, scheduler: Scheduler? = nil) throws -> (repeat (each C).Output) {
    var refs: [TaskRef] = []
    for item in repeat each items { refs.append(contentsOf: item.outputs) }
    let values = try TaskGraph(refs).compute(scheduler: scheduler)
    var offset = 0
    func take<T: Computable>(_ item: T) throws -> T.Output {
        let n = item.outputs.count
        defer { offset += n }
        return try item.assemble(values[offset..<offset + n])
    }
    return (repeat try take(each items))
}

/// Computes several lazy values in one graph from Swift concurrency.
public func compute<each C: Computable>(_ items: repeat each C, scheduler: Scheduler? = nil) async throws -> (repeat (each C).Output) {
    var refs: [TaskRef] = []
    for item in repeat each items { refs.append(contentsOf: item.outputs) }
    let values = try await TaskGraph(refs).compute(scheduler: scheduler)
    var offset = 0
    func take<T: Computable>(_ item: T) throws -> T.Output {
        let n = item.outputs.count
        defer { offset += n }
        return try item.assemble(values[offset..<offset + n])
    }
    return (repeat try take(each items))
}
