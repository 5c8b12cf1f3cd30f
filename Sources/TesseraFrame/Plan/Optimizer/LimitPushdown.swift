// Rule: move a limit (the rows `head(n)` needs from each partition) down to the scan.
//
//   limit 5                      select [Origin]
//     select [Origin]      →       scan csv  rowLimit: 5
//       scan csv
//
// A limit commutes with operations that keep every row in place (select, assign, rename), two
// limits make the smaller, and a scan whose source can stop early (`supportsRowLimit`) and has no
// predicate takes it, so `readCSV(…).head()` tokenizes five rows instead of a whole partition.
// `head` computes partitions one after another until it has n rows, so only the partitions it
// needs are read at all.

extension Optimizer {
    /// One step of `limit` moving down; nil when it can't move.
    static func pushLimitDown(_ node: FrameNode, _ shared: (FrameNode) -> Bool) throws -> FrameNode? {
        guard case .limit(let n) = node.operation else { return nil }
        let input = node.inputs[0]
        guard !shared(input) else { return nil }
        switch input.operation {
        case .select, .assign, .rename:
            return try input.with(inputs: [node.with(inputs: [input.inputs[0]])])
        case .limit(let m):
            return try node.with(.limit(Swift.min(n, m)), inputs: [input.inputs[0]])
        case .scan(let source, var request) where request.predicate == nil && source.supportsRowLimit:
            request.rowLimit = Swift.min(n, request.rowLimit ?? .max)
            return try input.with(.scan(source, request), inputs: [])
        default:
            return nil
        }
    }
}
