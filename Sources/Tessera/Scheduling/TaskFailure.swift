/// The error `compute` throws when a task throws: it names the failing task and wraps its error.
public struct TaskFailure: Error, CustomStringConvertible {
    /// The key of the task that threw.
    public let key: Key
    /// The kind (operation name) of the task that threw.
    public let kind: String
    /// The error the task threw.
    public let underlying: Error

    /// Creates a failure for the task `key` of operation `kind`.
    public init(key: Key, kind: String, underlying: Error) {
        self.key = key
        self.kind = kind
        self.underlying = underlying
    }

    /// `task KEY failed: ERROR`, naming the failing task's key and the error it threw.
    public var description: String { "task \(key) failed: \(underlying)" }
}
