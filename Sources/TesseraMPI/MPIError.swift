/// Why a compute over MPI ranks could not run.
public enum MPIError: Error, CustomStringConvertible {
    /// The ranks built plans of different shapes; the values are each rank's task count and hash.
    case plansDiffer(rank: Int, tasks: Int, hash: UInt64, otherRank: Int, otherTasks: Int, otherHash: UInt64)
    /// An MPI call returned an error code.
    case call(String, code: Int32)
    /// The library granted less thread support than one communication thread needs.
    case threadSupport(granted: Int32)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .plansDiffer(r, n, h, o, on, oh):
            return "ranks built different graphs: rank \(r) has \(n) tasks (shape \(String(h, radix: 16))), rank \(o) has "
                + "\(on) tasks (shape \(String(oh, radix: 16))); every rank must build the same graph "
                + "(same files in the same order, same chunks) — nothing was transferred"
        case let .call(name, code): return "\(name) failed with MPI error \(code)"
        case let .threadSupport(g):
            return "Open MPI granted thread level \(g); Tessera needs MPI_THREAD_FUNNELED (one thread calls MPI)"
        }
    }
}

/// A task that failed on another rank, as that rank described it.
public struct RemoteTaskError: Error, CustomStringConvertible {
    /// The error's description on the rank where it was thrown.
    public let message: String
    /// The message as it was sent.
    public var description: String { message }
}
