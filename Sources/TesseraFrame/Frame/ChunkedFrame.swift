import Tessera

/// A lazy, partitioned table: Tessera's dask.dataframe.
///
/// A `ChunkedFrame` is a logical plan node and its schema. Operations (`select`, `filter`,
/// `assign`, `groupby`, `merge`, …) add a node and return a new frame at once; nothing runs until
/// `compute()`, which optimizes the plan (a CSV scan converts only the columns used above it,
/// filters move into the scan, …), lowers it to one task per partition and evaluates them in
/// parallel, concatenating the partitions (types unified by promotion). `explain()` shows the
/// plan before and after optimization and the layers it lowers to.
///
/// ```swift
/// let df = try readCSV("data/flights/*.csv")
/// let late = try df.filter(df["DepDelay"] > 15 && df["Origin"] == "JFK").select(["Dest", "DepDelay"])
/// let table = try late.compute()
/// ```
///
/// The schema's names are exact; its types come from what is known before computing (for a
/// CSV frame, a sample of the first file, parsed the first time a type is asked for: building a
/// frame and its plan reads only the headers). Partitions may come out with narrower or wider types
/// than the schema says (one file's column all integers, another's with decimals); every kernel
/// dispatches on the partition's actual column type, and `compute()` unifies by promotion.
/// `inferSchema()` reads every value to give the exact unified schema.
public struct ChunkedFrame: Computable, Sendable, CustomStringConvertible {
    /// The logical plan: this frame's node (and through it, its inputs').
    let node: FrameNode

    /// Column names and (provisional) types. For a frame read from CSV, asking for the types
    /// is what parses the sample they come from (once per `readCSV`): building a frame and its
    /// plan needs only the names (`columns`).
    public var schema: Schema { node.schema }

    /// One task per partition, each yielding a `Table`: the plan optimized with this frame as its
    /// only output and lowered, once (the same tasks every time it is asked for).
    public var partitions: [TaskRef] {
        node.rootLowering.value { Lowering.lower(roots: [node], optimize: true).outputs[0] }
    }

    /// The number of rows of each partition when known without computing (in-memory frames).
    public var knownRowCounts: [Int]? { node.knownRowCounts }

    /// A frame over a plan node.
    init(node: FrameNode) {
        self.node = node
    }

    /// A frame from partition tasks that yield `Table`s with the columns of `schema` (a plan leaf:
    /// the optimizer can't look inside these tasks).
    public init(schema: Schema, partitions: [TaskRef], knownRowCounts: [Int]? = nil) {
        self.init(node: FrameNode(.partitions(partitions, knownRowCounts: knownRowCounts), schema: schema))
    }

    /// A frame that scans `source`: every column of it, read only when computed, and only the
    /// columns, rows and partitions the plan above needs.
    public init(source: any FrameSource) {
        self.init(node: try! FrameNode.derived(.scan(source, ScanRequest()), []))
    }

    /// A frame over tables already in memory, one partition each.
    /// - Throws: `FrameError.schemaMismatch` when the tables' column names differ.
    public init(tables: [Table]) throws {
        guard let first = tables.first else {
            throw FrameError.invalidArgument("a frame needs at least one partition")
        }
        for t in tables.dropFirst() where t.names != first.names {
            throw FrameError.schemaMismatch("columns \(first.names) and \(t.names) differ")
        }
        // A column with no value in a partition has no say in the type (as `Column.concatenate`),
        // and takes the type the others agree on there, so kernels see one type per column.
        let schema = Schema(first.names.indices.map { j in
            let cols = tables.map { $0.columns[j] }
            let typed = cols.filter { $0.nullCount < $0.count }
            let type = typed.dropFirst().reduce(typed.first?.type ?? cols[0].type) { $0.unified(with: $1.type) }
            return Field(first.names[j], type, nullable: cols.contains { $0.validity != nil })
        })
        let conformed = tables.map { $0.withMissingColumnsTyped(schema) }
        let layer = Layer(kind: "from-tables", values: conformed)
        self.init(schema: schema, partitions: layer.refs, knownRowCounts: tables.map(\.rowCount))
    }

