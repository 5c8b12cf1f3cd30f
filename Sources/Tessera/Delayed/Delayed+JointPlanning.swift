// A Delayed built on a frame's partitions keeps, besides its task, the recipe to build that task
// again from the frame's jointly optimized plan: `compute(s.mean(), s.max())` then reads the
// frame's files once, with the union of the columns, as `compute(frameA, frameB)` does.

/// How a Delayed value's task is built inside a joint compute.
///
/// Recipes form a graph as the values do (a value used twice is one recipe reached twice), so
/// both walks below are iterative and visit each recipe once per session: recursing through
/// closures grew the stack with the chain and, on shared inputs (`add(x, x)` repeated), visited
/// a recipe once per path, 2^30 times for thirty doublings.
struct JointOrigin: Sendable {
    private enum Node: Sendable {
        /// An output of a collection that plans (a frame's partition).
        case output(prepare: @Sendable (ComputeSession) -> Void, ref: @Sendable (ComputeSession) -> TaskRef)
        /// A one-task layer over inputs of which some have recipes.
        case task(JointTask)
    }
    private let node: Node

    /// The recipe of a collection's output: `prepare` lets the collection join the session,
    /// `ref` gives the output's task in the session's plan.
    init(prepare: @escaping @Sendable (ComputeSession) -> Void, ref: @escaping @Sendable (ComputeSession) -> TaskRef) {
        node = .output(prepare: prepare, ref: ref)
    }

    /// The recipe of a one-task layer over `inputs`, nil when no input has one (the task is
    /// then the same in every compute).
    static func rebuilding(kind: String, name: String?, inputs: [TaskRef], joints: [JointOrigin?],
                           _ body: @escaping @Sendable ([Any]) throws -> Any) -> JointOrigin? {
        guard joints.contains(where: { $0 != nil }) else { return nil }
        return JointOrigin(node: .task(JointTask(kind: kind, name: name, inputs: inputs, joints: joints, body: body)))
    }

    private init(node: Node) { self.node = node }

    /// Prepares every collection the value stands on, each recipe once per session.
    /// - Complexity: O(recipes reachable), iterative.
    func prepare(_ session: ComputeSession) {
        let visited = session.shared(JointTasks.init)
        var stack = [self]
        while let joint = stack.popLast() {
            switch joint.node {
            case .output(let prepare, _):
                prepare(session)
            case .task(let task):
                guard visited.firstVisit(task) else { continue }
                for input in task.joints { if let input { stack.append(input) } }
            }
        }
    }

    /// The value's task in `session`, built once per session and recipe, inputs first.
    /// - Complexity: O(recipes reachable not yet built in the session), iterative.
    func ref(_ session: ComputeSession) -> TaskRef {
        let root: JointTask
        switch node {
        case .output(_, let ref): return ref(session)
        case .task(let task): root = task
        }
        let built = session.shared(JointTasks.init)
        // Post-order: a task is built once every input recipe of it is.
        var stack: [(task: JointTask, inputsPushed: Bool)] = [(root, false)]
        while let (task, inputsPushed) = stack.popLast() {
            if built.task(for: task) != nil { continue }
            if !inputsPushed {
                stack.append((task, true))
                for case .task(let input)? in task.joints.map({ $0?.node }) where built.task(for: input) == nil {
                    stack.append((input, false))
                }
                continue
            }
            let refs = zip(task.inputs, task.joints).map { ref, joint -> TaskRef in
                switch joint?.node {
                case nil: return ref
                case .output(_, let ref)?: return ref(session)
                case .task(let input)?: return built.task(for: input)!
                }
            }
            built.record(TaskRef(Layer(kind: task.kind, name: task.name, spec: TaskSpec(inputs: refs, run: task.body))), for: task)
        }
        return built.task(for: root)!
    }
}

/// The parts of a one-task layer that a joint compute builds again over its inputs' new tasks.
final class JointTask: @unchecked Sendable {
    let kind: String
    let name: String?
    let inputs: [TaskRef]
    /// Variable only so that `deinit` can take it; nothing else writes it.
    @exclusivity(unchecked) private(set) var joints: [JointOrigin?]
    let body: @Sendable ([Any]) throws -> Any

    init(kind: String, name: String?, inputs: [TaskRef], joints: [JointOrigin?], body: @escaping @Sendable ([Any]) throws -> Any) {
        self.kind = kind
        self.name = name
        self.inputs = inputs
        self.joints = joints
        self.body = body
    }

    deinit {
        // A chain of recipes ends one after another, not one inside another (`GraphTeardown`).
        GraphTeardown.current.release { () -> [JointOrigin?] in
            defer { joints = [] }
            return joints
        }
    }
}

/// A Delayed's task and recipe, as an input of another Delayed.
struct DelayedInput: Sendable {
    let ref: TaskRef
    let joint: JointOrigin?
}

/// The recipes visited and the tasks built in one compute session.
final class JointTasks {
    private var built: [ObjectIdentifier: TaskRef] = [:]
    private var prepared: Set<ObjectIdentifier> = []

    /// The task built for `recipe` in this session, if any.
    func task(for recipe: JointTask) -> TaskRef? { built[ObjectIdentifier(recipe)] }

    /// Records the task built for `recipe`.
    func record(_ ref: TaskRef, for recipe: JointTask) { built[ObjectIdentifier(recipe)] = ref }

    /// Whether `recipe` is prepared for the first time in this session (it is marked so).
    func firstVisit(_ recipe: JointTask) -> Bool { prepared.insert(ObjectIdentifier(recipe)).inserted }
}
