/// The error `compute` throws when a task throws: it names the failing task and wraps its error.
public struct TaskFailure: Error, CustomStringConvertible {
    /// The key of the task that threw.
    public let key: Key
    /// The kind (operation name) of the task that threw.
    public let kind: String
    /// The error the task threw.
    public let underlying: Error
    /// The process (MPI rank) the task ran on, when the compute spanned several.
    public let rank: Int?

    /// Creates a failure for the task `key` of operation `kind`.
    /// - Parameters:
    ///   - key: the failing task's key.
    ///   - kind: its operation's name.
    ///   - underlying: what it threw.
    ///   - rank: the rank it ran on, for multi-process computes.
    public init(key: Key, kind: String, underlying: Error, rank: Int? = nil) {
        self.key = key
        self.kind = kind
        self.underlying = underlying
        self.rank = rank
    }

    /// `task KEY failed: ERROR` (`task KEY failed on rank R: ERROR` across processes).
    public var description: String {
        "task \(key) failed\(rank.map { " on rank \($0)" } ?? ""): \(underlying)"
    }
}