    /// A frame over one table split into partitions of at most `partitionSize` rows.
    public init(_ table: Table, partitionSize: Int) throws {
        precondition(partitionSize > 0, "partitionSize must be positive")
        var parts: [Table] = []
        var start = 0
        repeat {
            parts.append(table.slice(start..<Swift.min(start + partitionSize, table.rowCount)))
            start += partitionSize
        } while start < table.rowCount
        try self.init(tables: parts)
    }

    /// The number of partitions.
    public var partitionCount: Int { partitions.count }

    /// The column names (known without reading data: no type is resolved).
    public var columns: [String] { node.names }

    // MARK: Computable

    /// One task per partition, in order.
    public var outputs: [TaskRef] { partitions }

    /// Concatenates the computed partitions (types unified by promotion).
    public func assemble(_ values: ArraySlice<Any>) throws -> Table {
        let tables = values.map { $0 as! Table }
        if tables.isEmpty { return Table(empty: schema) }
        return try Table.concatenate(tables)
    }

    /// `assemble(_:)`, freeing each partition's column as soon as it is concatenated (see
    /// `Table.concatenate(consuming:)`): about one copy of the rows at the peak, not two.
    /// - Parameter values: the computed partitions, in order; left empty.
    /// - Returns: the partitions' rows in one table.
    /// - Throws: `FrameError.schemaMismatch` when partitions' columns differ.
    public func assemble(consuming values: inout [Any]) throws -> Table {
        var tables = values.map { $0 as! Table }
        values = []
        if tables.isEmpty { return Table(empty: schema) }
        return try Table.concatenate(consuming: &tables)
    }

    /// Registers this frame's plan with the other outputs of one `compute(a, b, …)`, so all of
    /// them are optimized together (a scan they share is read once, with the union of columns).
    public func prepare(_ session: ComputeSession) {
        session.shared(JointPlan.init).add(node)
    }

    /// This frame's tasks in the plan optimized together with the other outputs of `session`.
    public func outputs(in session: ComputeSession) -> [TaskRef] {
        session.shared(JointPlan.init).outputs(of: node)
    }

    // MARK: Building blocks for operations

    /// A frame of this one's plan with `operation` on top.
    /// - Throws: `FrameError` when the operation doesn't fit the schema.
    func adding(_ operation: FrameNode.Operation, _ others: [ChunkedFrame] = [], schema: Schema? = nil) throws -> ChunkedFrame {
        let inputs = [node] + others.map(\.node)
        if let schema { return ChunkedFrame(node: FrameNode(operation, inputs, schema: schema)) }
        return ChunkedFrame(node: try FrameNode.derived(operation, inputs))
    }

    /// Applies `body` to every partition, lazily: one new task per partition. The closure is
    /// opaque to the optimizer: the plan below it keeps every column.
    ///
    /// - Parameters:
    ///   - kind: the operation's name in task keys and diagnostics.
    ///   - schema: the schema of the result (the input's when nil).
    ///   - preservesRowCounts: `body` keeps every partition's row count, so row counts already
    ///     known stay known.
    ///   - body: runs once per partition on a worker thread; may throw (surfaces as `TaskFailure`).
    /// - Complexity: O(1) to build; O(partitions) tasks when lowered; nothing runs until compute.
    public func mapPartitions(kind: String = "map-partitions", schema: Schema? = nil,
                              preservesRowCounts: Bool = false,
                              _ body: @escaping @Sendable (Table) throws -> Table) -> ChunkedFrame {
        mapPartitions(kind: kind, schema: schema, reads: nil, preservesRowCounts: preservesRowCounts) { _, t in try body(t) }
    }

