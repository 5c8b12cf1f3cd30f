import Foundation
import Tessera
import TesseraMPI

// `mpirun -np N tessera …`: every rank runs the same command (SPMD), builds the same graph and
// computes it with `.mpi()`; rank 0 alone prints. The ranks above 0 send their standard output
// to /dev/null and their standard error to an unlinked temporary file, so a command's messages
// (results, notes, the error of a failed task, which every rank throws) appear once, from rank 0.
//
// Ending: every rank finalizes MPI before it exits, with its own exit status. A failure that
// every rank shares (a task's `TaskFailure`, bad usage, a missing file) lets the ranks meet in
// finalize at once. A failure of one rank alone (its own disk, say) would leave the others
// waiting for it in a compute, so after a failure a rank waits at most `failureGrace` seconds
// for the others; then it prints what it had to say, with its rank, on the real standard error
// and aborts the whole job (`MPI_Abort`), which never hangs.

/// The command line's way of running under MPI.
enum MPIMode {
    /// Whether to compute over MPI ranks: `--mpi` given, or started by `mpirun`/`srun`.
    static let isActive: Bool = arguments(CommandLine.arguments.dropFirst()).contains("--mpi") || MPIWorld.isLaunchedByMPI

    /// Seconds a failed rank waits for the others in finalize before it aborts the job.
    static let failureGrace = 20.0

    /// The arguments before `--` (the ones options are parsed from).
    private static func arguments(_ all: ArraySlice<String>) -> ArraySlice<String> {
        all.prefix { $0 != "--" }
    }

    /// `arguments` without `--mpi` (before any `--`), for argument-parser, which doesn't know it.
    static func removingFlag(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var passed = false
        for a in arguments {
            if a == "--" { passed = true }
            if !passed && a == "--mpi" { continue }
            out.append(a)
        }
        return out
    }

    /// The MPI job, started on first use; nil outside MPI mode.
    static var world: MPIWorld? { isActive ? MPIWorld.shared : nil }

    /// Whether this process writes the command's files: always outside MPI, rank 0 under it.
    static var writesOutput: Bool { (world?.rank ?? 0) == 0 }

    /// The descriptor of the real standard error on ranks above 0 (their fd 2 goes to a file).
    private static let savedStandardError = LockedSlot<Int32>()

    /// Starts MPI and, on ranks above 0, silences standard output and holds standard error back
    /// (an executable may redirect its own descriptors; the library never does).
    static func start() {
        guard let world else { return }
        guard world.rank > 0 else { return }
        fflush(nil)
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, STDOUT_FILENO); close(null) }
        var template = Array("/tmp/tessera-rank-stderr-XXXXXX".utf8CString)
        let held = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard held >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        savedStandardError.set(dup(STDERR_FILENO))
        dup2(held, STDERR_FILENO)
        close(held)
    }

    /// Ends MPI on this rank and exits with `status`. After a failure, waits at most
    /// ``failureGrace`` seconds for the other ranks, then shows this rank's messages and aborts
    /// the job.
    /// - Parameter status: the exit status (0 success, 1 bad data, 2 bad usage).
    static func finish(status: Int32) -> Never {
        guard let world else { exit(status) }
        fflush(nil)
        if status == 0 {
            world.finalize()
            exit(0)
        }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            world.finalize()
            done.signal()
        }
        if done.wait(timeout: .now() + failureGrace) == .success { exit(status) }
        if let real = savedStandardError.get() {
            // This rank failed alone: what it printed is the only account of why.
            lseek(STDERR_FILENO, 0, SEEK_SET)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var text: [UInt8] = []
            while true {
                let n = read(STDERR_FILENO, &buffer, buffer.count)
                if n <= 0 { break }
                text += buffer[0..<n]
            }
            let message = "tessera: rank \(world.rank) failed alone; its messages:\n" + String(decoding: text, as: UTF8.self)
            _ = message.utf8CString.withUnsafeBufferPointer { write(real, $0.baseAddress!, $0.count - 1) }
        }
        MPIWorld.abortJob(code: status)
    }
}

/// A value set once, read from any thread.
final class LockedSlot<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T? { lock.lock(); defer { lock.unlock() }; return value }
}
