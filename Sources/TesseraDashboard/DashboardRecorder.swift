import Atomics
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import NIOConcurrencyHelpers
import Tessera

// The dashboard's observer. The hot path (two callbacks per task) touches only the calling
// worker's lane, through a pointer (see `DashboardRecorder+Lane.swift`): one uncontended spin
// lock, one clock read per callback, no reference counting and no allocation in the common case.
// Everything else happens in `drain()`, ten times a second, off the workers.
//
// Lanes: one per worker number, made up front (`maximumWorkers` of them; higher numbers share the
// last lane), so finding a lane is pointer arithmetic, never a lock on shared state. A lane holds
//  - the start time of the task its worker is running,
//  - the segments finished since the last drain: a task that starts within `mergeGap` of the end
//    of the lane's last segment of the same kind extends it, and once the lane holds `segmentCap`
//    segments every task extends the last segment of its kind, so a drain returns at most
//    `segmentCap` + (number of kinds) segments per lane, however many tasks ran, and the counts
//    per kind stay exact;
//  - finished tasks per kind for the compute it last served (`Run`), folded into the run's totals
//    under the run's lock when the lane moves to another compute, at each drain, and when the
//    compute ends. Lock order: lane, then run, then the recorder's state.
// The drain visits only the lanes workers have used (`usedLanes`).
//
// A plan's per-task kind numbers are worked out once when its compute starts (O(tasks), reusing
// the previous task's kind while the layer doesn't change), so the hot path reads an Int32.
// Under MPI only this rank's tasks count (`computeStarted(plan:localTasks:)`): every rank's
// recorder sees the whole plan, and the page adds up the ranks.

/// Collects what computes do, in batches, for a ``Dashboard`` (or for sending to the rank that
/// serves one).
///
/// ```swift
/// let recorder = DashboardRecorder(rank: 1)
/// ComputeObservers.add(recorder)
/// // every 100 ms: send(try JSONEncoder().encode(recorder.drain())) to rank 0
/// ```
/// Thread-safe. ``Dashboard/start(host:port:rank:interval:observesAllComputes:)`` makes and drains one itself.
/// - Complexity: O(1) per task; O(tasks) once per compute when it starts.
public final class DashboardRecorder: ComputeObserver, @unchecked Sendable {
    /// Lanes made up front; workers numbered this or higher share the last lane.
    public static let maximumWorkers = 256
    /// Layer kinds listed per compute in ``ComputeStart/layers``.
    public static let maximumLayers = 200

    /// The rank put in every batch: the one given to `init(rank:mergeGap:segmentCap:)`, else
    /// the rank the task events carry (the MPI rank under `.mpi`), 0 before any task.
    public var rank: Int {
        if let givenRank { return givenRank }
        return Swift.max(seenRank.load(ordering: .relaxed), 0)
    }
    private let givenRank: Int?
    /// The rank of the task events, taken when a lane adopts a compute (not per task); -1: none yet.
    private let seenRank = ManagedAtomic<Int>(-1)
    /// Tasks of one kind on one worker less than this many seconds apart share a segment.
    public let mergeGap: Double
    /// Segments a lane collects between two drains before it merges more eagerly.
    public let segmentCap: Int

    private let origin: UInt64
    private let lanes: LaneStorage
    /// One more than the highest lane a worker has used (the drain visits no others).
    private let usedLanes = ManagedAtomic<Int>(0)

    private struct State {
        var kindNames: [String] = []
        var kindIndex: [String: Int32] = [:]
        var active: [Run] = []
        var computes = 0
        var started: [ComputeStart] = []
        var ended: [(Run, ComputeEnd)] = []
        var lastCPU: Double = .nan
        var lastSample: Double = .nan
    }
    private let state = NIOLockedValueBox(State())

    /// Creates a recorder.
    ///
    /// - Parameters:
    ///   - rank: the process's rank, carried in every batch; nil: the rank the task events carry.
    ///   - mergeGap: tasks of one kind on one worker closer than this (seconds) share a segment.
    ///   - segmentCap: segments per worker between two drains before merging regardless of gaps.
    public init(rank: Int? = nil, mergeGap: Double = 0.0005, segmentCap: Int = 400) {
        givenRank = rank
        self.mergeGap = mergeGap
        self.segmentCap = Swift.max(segmentCap, 1)
        origin = Self.monotonicNanoseconds()
        lanes = LaneStorage(count: Self.maximumWorkers)
    }

    deinit { lanes.deallocate() }

    /// Seconds since the recorder was created, on the monotonic clock.
    public func now() -> Double {
        Double(Self.monotonicNanoseconds() &- origin) * 1e-9
    }

    /// The monotonic clock read directly: `DispatchTime.now()` cost five times as much per task
    /// (a tenth of the dashboard's cost on the 200,000-task `delayed` benchmark).
    @inline(__always)
    private static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Whether a compute is running.
    public var isBusy: Bool { state.withLockedValue { !$0.active.isEmpty } }