    /// Applies `body` to every partition, lazily, declaring the input columns it reads: the
    /// optimizer then keeps pushing projections below it, so a scan under it converts only
    /// `reads` and the columns the plan above needs. `body` gets a table that holds at least
    /// those (and every input column used above, which it may pass through by name).
    ///
    /// ```swift
    /// let scaled = try df.mapPartitions(schema: Schema([Field("km", .float64)]), reads: ["Distance"]) { t in
    ///     try Table(names: ["km"], columns: [try (Expr.col("Distance") * 1.609).evaluate(on: t)])
    /// }
    /// ```
    /// - Parameters:
    ///   - kind: the operation's name in task keys, diagnostics and plans.
    ///   - schema: the schema of the result (the input's when nil).
    ///   - reads: the input columns `body` reads.
    ///   - preservesRowCounts: `body` keeps every partition's row count.
    ///   - body: runs once per partition on a worker thread; may throw (surfaces as `TaskFailure`).
    /// - Throws: `FrameError.unknownColumn` for a name in `reads` the frame doesn't have.
    /// - Complexity: O(1) to build; O(partitions) tasks when lowered; nothing runs until compute.
    public func mapPartitions(kind: String = "map-partitions", schema: Schema? = nil, reads: [String],
                              preservesRowCounts: Bool = false,
                              _ body: @escaping @Sendable (Table) throws -> Table) throws -> ChunkedFrame {
        try check(reads)
        return mapPartitions(kind: kind, schema: schema, reads: reads, preservesRowCounts: preservesRowCounts) { _, t in try body(t) }
    }

    /// `mapPartitions` for a closure that reads only the columns `reads` (every column when nil)
    /// and is given the partition's index: pushdown continues below it with just those columns.
    func mapPartitions(kind: String, schema: Schema?, reads: [String]?, preservesRowCounts: Bool,
                       _ body: @escaping @Sendable (Int, Table) throws -> Table) -> ChunkedFrame {
        let m = MapParameters(kind: kind, reads: reads, preservesRowCounts: preservesRowCounts, body: body)
        if let schema { return ChunkedFrame(node: FrameNode(.map(m), [node], schema: schema)) }
        return ChunkedFrame(node: FrameNode(.map(m), [node], names: columns) { s in s[0] })
    }

    /// `mapPartitions` whose result has the columns `names`, typed by `types` from the input's
    /// schema the first time the types are asked for (so a CSV frame's sample stays unparsed).
    func mapPartitions(kind: String, names: [String], types: @escaping @Sendable (Schema) -> Schema, reads: [String]?,
                       preservesRowCounts: Bool, _ body: @escaping @Sendable (Int, Table) throws -> Table) -> ChunkedFrame {
        let m = MapParameters(kind: kind, reads: reads, preservesRowCounts: preservesRowCounts, body: body)
        return ChunkedFrame(node: FrameNode(.map(m), [node], names: names) { s in types(s[0]) })
    }

    /// Computes each partition to a value with `body` (a lazy layer of per-partition results),
    /// for reductions that combine partition summaries.
    public func partitionLayer<T>(kind: String, _ body: @escaping @Sendable (Table) throws -> T) -> Layer {
        Lowering.partitionLayer(kind: kind, partitions, body)
    }

    /// A frame made of some of this frame's partitions, in the given order.
    public func partitions(_ indices: [Int]) -> ChunkedFrame {
        let refs = partitions
        return ChunkedFrame(typedLike: self, partitions: indices.map { refs[$0] },
                            knownRowCounts: knownRowCounts.map { k in indices.map { k[$0] } })
    }

    /// Computes the frame's partitions and keeps them in memory: later operations start from
    /// the results instead of re-reading.
    public func persist(scheduler: Scheduler? = nil) throws -> ChunkedFrame {
        let values = try TaskGraph(partitions).compute(scheduler: scheduler)
        let tables = values.map { $0 as! Table }
        let layer = Layer(kind: "persist", values: tables)
        // Everything was read: the types cost nothing more now, and the old plan can go.
        return ChunkedFrame(schema: schema, partitions: layer.refs, knownRowCounts: tables.map(\.rowCount))
    }

    /// A frame of `partitions` with `frame`'s columns, whose types are `frame`'s, resolved only
    /// when asked for (lowering a plan must not make a CSV source parse its sample).
    init(typedLike frame: ChunkedFrame, partitions: [TaskRef], knownRowCounts: [Int]? = nil) {
        let source = frame.node
        self.init(node: FrameNode(.partitions(partitions, knownRowCounts: knownRowCounts), names: source.names) { _ in source.schema })
    }

    /// `ChunkedFrame(N partitions, M columns)` and one line per column with its type; reads nothing.
    public var description: String {
        "ChunkedFrame(\(partitionCount) partitions, \(schema.count) columns)\n"
            + schema.fields.map { "  \($0.name)  \($0.type)" }.joined(separator: "\n")
    }
}
