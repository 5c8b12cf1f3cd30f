/// The original tasks behind each fused task of an `ExecutionPlan`, found by plan index.
///
/// Stored as numbered chains laid end to end and one index per task rather than a dictionary
/// keyed by task: building it hashes nothing, and a plan of 100,000 fused pairs is three arrays.
/// A chain's last task is the plan task itself, so only the tasks before it are stored here:
/// a second reference to the last one cost the plan build a cache miss per chain on its layer.
public struct FusedChains: Sendable {
    /// Per plan task, the number of its chain; -1 for a task that is not fused. Empty when no
    /// task is.
    let index: [Int32]
    /// Where each chain's earlier tasks start in `earlier`, and one more entry: chain `c`'s are
    /// `earlier[start[c]..<start[c + 1]]`.
    let start: [Int]
    /// Every chain's tasks but its last, in run order, one chain after another.
    let earlier: [TaskRef]
    /// The plan's task references (`ExecutionPlan.refs`, the same storage): each chain's last task.
    let last: [TaskRef]

    /// The original tasks of plan task `task`, in run order; nil when it is not fused.
    /// - Complexity: O(1); nothing is copied (diagnostics ask this of every fused task).
    public subscript(task: Int) -> FusedChain? {
        guard task >= 0, task < index.count, index[task] >= 0 else { return nil }
        let c = Int(index[task])
        return FusedChain(earlier: earlier[start[c]..<start[c + 1]], final: last[task])
    }

    /// Where chain `c`'s closures start in the plan's flat list of chain closures, which holds
    /// every task of every chain (each chain one more than `earlier` does).
    func runStart(_ c: Int) -> Int { start[c] + c }
}

/// The original tasks of one fused plan task, in run order: the plan task's own is the last.
public struct FusedChain: RandomAccessCollection, Sendable {
    let earlier: ArraySlice<TaskRef>
    let final: TaskRef

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of tasks in the chain.
    public var endIndex: Int { earlier.count + 1 }
    /// The task at `position` in run order.
    /// - Complexity: O(1).
    public subscript(position: Int) -> TaskRef {
        precondition(position >= 0 && position <= earlier.count, "fused chain position \(position) outside 0..<\(earlier.count + 1)")
        return position == earlier.count ? final : earlier[earlier.startIndex + position]
    }
}
