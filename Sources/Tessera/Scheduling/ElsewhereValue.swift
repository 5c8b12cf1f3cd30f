/// Stands for an output a multi-process executor computed and left on another process: what an
/// MPI rank other than 0 gets for each output of a compute whose results go to rank 0 only.
public struct ElsewhereValue: Sendable, Hashable {
    /// The placeholder.
    public init() {}
}
