import Tessera

/// A lazy, partitioned table: Tessera's dask.dataframe.
///
/// A `ChunkedFrame` is a schema and one graph task per partition, each yielding a `Table`.
/// Operations (`select`, `filter`, `assign`, …) add a layer of per-partition tasks and return a
/// new frame at once; nothing runs until `compute()`, which evaluates the partitions in parallel
/// and concatenates them (types unified by promotion).
///
/// ```swift
/// let df = try readCSV("data/flights/*.csv")
/// let late = try df.filter(df["DepDelay"] > 15 && df["Origin"] == "JFK").select(["Dest", "DepDelay"])
/// let table = try late.compute()
/// ```
///
/// The schema's names are exact; its types come from what is known before computing (for a
/// CSV frame, a sample of the first file). Partitions may come out with narrower or wider types
/// than the schema says (one file's column all integers, another's with decimals); every kernel
/// dispatches on the partition's actual column type, and `compute()` unifies by promotion.
/// `inferSchema()` reads every value to give the exact unified schema.
public struct ChunkedFrame: Computable, Sendable, CustomStringConvertible {
    /// Column names and (provisional) types.
    public let schema: Schema
    /// One task per partition; each yields a `Table`.
    public let partitions: [TaskRef]
    /// The number of rows of each partition when known without computing (in-memory frames).
    public let knownRowCounts: [Int]?

    /// A frame from partition tasks that yield `Table`s with the columns of `schema`.
    public init(schema: Schema, partitions: [TaskRef], knownRowCounts: [Int]? = nil) {
        self.schema = schema
        self.partitions = partitions
        self.knownRowCounts = knownRowCounts
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

    /// The column names.
    public var columns: [String] { schema.names }

    // MARK: Computable

    /// One task per partition, in order.
    public var outputs: [TaskRef] { partitions }

    /// Concatenates the computed partitions (types unified by promotion).
    public func assemble(_ values: ArraySlice<Any>) throws -> Table {
        let tables = values.map { $0 as! Table }
        if tables.isEmpty { return Table(empty: schema) }
        return try Table.concatenate(tables)
    }

    // MARK: Building blocks for operations

    /// Applies `body` to every partition, lazily: one new task per partition.
    ///
    /// - Parameters:
    ///   - kind: the operation's name in task keys and diagnostics.
    ///   - schema: the schema of the result (the input's when nil).
    ///   - preservesRowCounts: `body` keeps every partition's row count, so row counts already
    ///     known stay known.
    ///   - body: runs once per partition on a worker thread; may throw (surfaces as `TaskFailure`).
    /// - Complexity: O(partitions) to build; nothing runs until compute.
    public func mapPartitions(kind: String = "map-partitions", schema: Schema? = nil,
                              preservesRowCounts: Bool = false,
                              _ body: @escaping @Sendable (Table) throws -> Table) -> ChunkedFrame {
        let parts = partitions
        let layer = Layer(kind: kind, count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in try body(args[0] as! Table) }
        }
        return ChunkedFrame(schema: schema ?? self.schema, partitions: layer.refs,
                            knownRowCounts: preservesRowCounts ? knownRowCounts : nil)
    }

    /// Computes each partition to a value with `body` (a lazy layer of per-partition results),
    /// for reductions that combine partition summaries.
    public func partitionLayer<T>(kind: String, _ body: @escaping @Sendable (Table) throws -> T) -> Layer {
        let parts = partitions
        return Layer(kind: kind, count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in try body(args[0] as! Table) }
        }
    }

    /// A frame made of some of this frame's partitions, in the given order.
    public func partitions(_ indices: [Int]) -> ChunkedFrame {
        ChunkedFrame(schema: schema, partitions: indices.map { partitions[$0] },
                     knownRowCounts: knownRowCounts.map { k in indices.map { k[$0] } })
    }

    /// Computes the frame's partitions and keeps them in memory: later operations start from
    /// the results instead of re-reading.
    public func persist(scheduler: Scheduler? = nil) throws -> ChunkedFrame {
        let values = try TaskGraph(partitions).compute(scheduler: scheduler)
        let tables = values.map { $0 as! Table }
        let layer = Layer(kind: "persist", values: tables)
        return ChunkedFrame(schema: schema, partitions: layer.refs, knownRowCounts: tables.map(\.rowCount))
    }

    /// `ChunkedFrame(N partitions, M columns)` and one line per column with its type; reads nothing.
    public var description: String {
        "ChunkedFrame(\(partitionCount) partitions, \(schema.count) columns)\n"
            + schema.fields.map { "  \($0.name)  \($0.type)" }.joined(separator: "\n")
    }
}
