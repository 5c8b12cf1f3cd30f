// The logical plan of a ChunkedFrame: a small DAG of plain, immutable nodes.
//
// A frame is a node and the schema it yields. Operations make a new node over their input's and
// return at once; nothing is lowered to tasks until something needs them (`compute`, `partitions`,
// `visualize`, `explain`). Then the requested outputs are optimized together (Optimizer/) and the
// result is lowered to today's layers (Lowering.swift): executors never see plans.
//
// Nodes are classes so a node shared by two consumers (a scan feeding a filter and a groupby) is
// one node, found by identity: the optimizer counts its consumers before moving a filter into it,
// and the lowering makes one layer for it, so the shared scan is read once.

import Foundation
import Tessera

/// One node of a frame's logical plan: an operation, its input nodes and the schema it yields.
///
/// Nodes are immutable and compared by identity; rewrites make new nodes. The plan of a frame is
/// `frame.node`; `frame.explain()` prints it before and after optimization.
final class FrameNode: @unchecked Sendable {
    /// What a node does. The inputs are the node's `inputs`, in order.
    enum Operation: @unchecked Sendable {
        /// Reads a source: only `columns` (in source order), keeping rows where `predicate`
        /// holds, at most `rowLimit` rows per partition.
        case scan(any FrameSource, ScanRequest)
        /// Partitions already built as tasks (in-memory tables, persisted or hand-made layers).
        case partitions([TaskRef], knownRowCounts: [Int]?)
        /// The named columns, in order.
        case select([String])
        /// The rows where the expression is true.
        case filter(Expr)
        /// A column computed from an expression (replaced when it exists, else appended).
        case assign(String, Expr)
        /// Columns renamed (`old: new`).
        case rename([String: String])
        /// Group-by aggregation (apply-concat-apply), `splitOut` output partitions.
        case groupby(GroupPlan, splitOut: Int)
        /// A join of the two inputs (left, right).
        case merge(MergeParameters)
        /// A sample sort into `partitions` key ranges (the input's partition count when nil).
        case sort(by: [String], ascending: [Bool], partitions: Int?)
        /// The first `n` rows of every partition (what `head(n)` needs at most from each).
        case limit(Int)
        /// A user or library closure per partition: opaque, so pushdown stops here unless `reads`
        /// names the input columns it uses (then only those are given to it).
        case map(MapParameters)
        /// One row per distinct combination of `subset` (every column when nil), the first in
        /// row order, in order of first appearance, in `splitOut` partitions.
        case dropDuplicates(subset: [String]?, splitOut: Int)
        /// One partition made from all the input's partitions by a closure (opaque).
        case gather(kind: String, body: @Sendable ([Table]) throws -> Table)
    }

    /// The operation.
    let operation: Operation
    /// The input nodes (none for a scan or partitions; two for a merge).
    let inputs: [FrameNode]
    /// The columns this node yields, in order: known when the node is built.
    let names: [String]
    /// The tasks of this node lowered on its own (optimized as the only output), made once.
    let rootLowering = LoweringCache()
    /// The column types, found once when first asked for (see `schema`).
    private let typing: LazyTypes

    /// A node whose schema is known now; `schema` must be what the operation yields from `inputs`.
    init(_ operation: Operation, _ inputs: [FrameNode] = [], schema: Schema) {
        self.operation = operation
        self.inputs = inputs
        names = schema.names
        typing = LazyTypes(schema)
    }

    /// A node whose column names are known now and whose types are found when first needed:
    /// `types` gets the inputs' schemas (in order) and returns this node's, with `names` as names.
    init(_ operation: Operation, _ inputs: [FrameNode] = [], names: [String],
         types: @escaping @Sendable ([Schema]) -> Schema) {
        self.operation = operation
        self.inputs = inputs
        self.names = names
        typing = LazyTypes(types)
    }

    /// The columns and (provisional) types this node yields.
    ///
    /// The types of a scan come from its source when first needed (a CSV source parses a sample
    /// then, once, for every frame over it), so building a plan reads no data; every node above
    /// derives its types from its inputs' the first time it is asked, inputs first, without
    /// recursion (a chain of ten thousand assigns resolves on any thread's stack), then keeps them.
    var schema: Schema {
        if let known = typing.value { return known }
        var stack: [(FrameNode, Bool)] = [(self, false)]
        var seen = Set<ObjectIdentifier>()
        while let (node, expanded) = stack.popLast() {
            if node.typing.value != nil { continue }
            if expanded {
                node.typing.resolve(node.inputs.map { $0.typing.value! })
                continue
            }
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.inputs where input.typing.value == nil { stack.append((input, false)) }
        }
        return typing.value!
    }

