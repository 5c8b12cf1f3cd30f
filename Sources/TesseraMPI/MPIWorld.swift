import CMPI
import Foundation
import Tessera

/// This process's place in the MPI job, and the one thread that makes every MPI call.
///
/// Open MPI 4.1 has no progress thread of its own, and worker threads must never block in MPI,
/// so a single communication thread (it calls `MPI_Init_thread` with `MPI_THREAD_FUNNELED`, the
/// level it needs) does everything: it sends values workers hand it (`MPI_Isend`, completed by
/// `MPI_Testsome`), takes any incoming message whatever its size (`MPI_Improbe` + `MPI_Mrecv`),
/// decodes values and delivers them to the compute running here, and backs off (yield, then
/// sleeps of up to a millisecond) when nothing happens. Other threads only queue commands for it.
///
/// The world starts on first use and lasts until `finalize()`, which every rank must call
/// before it exits (Open MPI reports a rank that exits without it as a failure).
public final class MPIWorld: @unchecked Sendable {
    /// The world of this process, started (and MPI initialised) on first use.
    public static let shared = MPIWorld()

    /// This process's rank, `0..<size`.
    public let rank: Int
    /// The number of ranks in the job.
    public let size: Int
    /// The thread level Open MPI granted (`MPI_THREAD_FUNNELED` or more).
    public let threadLevel: Int32

    /// The largest message sent at once; longer values go as several (MPI counts are 32-bit).
    static let maxMessageBytes: Int = {
        if let s = ProcessInfo.processInfo.environment["TESSERA_MPI_MAX_MESSAGE"], let n = Int(s), n >= 64 { return n }
        return 1 << 30
    }()

    /// The smallest buffer ending a value that travels as its tail, sent from and received into
    /// the arrays' own storage (see `MessageHeader`); smaller ones are copied into the message.
    static let minimumTailBytes: Int = {
        if let s = ProcessInfo.processInfo.environment["TESSERA_MPI_MIN_TAIL"], let n = Int(s), n >= 1 { return n }
        return 1 << 20
    }()

    /// The most bytes of received-tail buffers kept warm for reuse while no value holds them
    /// (`BlockBufferPool`): `TESSERA_MPI_POOL_BYTES`, else a sixteenth of physical memory, at most 1 GiB.
    static let receivePoolBytes: Int = {
        if let s = ProcessInfo.processInfo.environment["TESSERA_MPI_POOL_BYTES"], let n = Int(s), n >= 0 { return n }
        return Int(min(ProcessInfo.processInfo.physicalMemory / 16, 1 << 30))
    }()

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var commands: [Command] = []
    private var computeCounter: UInt64 = 0
    private var finalized = false
    private let progress: Progress

    enum Command {
        case register(ComputeSession)
        case ready(ComputeSession, LocalShare)
        case send(ComputeSession, task: Int, bytes: [UInt8], tail: BlockRawTail?, to: [Int32])
        case localFailure(ComputeSession, TaskFailure)
        case finished(ComputeSession)
        case finalize(NSCondition)
        case sideMessage([UInt8], to: Int32)
        case sideHandler(SideMessageHandler, channel: UInt64)
    }

    /// Takes a side message: the sending rank and the bytes it sent.
    public typealias SideMessageHandler = @Sendable (_ source: Int, _ bytes: [UInt8]) -> Void

    private init() {
        let started = OneValue<(Int, Int, Int32, Progress)>()
        let condition = self.condition
        let thread = Thread {
            var provided: Int32 = 0
            var rc = tessera_mpi_init(&provided)
            if rc == MPI_SUCCESS { rc = tessera_mpi_errors_return() }
            guard rc == MPI_SUCCESS else { fatalError("MPI_Init_thread failed with error \(rc)") }
            guard provided >= tessera_mpi_thread_funneled() else {
                fatalError("\(MPIError.threadSupport(granted: provided))")
            }
            let p = Progress(rank: Int(tessera_mpi_rank()), size: Int(tessera_mpi_size()), condition: condition)
            started.set((p.rank, p.size, provided, p))
            p.loop()
        }
        thread.name = "tessera-mpi"
        thread.start()
        (rank, size, threadLevel, progress) = started.get()
        progress.worldBox.set(self)
    }

