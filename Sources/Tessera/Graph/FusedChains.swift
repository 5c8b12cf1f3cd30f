/// The original tasks behind each fused task of an `ExecutionPlan`, found by plan index.
///
/// Stored as numbered chains and one index per task rather than a dictionary keyed by task:
/// building it hashes nothing, and a plan of 100,000 fused pairs stays two arrays deep.
public struct FusedChains: Sendable {
    /// Per plan task, the number of its chain; -1 for a task that is not fused. Empty when no
    /// task is.
    let index: [Int32]
    /// Per chain, its original tasks in run order.
    let refs: [[TaskRef]]

    /// The original tasks of plan task `task`, in run order; nil when it is not fused.
    /// - Complexity: O(1).
    public subscript(task: Int) -> [TaskRef]? {
        guard task >= 0, task < index.count, index[task] >= 0 else { return nil }
        return refs[Int(index[task])]
    }
}
