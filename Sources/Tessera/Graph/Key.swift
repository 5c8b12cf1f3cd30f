/// The readable name of one task: its layer's name and, for layers with several tasks, the
/// block index (`("sum-3", 2, 0)` in Dask's notation).
///
/// Keys exist for errors, diagnostics and pictures; the scheduler's hot path works on integer
/// indices and builds a `Key` only when one is asked for.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    /// The name of the layer that produced the task, such as `inc-3` or `random-7`.
    public let name: String
    /// The task's block index inside its layer; empty for single-task layers (Delayed values).
    public let index: [Int]

    /// Creates a key from a layer name and an optional block index.
    public init(_ name: String, _ index: [Int] = []) {
        self.name = name
        self.index = index
    }

    /// `inc-3` for single-task keys, `(random-7, 2, 0)` for block keys.
    public var description: String {
        index.isEmpty ? name : "(" + ([name] + index.map(String.init)).joined(separator: ", ") + ")"
    }
}
