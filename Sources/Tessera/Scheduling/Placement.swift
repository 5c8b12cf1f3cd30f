/// Which process (rank) runs each task of a plan: a pure function of the plan and the rank count,
/// decided before execution, so every rank of an SPMD job computes the same answer on its own.
///
/// Rules, in plan order (inputs are placed before their consumers):
/// 1. **Sources** (tasks with no inputs) spread in contiguous ranges: task `k` of an `n`-task
///    layer goes to rank `k * ranks / n`, so a file's consecutive blocks stay together and every
///    rank reads only its own range. Single-task source layers (one `Delayed` value each) are
///    spread the same way as one sequence, in plan order.
/// 2. **A task with inputs** goes where most of its inputs are (bytes are not known before
///    running, so each distinct input counts once). Among ranks holding equally many, the rank
///    its own layer range would give (rule 1) wins if it is one of them, else the lowest. A tree
///    reduction therefore combines neighbouring ranks first — pairs (0, 1) and (2, 3) meet on
///    0 and 2, and only then does a value cross to rank 0.
/// 3. **Shuffles** (layers made by `Shuffle`): a piece task stays with its split (rule 2: its one
///    input), so only pieces travel; a task fed by pieces of output `j` of an `M`-output shuffle
///    goes to rank `j * ranks / M`, so the outputs spread over the ranks like a layer's blocks,
///    however the consumer is built (one task per output, two shuffles joined output by output,
///    a tree of combines per output): it gathers one piece from every input, wherever they are,
///    so where its inputs are says nothing.
/// 4. **The final task**: when the plan has a single output, it runs on rank 0.
///
/// ```swift
/// let placement = Placement(plan: graph.plan(), ranks: 4)
/// let mine = placement.tasks(on: 2)
/// ```
/// - Complexity: O(t + e) time, O(t) memory for t tasks and e edges.
public struct Placement: Sendable, Equatable {
    /// The number of ranks tasks are spread over.
    public let ranks: Int
    /// The rank of each plan task, indexed by task.
    public let rankOfTask: [Int32]

    /// Places every task of `plan` on one of `ranks` ranks.
    /// - Parameters:
    ///   - plan: the plan to place.
    ///   - ranks: how many ranks there are (at least 1).
    public init(plan: ExecutionPlan, ranks: Int) {
        precondition(ranks >= 1, "placement needs at least one rank")
        self.ranks = ranks
        let n = plan.count
        var rank = [Int32](repeating: 0, count: n)
        guard ranks > 1 else {
            rankOfTask = rank
            return
        }
        // Single-task source layers form one sequence in plan order.
        var singleSources = 0
        for i in 0..<n where plan.inputs(of: i).isEmpty && plan.refs[i].layer.count == 1 { singleSources += 1 }
        var singleSeen = 0
        var weight = [Int](repeating: 0, count: ranks)
        for i in 0..<n {
            let ref = plan.refs[i]
            let rangeRank: Int
            if ref.layer.count == 1 && plan.inputs(of: i).isEmpty {
                rangeRank = singleSeen * ranks / max(singleSources, 1)
                singleSeen += 1
            } else {
                rangeRank = ref.index * ranks / ref.layer.count
            }
            let ins = plan.inputs(of: i)
            if ins.isEmpty {
                rank[i] = Int32(rangeRank)
                continue
            }
            if let r = Placement.shuffleOutputRank(of: i, in: plan, ranks: ranks) {
                rank[i] = Int32(r)
                continue
            }
            for r in 0..<ranks { weight[r] = 0 }
            ExecutionPlan.forEachDistinct(ins) { d in weight[Int(rank[Int(d)])] += 1 }
            let most = weight.max()!
            rank[i] = Int32(weight[rangeRank] == most ? rangeRank : weight.firstIndex(of: most)!)
        }
        if plan.outputs.count == 1 { rank[plan.outputs[0]] = 0 }
        rankOfTask = rank
    }

    /// The rank of a task fed by shuffle pieces (rule 3): `j * ranks / M` for pieces of output
    /// `j` of an `M`-output shuffle, when all its piece inputs agree; nil for other tasks. A piece
    /// fused into its consumer (an output with a single input) is not seen here, so that task
    /// follows the split it reads, whose value (all pieces) never has to travel.
    static func shuffleOutputRank(of i: Int, in plan: ExecutionPlan, ranks: Int) -> Int? {
        var found: Int?
        for d in plan.inputs(of: i) {
            let ref = plan.refs[Int(d)]
            guard case .pieces(_, let m)? = ref.layer.shuffleRole else { continue }
            let r = (ref.index % m) * ranks / m
            if let found, found != r { return nil }
            found = r
        }
        return found
    }

    /// The tasks placed on `rank`, in plan order.
    /// - Parameter rank: a rank in `0..<ranks`.
    /// - Complexity: O(t).
    public func tasks(on rank: Int) -> [Int] {
        rankOfTask.indices.filter { rankOfTask[$0] == Int32(rank) }
    }
}
