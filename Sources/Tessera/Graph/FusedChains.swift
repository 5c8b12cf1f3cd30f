/// The original tasks behind each fused task of an `ExecutionPlan`, found by plan index.
///
/// Stored as numbered chains laid end to end and one index per task rather than a dictionary
/// keyed by task: building it hashes nothing, and a plan of 100,000 fused pairs is three arrays.
public struct FusedChains: Sendable {
    /// Per plan task, the number of its chain; -1 for a task that is not fused. Empty when no
    /// task is.
    let index: [Int32]
    /// Where each chain starts in `refs`, and one more entry: chain `c` is
    /// `refs[start[c]..<start[c + 1]]`.
    let start: [Int]
    /// Every chain's original tasks in run order, one chain after another.
    let refs: [TaskRef]

    /// The original tasks of plan task `task`, in run order (a slice of the flat list: its
    /// indices don't start at 0); nil when it is not fused.
    /// - Complexity: O(1); nothing is copied (diagnostics ask this of every fused task).
    public subscript(task: Int) -> ArraySlice<TaskRef>? {
        guard task >= 0, task < index.count, index[task] >= 0 else { return nil }
        let c = Int(index[task])
        return refs[start[c]..<start[c + 1]]
    }
}
