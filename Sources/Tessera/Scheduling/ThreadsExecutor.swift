/// Runs a plan on the process-wide work-stealing pool of `workers` threads (see ``ThreadPool``).
struct ThreadsExecutor: Executor {
    let workers: Int
    var description: String { "threads(\(workers))" }

    func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any] {
        let outcome = OneShot<Result<[Any], Error>>()
        let job = ComputeJob(plan: plan, observers: observers) { outcome.fulfil($0) }
        job.start(on: ThreadPool.shared(workers: workers))
        return try outcome.wait().get()
    }

    /// Cancelling the calling `Task` stops scheduling new tasks; the call then throws
    /// `CancellationError` once the tasks already running have finished.
    func runAsync(_ plan: ExecutionPlan, observers: [ComputeObserver]) async throws -> [Any] {
        try Task.checkCancellation()
        let pool = ThreadPool.shared(workers: workers)
        let jobBox = LockedBox<ComputeJob?>(nil)
        let handedOver = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HandedOver, Error>) in
                let job = ComputeJob(plan: plan, observers: observers) { continuation.resume(with: $0.map(HandedOver.init)) }
                jobBox.withLock { $0 = job }
                if Task.isCancelled { job.stop(with: CancellationError()) }
                job.start(on: pool)
            }
        } onCancel: {
            jobBox.withLock { _ = $0?.stop(with: CancellationError()) }
        }
        return handedOver.values
    }
}
