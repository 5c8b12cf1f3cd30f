/// Runs a plan on the calling thread in its topological order, releasing each value after its
/// last consumer. Iterative, so graph depth never touches the stack.
struct SynchronousExecutor: Executor {
    var workers: Int { 1 }
    var description: String { "synchronous" }

    func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any] {
        try Self.run(plan, observers: observers)
    }

    func runAsync(_ plan: ExecutionPlan, observers: [ComputeObserver]) async throws -> [Any] {
        try Task.checkCancellation()
        return try Self.run(plan, observers: observers, isCancelled: { Task.isCancelled })
    }

    static func run(_ plan: ExecutionPlan, observers: [ComputeObserver],
                    isCancelled: () -> Bool = { false }) throws -> [Any] {
        for o in observers { o.computeStarted(plan: plan) }
        let results = TaskValues(count: plan.count)
        var consumersLeft = (0..<plan.count).map(plan.consumerCount)
        var args: [Any] = []
        do {
            for i in 0..<plan.count {
                if isCancelled() { throw CancellationError() }
                let ins = plan.inputs(of: i)
                for d in ins { args.append(results.value(Int(d))) }
                for o in observers { o.taskStarted(plan: plan, task: i, rank: 0, worker: 0) }
                defer { for o in observers { o.taskFinished(plan: plan, task: i, rank: 0, worker: 0) } }
                results.store(try plan.run(i, &args), at: i)
                args.removeAllKeepingStorage()
                ExecutionPlan.forEachDistinct(ins) { d in
                    let di = Int(d)
                    consumersLeft[di] -= 1
                    if consumersLeft[di] == 0 && !plan.isOutput[di] { results.clear(di) }
                }
            }
        } catch {
            for o in observers { o.computeFinished(plan: plan, error: error) }
            throw error
        }
        for o in observers { o.computeFinished(plan: plan, error: nil) }
        return plan.outputs.map { results.value($0) }
    }
}