    /// The operation's name in plans and diagnostics.
    var kind: String {
        switch operation {
        case .scan: return "scan"
        case .partitions: return "partitions"
        case .select: return "select"
        case .filter: return "filter"
        case .assign: return "assign"
        case .rename: return "rename"
        case .groupby: return "groupby-agg"
        case .merge: return "merge"
        case .sort: return "sort"
        case .limit: return "limit"
        case .map(let m): return m.kind
        case .dropDuplicates: return "drop-duplicates"
        case .gather(let kind, _): return kind
        }
    }

    /// The rows of each partition, when known without computing: in-memory partitions and
    /// operations that keep every row.
    var knownRowCounts: [Int]? {
        switch operation {
        case .partitions(_, let k): return k
        case .select, .assign, .rename: return inputs[0].knownRowCounts
        case .map(let m) where m.preservesRowCounts: return inputs[0].knownRowCounts
        default: return nil
        }
    }

    /// About how many bytes this node's partitions hold together, known without computing: a
    /// scan's source estimate (`FrameSource.estimatedBytes(for:)`), in-memory partitions' known
    /// rows × 8 bytes a column, and operations that keep or drop rows and columns above them
    /// (scaled by their share of the columns; a filter, limit or sort keeps the input's figure,
    /// an upper bound). Nil for what only computing tells (a groupby, a merge, a closure that
    /// changes row counts). What a merge chooses broadcast or shuffle by.
    /// - Complexity: O(depth of the chain of one-input nodes above the source), no recursion.
    var estimatedBytes: Int? {
        var node = self
        var share = 1.0
        while true {
            switch node.operation {
            case .scan(let source, let request):
                return source.estimatedBytes(for: request).map { Int((Double($0) * share).rounded(.up)) }
            case .partitions(_, let known):
                return known.map { Int((Double($0.reduce(0, +) * Swift.max(node.names.count, 1) * 8) * share).rounded(.up)) }
            case .select, .assign, .rename, .filter, .limit, .sort:
                break
            case .map(let m) where m.preservesRowCounts:
                break
            default:
                return nil
            }
            let input = node.inputs[0]
            share *= Double(node.names.count) / Double(Swift.max(input.names.count, 1))
            node = input
        }
    }

    /// The same operation over other inputs, its schema derived again from them (projection
    /// pushdown narrows inputs, and a node above keeps only the columns its input still has).
    /// - Throws: `FrameError` when the inputs no longer fit (a bug in a rule, not user input).
    func with(_ operation: Operation? = nil, inputs newInputs: [FrameNode]) throws -> FrameNode {
        try FrameNode.derived(operation ?? self.operation, newInputs, declared: self)
    }

    /// The node `op` makes over `inputs`, its names found now and its types when needed.
    /// `declared` supplies what the inputs can't: the schema of opaque closures, groupby outputs
    /// and in-memory partitions (the node `op` replaces, or one made with its schema).
    /// - Throws: `FrameError.unknownColumn` for a select of a column the input lacks; merges
    ///   check their keys' types now (`JoinSpec`), so they resolve their inputs' types.
    static func derived(_ op: Operation, _ inputs: [FrameNode], declared: FrameNode? = nil) throws -> FrameNode {
        func fromDeclared() -> FrameNode {
            guard let declared else { preconditionFailure("a \(op) node needs its declared schema") }
            return FrameNode(op, inputs, names: declared.names) { _ in declared.schema }
        }
        switch op {
        case .scan(let source, let request):
            let names = request.columns.map { cols in source.names.filter(Set(cols).contains) } ?? source.names
            return FrameNode(op, inputs, names: names) { _ in source.schema(of: request.columns) }
        case .partitions, .groupby, .map, .gather:
            return fromDeclared()
        case .select(let names):
            let known = Set(inputs[0].names)
            for n in names where !known.contains(n) { throw FrameError.unknownColumn(n, available: inputs[0].names) }
            return FrameNode(op, inputs, names: names) { s in Schema(names.map { s[0][$0]! }) }
        case .filter, .sort, .limit, .dropDuplicates:
            return FrameNode(op, inputs, names: inputs[0].names) { s in s[0] }
        case .assign(let name, let expression):
            let names = inputs[0].names.contains(name) ? inputs[0].names : inputs[0].names + [name]
            return FrameNode(op, inputs, names: names) { s in
                var fields = s[0].fields
                let field = Field(name, expression.expectedType(in: s[0]))
                if let i = s[0].index(of: name) { fields[i] = field } else { fields.append(field) }
                return Schema(fields)
            }
        case .rename(let mapping):
            return FrameNode(op, inputs, names: inputs[0].names.map { mapping[$0] ?? $0 }) { s in
                Schema(s[0].fields.map { Field(mapping[$0.name] ?? $0.name, $0.type, nullable: $0.nullable) })
            }
        case .merge(let m):
            return FrameNode(op, inputs, schema: try m.spec(inputs[0].schema, inputs[1].schema).schema)
        }
    }
}

