// A Delayed built on a frame's partitions keeps, besides its task, the recipe to build that task
// again from the frame's jointly optimized plan: `compute(s.mean(), s.max())` then reads the
// frame's files once, with the union of the columns, as `compute(frameA, frameB)` does.

/// How a Delayed value's task is built inside a joint compute.
struct JointOrigin: Sendable {
    /// Prepares every collection the value stands on.
    let prepare: @Sendable (ComputeSession) -> Void
    /// The value's task in `session` (built once per session and value).
    let ref: @Sendable (ComputeSession) -> TaskRef

    /// The recipe of a one-task layer over `inputs`, nil when no input has one (the task is
    /// then the same in every compute). `original` identifies the task in the session's memo,
    /// so a value shared by several outputs is rebuilt once.
    static func rebuilding(_ original: TaskRef, kind: String, name: String?, inputs: [TaskRef], joints: [JointOrigin?],
                           _ body: @escaping @Sendable ([Any]) throws -> Any) -> JointOrigin? {
        guard joints.contains(where: { $0 != nil }) else { return nil }
        return JointOrigin(
            prepare: { session in for joint in joints { joint?.prepare(session) } },
            ref: { session in
                session.shared(JointTasks.init).task(for: original) {
                    let refs = zip(inputs, joints).map { ref, joint in joint?.ref(session) ?? ref }
                    return TaskRef(Layer(kind: kind, name: name, spec: TaskSpec(inputs: refs, run: body)))
                }
            })
    }
}

/// A Delayed's task and recipe, as an input of another Delayed.
struct DelayedInput: Sendable {
    let ref: TaskRef
    let joint: JointOrigin?
}

/// The tasks rebuilt in one compute session, by the task they stand for.
final class JointTasks {
    private var built: [ObjectIdentifier: [Int: TaskRef]] = [:]

    /// The rebuilt task for `original`, made by `make` the first time.
    func task(for original: TaskRef, _ make: () -> TaskRef) -> TaskRef {
        let id = ObjectIdentifier(original.layer)
        if let r = built[id]?[original.index] { return r }
        let r = make()
        built[id, default: [:]][original.index] = r
        return r
    }
}