    /// Numbers the plan's tasks by kind and announces the compute in the next batch.
    public func computeStarted(plan: ExecutionPlan) { start(plan: plan, localTasks: nil) }

    /// Like ``computeStarted(plan:)`` for this process's share of a multi-process compute (MPI):
    /// the totals and the layer summary cover the tasks marked in `localTasks` only.
    public func computeStarted(plan: ExecutionPlan, localTasks: [Bool]) { start(plan: plan, localTasks: localTasks) }

    private func start(plan: ExecutionPlan, localTasks: [Bool]?) {
        let startTime = now()
        // Kind labels and layer counts without the lock: O(tasks), shared work only at the end.
        // A delayed graph has one layer per task, so per task this compares kind names with the
        // previous task's (cheap for the short names kinds have) before hashing anything.
        var labels: [String] = []
        var labelOf: [String: Int32] = [:]
        var kinds = [Int32](repeating: 0, count: plan.count)
        var previousLayer: ObjectIdentifier?
        var previousKind: Int32 = 0
        var previousKindName = ""
        var chainKinds: [String] = []
        var chainLabel: Int32 = 0
        var seenLayers = IdentitySet(capacity: plan.count)  // at most one layer per task
        var localCount = 0
        var layerTasks: [Int] = []  // per layer kind label
        var layerCounts: [Int] = []
        var firstLayer: [Layer] = []
        func label(_ name: String) -> Int32 {
            // Plans interleave few kinds (`value+inc` and `add`), so a scan beats hashing.
            if labels.count <= 8 {
                if let k = labels.firstIndex(of: name) { return Int32(k) }
            } else if let k = labelOf[name] { return k }
            let k = Int32(labels.count)
            labels.append(name)
            labelOf[name] = k
            return k
        }
        for i in 0..<plan.count {
            if let localTasks, !localTasks[i] { continue }
            localCount += 1
            let layer = plan.refs[i].layer
            let id = ObjectIdentifier(layer)
            if id != previousLayer {
                previousLayer = id
                let name = layer.kind
                if labels.isEmpty || name != previousKindName {
                    previousKind = label(name)
                    previousKindName = name
                }
                let k = Int(previousKind)
                while layerTasks.count <= k {
                    layerTasks.append(0)
                    layerCounts.append(0)
                    firstLayer.append(layer)
                }
                // A one-task layer is in the plan once: only larger ones can repeat.
                if layer.count == 1 || seenLayers.insert(layer) {
                    if layerCounts[k] == 0 { firstLayer[k] = layer }
                    layerCounts[k] += 1
                }
            }
            layerTasks[Int(previousKind)] += 1
            guard plan.fusedCounts[i] > 1, let chain = plan.fusedRefs[i] else {
                kinds[i] = previousKind
                continue
            }
            // Fused chains mostly repeat the previous chain's kinds (100,000 `value+inc`): compare
            // the kind names instead of building and hashing the joined label for every task.
            if chain.count != chainKinds.count || !zip(chain, chainKinds).allSatisfy({ $0.layer.kind == $1 }) {
                chainKinds = chain.map(\.layer.kind)
                chainLabel = label(plan.kindLabel(i))
            }
            kinds[i] = chainLabel
        }
        var perLabel = [Int](repeating: 0, count: labels.count)
        for (i, k) in kinds.enumerated() where localTasks?[i] ?? true { perLabel[Int(k)] += 1 }
        let layers = layerTasks.indices.filter { layerCounts[$0] > 0 }
            .map { k in LayerSummary(kind: labels[k], name: layerCounts[k] == 1 ? firstLayer[k].name : nil, layers: layerCounts[k], tasks: layerTasks[k]) }
            .sorted { ($0.tasks, $1.kind) > ($1.tasks, $0.kind) }.prefix(Self.maximumLayers)

        state.withLockedValue { s in
            // Local label numbers → the rank's kind numbers.
            var map = [Int32](repeating: 0, count: labels.count)
            for (j, name) in labels.enumerated() {
                if let k = s.kindIndex[name] { map[j] = k } else {
                    let k = Int32(s.kindNames.count)
                    s.kindNames.append(name)
                    s.kindIndex[name] = k
                    map[j] = k
                }
            }
            for i in kinds.indices where localTasks?[i] ?? true { kinds[i] = map[Int(kinds[i])] }
            let run = Run(plan: plan, id: s.computes, kinds: kinds, kindCount: s.kindNames.count)
            s.computes += 1
            s.active.append(run)
            let counts = perLabel.enumerated().filter { $0.1 > 0 }.map { KindCount(kind: Int(map[$0.0]), count: $0.1) }
            s.started.append(ComputeStart(id: run.id, start: startTime, tasks: localCount, kinds: counts, layers: Array(layers)))
        }
    }

    /// Notes when the worker's task started.
    public func taskStarted(plan: ExecutionPlan, task: Int, worker: Int) {
        let t = now()
        lanes.withLane(worker) { $0.start = t }
    }

