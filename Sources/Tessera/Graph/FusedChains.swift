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

    /// The original tasks of plan task `task`, in run order; nil when it is not fused.
    /// - Complexity: O(length of the chain).
    public subscript(task: Int) -> [TaskRef]? {
        guard task >= 0, task < index.count, index[task] >= 0 else { return nil }
        let c = Int(index[task])
        return Array(refs[start[c]..<start[c + 1]])
    }
}