    /// Whether this process was started by `mpirun`/`mpiexec` (Open MPI's environment) or Slurm's
    /// `srun` with PMIx, without initialising MPI.
    public static var isLaunchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    /// Ends MPI for this process once every value it sent has been received and every rank got
    /// here. Call once, from any thread, after the last compute; computes are impossible after.
    public func finalize() {
        let done = NSCondition()
        done.lock()
        enqueue(.finalize(done))
        while !progress.hasFinalized { done.wait() }
        done.unlock()
    }

    /// The bytes this rank has sent and received through MPI so far (headers included), for
    /// benchmarks that report how much a compute moved.
    public var traffic: (sent: Int, received: Int) { progress.traffic.read() }

    /// Sends `error`'s description from this rank and ends every rank of the job at once
    /// (`MPI_Abort`): for a failure after which the ranks cannot agree to finish together.
    /// - Parameter code: the job's exit status.
    public static func abortJob(code: Int32) -> Never {
        _ = tessera_mpi_abort(code)
        exit(code)
    }

    /// Sends `bytes` to rank `destination`'s side-message handler, outside any compute: the seam
    /// through which diagnostics of other ranks (the dashboard's batches) reach one rank. Messages
    /// from one rank arrive in the order sent; the call only queues them for the communication
    /// thread, so a worker or any other thread may call it.
    /// - Parameters:
    ///   - bytes: the message (any length; long ones travel in pieces).
    ///   - destination: the receiving rank, `0..<size`, not this one.
    ///   - channel: which of the receiving rank's handlers takes it (the dashboard uses 0, the
    ///     progress bar and the profiler others), so several diagnostics share the seam.
    public func sendSideMessage(_ bytes: [UInt8], to destination: Int, channel: UInt64 = 0) {
        precondition(destination >= 0 && destination < size && destination != rank, "side message to rank \(destination) of \(size) from rank \(rank)")
        var w = BlockWriter()
        MessageHeader(kind: .side, compute: 0, task: channel).bytes.withUnsafeBytes { w.appendRaw($0) }
        bytes.withUnsafeBytes { w.appendRaw($0) }
        enqueue(.sideMessage(w.bytes, to: Int32(destination)))
    }

    /// Installs the handler for side messages from other ranks on `channel` (replacing any
    /// earlier one there). Messages that arrived before a handler was installed are handed to it
    /// then, in order.
    /// - Parameters:
    ///   - channel: the channel whose messages it takes (see `sendSideMessage(_:to:channel:)`).
    ///   - handler: called on the communication thread, one message at a time, so it must be
    ///     quick (hand the bytes over rather than do slow work) and must not call MPI.
    public func setSideMessageHandler(channel: UInt64 = 0, _ handler: @escaping SideMessageHandler) {
        enqueue(.sideHandler(handler, channel: channel))
    }

    func nextComputeID() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        precondition(!finalized, "compute after MPIWorld.finalize()")
        computeCounter += 1
        return computeCounter
    }

    func enqueue(_ command: Command) {
        condition.lock()
        if case .finalize = command { finalized = true }
        commands.append(command)
        condition.signal()
        condition.unlock()
    }

    /// Takes the queued commands, waiting up to `timeout` seconds for one (0: don't wait).
    func takeCommands(waiting timeout: Double) -> [Command] {
        condition.lock()
        defer { condition.unlock() }
        if commands.isEmpty && timeout > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
        let taken = commands
        commands = []
        return taken
    }
}

/// Byte counts the communication thread adds to and any thread reads.
final class TrafficCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var sent = 0
    private var received = 0
    func add(sent s: Int = 0, received r: Int = 0) { lock.lock(); sent += s; received += r; lock.unlock() }
    func read() -> (sent: Int, received: Int) { lock.lock(); defer { lock.unlock() }; return (sent, received) }
}

/// A value set once by one thread and read by another.
final class OneValue<T>: @unchecked Sendable {
    private let c = NSCondition()
    private var value: T?
    func set(_ v: T) { c.lock(); value = v; c.broadcast(); c.unlock() }
    func get() -> T {
        c.lock()
        defer { c.unlock() }
        while value == nil { c.wait() }
        return value!
    }
}
