import Tessera

/// One compute as the communication thread sees it: the plan's identity for the handshake, how
/// many values to expect from other ranks, and the local share once it exists.
///
/// Created by the executor's thread; after `register`, the fields below the handshake are read
/// and written by the communication thread only.
final class ComputeSession: @unchecked Sendable {
    let id: UInt64
    let plan: ExecutionPlan
    let hash: UInt64
    /// Values of other ranks' tasks this rank must receive (inputs of local tasks, and outputs).
    let expected: Int
    /// Set once by the communication thread when every rank's hello has arrived.
    let handshake = OneValue<Result<Void, MPIError>>()

    // Communication thread only.
    var hellos: [Int: (tasks: Int, hash: UInt64)] = [:]
    var share: LocalShare?
    var stash: [Incoming] = []
    var received = 0
    var complete = false
    /// A local task failed before the share was handed over (the others were told already).
    var failedLocally = false

    init(id: UInt64, plan: ExecutionPlan, expected: Int) {
        self.id = id
        self.plan = plan
        self.hash = plan.shapeHash
        self.expected = expected
    }
}

/// A message as it came off the wire: its sender, its header and all its bytes (header included).
struct Incoming {
    let source: Int
    let header: MessageHeader
    let bytes: [UInt8]
}
