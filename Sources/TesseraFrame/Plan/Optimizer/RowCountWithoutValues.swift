// Rule: counting rows converts no value.
//
//   len(df) of  filter DepDelay > 15          scan csv  columns: []  predicate: DepDelay > 15
//                 scan csv  (23 columns)  →   (then one count per partition)
//
// `rowCount` asks the optimizer for its plan with *no* column required of the root, so
// projection pushdown narrows every scan below to the columns the filters on the way need —
// none at all for a plain `len(readCSV(…))`, which then only tokenizes rows.

import Tessera

extension ChunkedFrame {
    /// The number of rows (`len(df)`): no column is converted that no filter needs, and
    /// partitions are computed and dropped one by one.
    /// - Throws: `TaskFailure` for bad data in the rows read.
    /// - Complexity: O(rows) to tokenize; O(1) for frames whose row counts are known.
    public func rowCount(scheduler: Scheduler? = nil) throws -> Int {
        if let k = knownRowCounts { return k.reduce(0, +) }
        let layer = Lowering.partitionLayer(kind: "len", rowCountPartitions()) { $0.rowCount }
        return try TaskGraph(layer.refs).compute(scheduler: scheduler).reduce(0) { $0 + ($1 as! Int) }
    }

    /// The partitions of this frame's plan optimized for counting rows: no column required.
    func rowCountPartitions() -> [TaskRef] {
        let plan = (try? Optimizer.optimize([node], required: [[]])) ?? [node]
        return Lowering.lower(roots: plan, optimize: false).outputs[0]
    }
}