/// A node's column types: known from the start, or made once from its inputs' when first asked.
final class LazyTypes: @unchecked Sendable {
    private let lock = NSLock()
    private var schema: Schema?
    private var make: (@Sendable ([Schema]) -> Schema)?

    init(_ schema: Schema) { self.schema = schema }

    init(_ make: @escaping @Sendable ([Schema]) -> Schema) { self.make = make }

    /// The types, nil until resolved.
    var value: Schema? {
        lock.lock()
        defer { lock.unlock() }
        return schema
    }

    /// Makes the types from the inputs' (outside the lock: a source may read a sample then, and
    /// two threads that race both make the same schema), keeps the first, and lets `make` go.
    func resolve(_ inputs: [Schema]) {
        lock.lock()
        let make = self.make
        lock.unlock()
        guard let make else { return }
        let made = make(inputs)
        lock.lock()
        if schema == nil { schema = made }
        self.make = nil
        lock.unlock()
    }
}

/// What a scan asks of its source: columns, a predicate and a row limit. The source applies
/// what it can (`FrameSource.accepts(_:)`); the plan keeps a filter above it for the rest.
public struct ScanRequest: Sendable, Equatable {
    /// The columns to read and convert, in the source's order; every column when nil.
    public var columns: [String]?
    /// Rows to keep: only rows where it is true become part of a partition.
    public var predicate: Expr?
    /// At most this many rows of each partition (what `head(n)` needs).
    public var rowLimit: Int?

    /// A request for `columns` (all when nil), rows matching `predicate`, at most `rowLimit` per partition.
    public init(columns: [String]? = nil, predicate: Expr? = nil, rowLimit: Int? = nil) {
        self.columns = columns
        self.predicate = predicate
        self.rowLimit = rowLimit
    }

    /// Same columns, row limit and predicate (compared by its printed form).
    public static func == (a: ScanRequest, b: ScanRequest) -> Bool {
        a.columns == b.columns && a.predicate?.description == b.predicate?.description && a.rowLimit == b.rowLimit
    }
}

/// The parameters of a merge node (the join's schema is derived from the inputs when lowering).
struct MergeParameters: Sendable {
    let leftOn: [String]
    let rightOn: [String]
    let how: JoinKind
    let suffixes: (String, String)
    let broadcast: Bool?
    /// Whether a hash-partitioned join restores pandas' row order.
    var preserveOrder = true
    /// Without `broadcast`, broadcast a side estimated at most this many bytes.
    var broadcastLimit = ChunkedFrame.defaultBroadcastLimit

    func spec(_ left: Schema, _ right: Schema) throws -> JoinSpec {
        try JoinSpec(left: left, right: right, leftOn: leftOn, rightOn: rightOn, how: how, suffixes: suffixes)
    }
}

/// The parameters of an opaque per-partition closure node.
struct MapParameters: Sendable {
    let kind: String
    /// The input columns the closure reads; all of them when nil (pushdown stops here).
    let reads: [String]?
    let preservesRowCounts: Bool
    /// Runs on partition `i`'s table.
    let body: @Sendable (Int, Table) throws -> Table
}

/// A node's lowering, made at most once (a frame's `partitions` are the same tasks every time).
final class LoweringCache: @unchecked Sendable {
    private let lock = NSLock()
    private var refs: [TaskRef]?

    func value(_ make: () -> [TaskRef]) -> [TaskRef] {
        lock.lock()
        defer { lock.unlock() }
        if let refs { return refs }
        let made = make()
        refs = made
        return made
    }
}
