// A shuffle moves every row of N inputs to one of M outputs (by key hash, by key range, by where
// it came from). It is the one all-to-all pattern of the engine, so it is built in one place and
// marked as such on its layers: groupby's split-out, merge's hash join and order restore, and the
// sort's range partitioning all go through `Shuffle`, and an executor (placement for MPI; later a
// point-to-point exchange or `MPI_Alltoallv`) sees one shuffle instead of hand-made patterns.
//
//   input 0 ─ split 0 ─┬─ piece (0, 0) ─┐
//                      └─ piece (0, 1) ─┼──────────┐
//   input 1 ─ split 1 ─┬─ piece (1, 0) ─┴ output 0 │
//                      └─ piece (1, 1) ─────────── output 1
//
// The split task cuts its input into M pieces in one pass; piece task (i, j) hands piece j of
// input i on, alone, so only that piece (never the whole split) has to travel to the output's
// process, and the split's value is freed once its M pieces are taken. The caller builds what
// consumes output j's pieces (a concatenation, a join of two shuffles' pieces, a tree of combines).

/// A shuffle of `N` inputs into `M` outputs: `N` split tasks, each cutting its input into `M`
/// pieces, and `N × M` piece tasks, piece `(i, j)` being piece `j` of input `i`.
///
/// ```swift
/// let byParity = Shuffle(kind: "parity", inputs: numbers.refs, outputs: 2) { _, args in
///     let values = args[0] as! [Int]
///     let rows = Shuffle.rowsByOutput(count: values.count, outputs: 2) { values[$0] & 1 }
///     return rows.map { r in r.map { values[$0] } }
/// }
/// let evensAndOdds = byParity.combined(kind: "parity-concat") { _, pieces in pieces.flatMap { $0 as! [Int] } }
/// ```
///
/// Both layers carry a ``ShuffleRole`` so executors and ``Placement`` recognise them.
public struct Shuffle: Sendable {
    /// The split layer: task `i` returns input `i` cut into ``outputCount`` pieces.
    public let split: Layer
    /// The piece layer, grid `[inputCount, outputCount]`: task `i × outputCount + j` is piece `j`
    /// of input `i`.
    public let pieces: Layer
    /// The number of inputs `N`.
    public var inputCount: Int { split.count }
    /// The number of outputs `M`.
    public let outputCount: Int

    /// Builds the split and piece layers of a shuffle of `inputs` into `outputs` outputs.
    ///
    /// - Parameters:
    ///   - kind: the shuffle's name; its layers are `kind-split` and `kind-piece`.
    ///   - inputs: the `N` values to cut (possibly none).
    ///   - shared: tasks every split reads too (the boundaries of a range split, say); their
    ///     values follow the input's in the split's arguments.
    ///   - outputs: `M`, at least 1.
    ///   - split: cuts input `part`: it receives the input's value and then the `shared` values,
    ///     and returns exactly `outputs` pieces, piece `j` bound for output `j`. Runs once per
    ///     input, on any worker.
    /// - Complexity: O(N × M) tasks, made lazily when a compute reaches them.
    public init(kind: String, inputs: [TaskRef], shared: [TaskRef] = [], outputs: Int,
                split: @escaping @Sendable (_ part: Int, _ args: [Any]) throws -> [Any]) {
        precondition(outputs >= 1, "a shuffle needs at least one output")
        let m = outputs
        let cut = Layer(kind: kind + "-split", count: inputs.count, shuffleRole: .split(outputs: m)) { _, i in
            TaskSpec(inputs: [inputs[i]] + shared) { args in
                let pieces = try split(i, args)
                guard pieces.count == m else { throw ShuffleError(kind: kind, input: i, expected: m, got: pieces.count) }
                return pieces
            }
        }
        self.split = cut
        pieces = Layer(kind: kind + "-piece", count: inputs.count * m, grid: [inputs.count, m],
                       shuffleRole: .pieces(inputs: inputs.count, outputs: m)) { _, t in
            TaskSpec(inputs: [cut[t / m]]) { args in (args[0] as! [Any])[t % m] }
        }
        outputCount = m
    }

    /// Piece `output` of every input, in input order: what output `output` gathers.
    /// - Parameter output: an output in `0..<outputCount`.
    /// - Returns: `inputCount` task references (none when there are no inputs).
    public func pieces(for output: Int) -> [TaskRef] {
        precondition(output >= 0 && output < outputCount, "output \(output) outside a shuffle of \(outputCount) outputs")
        return (0..<inputCount).map { pieces[$0 * outputCount + output] }
    }

    /// A layer of `outputCount` tasks, task `j` combining output `j`'s pieces.
    /// - Parameters:
    ///   - kind: the layer's kind.
    ///   - combine: receives `j` and the values of ``pieces(for:)``, in input order.
    /// - Returns: the output layer.
    public func combined(kind: String, _ combine: @escaping @Sendable (_ output: Int, _ pieces: [Any]) throws -> Any) -> Layer {
        let shuffle = self
        return Layer(kind: kind, count: outputCount) { j in
            TaskSpec(inputs: shuffle.pieces(for: j)) { args in try combine(j, args) }
        }
    }

    /// The rows `0..<count` grouped by output, each group in row order: what a split takes
    /// from its input for each piece.
    /// - Parameters:
    ///   - count: the number of rows.
    ///   - outputs: the number of outputs.
    ///   - destination: the output of a row, in `0..<outputs`; called twice per row (it should
    ///     be cheap: an array lookup, a modulo).
    /// - Returns: `outputs` arrays of row numbers, each sized exactly.
    /// - Complexity: O(count + outputs).
    @inlinable
    public static func rowsByOutput(count: Int, outputs: Int, _ destination: (Int) -> Int) -> [[Int]] {
        var sizes = [Int](repeating: 0, count: outputs)
        for r in 0..<count { sizes[destination(r)] += 1 }
        var rows = sizes.map { n -> [Int] in
            var a: [Int] = []
            a.reserveCapacity(n)
            return a
        }
        for r in 0..<count { rows[destination(r)].append(r) }
        return rows
    }

    /// Rows grouped by hash partition: row `r` goes to output `hashes[r] % outputs`, the same on
    /// every process for equal hashes.
    /// - Parameters:
    ///   - hashes: one hash per row.
    ///   - outputs: the number of outputs.
    /// - Returns: as ``rowsByOutput(count:outputs:_:)``.
    /// - Complexity: O(rows + outputs).
    public static func rowsByHash(_ hashes: [UInt64], outputs: Int) -> [[Int]] {
        let m = UInt64(outputs)
        return hashes.withUnsafeBufferPointer { h in rowsByOutput(count: h.count, outputs: outputs) { Int(h[$0] % m) } }
    }
}

/// What a layer is to a shuffle, for executors that move a shuffle as one exchange.
public enum ShuffleRole: Sendable, Equatable {
    /// The layer's tasks each cut one input into `outputs` pieces.
    case split(outputs: Int)
    /// The layer's task `i × outputs + j` is piece `j` of input `i`.
    case pieces(inputs: Int, outputs: Int)
}
