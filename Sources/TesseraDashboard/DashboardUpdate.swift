// What one process (one MPI rank) tells the dashboard every tenth of a second: a batch, never one
// message per task. The batch is plain Codable data with the rank in it, so the rank that serves
// the page can take batches from other ranks as bytes (the MPI seam: `Dashboard.ingest`).
//
// Kinds are numbered per rank (`kinds` lists the rank's names so far, by number), compute ids
// count per rank from 0, and times are seconds on the sending rank's monotonic clock since its
// recorder was created.

/// One batch of what a process's computes did since the previous batch.
///
/// Made by ``DashboardRecorder/drain(sample:)``; taken by ``Dashboard/ingest(_:)``. Its size is bounded
/// by the recorder's segment cap per worker, not by the number of tasks that ran.
public struct DashboardUpdate: Sendable, Codable, Equatable {
    /// The process that sent it: its MPI rank, 0 for a single process.
    public var rank: Int
    /// When the batch was made, in seconds since the rank's recorder was created.
    public var time: Double
    /// Every kind name the rank has seen, numbered by position; kinds elsewhere in the batch index it.
    public var kinds: [String]
    /// Computes that started since the previous batch.
    public var started: [ComputeStart]
    /// Finished tasks per kind so far, for each compute that made progress since the previous batch.
    public var progress: [ComputeProgress]
    /// Computes that ended since the previous batch.
    public var finished: [ComputeEnd]
    /// Runs of tasks per worker since the previous batch.
    public var segments: [TaskSegment]
    /// Resident memory and CPU samples since the previous batch.
    public var resources: [ResourceSample]

    /// Creates a batch.
    public init(rank: Int, time: Double, kinds: [String] = [], started: [ComputeStart] = [],
                progress: [ComputeProgress] = [], finished: [ComputeEnd] = [],
                segments: [TaskSegment] = [], resources: [ResourceSample] = []) {
        self.rank = rank
        self.time = time
        self.kinds = kinds
        self.started = started
        self.progress = progress
        self.finished = finished
        self.segments = segments
        self.resources = resources
    }

    /// Whether the batch says nothing new.
    public var isEmpty: Bool {
        started.isEmpty && progress.isEmpty && finished.isEmpty && segments.isEmpty && resources.isEmpty
    }
}

/// A number of tasks of one kind.
public struct KindCount: Sendable, Codable, Hashable {
    /// The kind's number in ``DashboardUpdate/kinds``.
    public var kind: Int
    /// How many tasks.
    public var count: Int

    /// Creates a count.
    public init(kind: Int, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// The layers of one kind in a compute's plan (after culling and fusion).
///
/// A delayed graph makes one layer per call, so layers are summed per kind: a plan of 100,000
/// `inc` calls shows one row of 100,000 layers, not 100,000 rows.
public struct LayerSummary: Sendable, Codable, Hashable {
    /// The layers' kind (their operation name).
    public var kind: String
    /// The layer's name when the kind has one layer (`read-csv-1`), else nil.
    public var name: String?
    /// How many layers of this kind the plan holds.
    public var layers: Int
    /// How many of their tasks the plan runs (a fused chain counts for the layer of its last task).
    public var tasks: Int

    /// Creates a summary.
    public init(kind: String, name: String?, layers: Int, tasks: Int) {
        self.kind = kind
        self.name = name
        self.layers = layers
        self.tasks = tasks
    }
}

/// A compute began.
public struct ComputeStart: Sendable, Codable, Hashable {
    /// The compute's number on its rank, from 0.
    public var id: Int
    /// When it began.
    public var start: Double
    /// How many tasks its plan runs.
    public var tasks: Int
    /// Its tasks per kind.
    public var kinds: [KindCount]
    /// Its plan's layers per kind, most tasks first (at most ``DashboardRecorder/maximumLayers`` kinds).
    public var layers: [LayerSummary]

    /// Creates a start record.
    public init(id: Int, start: Double, tasks: Int, kinds: [KindCount], layers: [LayerSummary]) {
        self.id = id
        self.start = start
        self.tasks = tasks
        self.kinds = kinds
        self.layers = layers
    }
}

/// How far a compute has got: finished tasks per kind, counted from its start.
public struct ComputeProgress: Sendable, Codable, Hashable {
    /// The compute's number on its rank.
    public var id: Int
    /// Finished tasks per kind (cumulative, not since the previous batch).
    public var done: [KindCount]

    /// Creates a progress record.
    public init(id: Int, done: [KindCount]) {
        self.id = id
        self.done = done
    }
}

/// A compute ended.
public struct ComputeEnd: Sendable, Codable, Hashable {
    /// The compute's number on its rank.
    public var id: Int
    /// When it ended.
    public var end: Double
    /// The failure's description, if it failed.
    public var error: String?

    /// Creates an end record.
    public init(id: Int, end: Double, error: String?) {
        self.id = id
        self.end = end
        self.error = error
    }
}

/// Consecutive tasks of one kind on one worker, drawn as one bar of the task stream.
///
/// Tasks closer together than the recorder's merge gap become one segment, so a million tiny
/// tasks make a few bars, not a million; `count` keeps how many tasks it stands for.
public struct TaskSegment: Sendable, Codable, Hashable {
    /// The worker (0 for the synchronous scheduler).
    public var worker: Int
    /// The kind's number in ``DashboardUpdate/kinds``.
    public var kind: Int
    /// When its first task started.
    public var start: Double
    /// When its last task finished.
    public var end: Double
    /// How many tasks it stands for.
    public var count: Int

    /// Creates a segment.
    public init(worker: Int, kind: Int, start: Double, end: Double, count: Int) {
        self.worker = worker
        self.kind = kind
        self.start = start
        self.end = end
        self.count = count
    }
}

/// The process's resident memory and CPU use at one moment.
public struct ResourceSample: Sendable, Codable, Hashable {
    /// When it was taken.
    public var time: Double
    /// CPU use since the previous sample, in percent of one core (200 is two busy cores).
    public var cpuPercent: Double
    /// Resident set size in bytes.
    public var rssBytes: Int

    /// Creates a sample.
    public init(time: Double, cpuPercent: Double, rssBytes: Int) {
        self.time = time
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
    }
}