    /// Notes when the worker's task started (the rank is taken with the task's end).
    public func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        taskStarted(plan: plan, task: task, worker: worker)
    }

    /// Counts the task and adds it to the worker's segments, with the recorder's rank.
    public func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) {
        taskFinished(plan: plan, task: task, rank: -1, worker: worker)
    }

    /// Counts the task and adds it to the worker's segments; the rank is noted once per worker
    /// and compute (a process's tasks all carry its rank).
    public func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        let t = now()
        let id = ObjectIdentifier(plan)
        // Segments name their lane: worker numbers past the lanes share the last one.
        let lane = Swift.min(Swift.max(worker, 0), lanes.count - 1)
        lanes.withLane(lane) { l in
            if l.planID != id { adopt(plan, lane: &l, number: lane, rank: rank) }
            guard let kinds = l.kinds, task < l.taskCount else { return }
            let k = Int(kinds[task])
            l.done[k] += 1
            l.record(kind: k, end: t, worker: lane, mergeGap: mergeGap, cap: segmentCap)
        }
    }

    /// Points a lane at `plan`'s run, folding its counts for the previous one first; called with
    /// the lane's lock held, once per lane and compute.
    @inline(never)
    private func adopt(_ plan: ExecutionPlan, lane l: inout Lane, number: Int, rank: Int) {
        l.flush()
        if rank >= 0 { seenRank.store(rank, ordering: .relaxed) }
        let run = state.withLockedValue { s in s.active.first { $0.planID == ObjectIdentifier(plan) } }
        l.run = run
        // A plan the recorder doesn't know (started before it was installed) is not held, so
        // its identity is not kept either: the next task looks again.
        l.planID = run?.planID
        l.kinds = run?.kinds
        l.taskCount = run?.taskCount ?? 0
        if let run, l.done.count < run.kindCount {
            l.done += [Int](repeating: 0, count: run.kindCount - l.done.count)
        }
        let used = number + 1
        var seen = usedLanes.load(ordering: .relaxed)
        while seen < used {
            let (exchanged, original) = usedLanes.compareExchange(expected: seen, desired: used, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    /// Folds every lane's counts for the compute into it and announces its end in the next batch.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {
        let endTime = now()
        guard let run = state.withLockedValue({ s -> Run? in
            guard let k = s.active.firstIndex(where: { $0.planID == ObjectIdentifier(plan) }) else { return nil }
            return s.active.remove(at: k)
        }) else { return }
        for i in 0..<usedLanes.load(ordering: .relaxed) {
            lanes.withLane(i) { l in
                if l.run === run {
                    l.flush()
                    l.run = nil
                    l.planID = nil
                    l.kinds = nil
                    l.taskCount = 0
                }
            }
        }
        let message = error.map { String(describing: $0) }
        state.withLockedValue { $0.ended.append((run, ComputeEnd(id: run.id, end: endTime, error: message))) }
    }

    /// Everything recorded since the previous call, with a resource sample when `sample` is set.
    ///
    /// - Parameter sample: whether to read the process's resident memory and CPU time now.
    /// - Returns: the batch; its segments number at most ``segmentCap`` plus the number of kinds
    ///   per worker, whatever the number of tasks.
    /// - Complexity: O(workers + segments + computes).
    public func drain(sample: Bool = true) -> DashboardUpdate {
        var segments: [TaskSegment] = []
        var runs: [Run] = []
        for i in 0..<usedLanes.load(ordering: .relaxed) {
            lanes.withLane(i) { l in
                guard !l.segments.isEmpty || l.run != nil else { return }
                segments += l.takeSegments()
                l.flush()
                if let run = l.run, !runs.contains(where: { $0 === run }) { runs.append(run) }
            }
        }
        let t = now()
        var resources: [ResourceSample] = []
        if sample {
            let cpu = ProcessResources.cpuSeconds()
            let rss = ProcessResources.residentBytes()
            resources = state.withLockedValue { s in
                let percent = s.lastSample.isNaN || t <= s.lastSample ? 0 : Swift.max(0, (cpu - s.lastCPU) / (t - s.lastSample) * 100)
                s.lastCPU = cpu
                s.lastSample = t
                return [ResourceSample(time: t, cpuPercent: percent, rssBytes: rss)]
            }
        }
        let (kinds, started, ended, active) = state.withLockedValue { s in
            defer {
                s.started = []
                s.ended = []
            }
            return (s.kindNames, s.started, s.ended, s.active)
        }
        for r in active where !runs.contains(where: { $0 === r }) { runs.append(r) }
        var progress = runs.compactMap { $0.progress() }
        // An ended compute always reports its final counts, after any earlier progress.
        for (run, _) in ended {
            progress.removeAll { $0.id == run.id }
            if let p = run.progress(always: true) { progress.append(p) }
        }
        return DashboardUpdate(rank: rank, time: t, kinds: kinds, started: started, progress: progress,
                               finished: ended.map(\.1), segments: segments, resources: resources)
    }
}
