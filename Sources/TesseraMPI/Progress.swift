import CMPI
import Foundation
import Tessera

/// The communication thread's state and loop (see ``MPIWorld``). Everything here runs on that
/// one thread, except `hasFinalized`, read under the finalize caller's condition.
final class Progress: @unchecked Sendable {
    let rank: Int
    let size: Int
    let worldBox = OneValue<MPIWorld>()
    let traffic = TrafficCounter()
    /// Warm memory the arrays decoded from received tails adopt.
    let receiveBuffers = BlockBufferPool(limit: MPIWorld.receivePoolBytes)
    private(set) var hasFinalized = false

    private static let tag: Int32 = 7177
    /// The tag of value tails (see `MessageHeader`), apart so the probe for whole messages skips them.
    private static let tailTag: Int32 = 7178
    private var current: ComputeSession?
    private var lastFinished: UInt64 = 0
    private var future: [UInt64: [Incoming]] = [:]
    private var partial: [Int: (header: MessageHeader, bytes: [UInt8])] = [:]
    private var requests: [MPI_Request?] = []
    private var buffers: [AnyObject] = []
    private var completedIndices: [Int32] = []
    private var finalizing: NSCondition?
    private var sideHandlers: [UInt64: MPIWorld.SideMessageHandler] = [:]
    /// Side messages that came before their channel's handler was installed.
    private var sideStash: [UInt64: [(source: Int, bytes: [UInt8])]] = [:]

    init(rank: Int, size: Int, condition: NSCondition) {
        self.rank = rank
        self.size = size
    }

    /// Runs until `finalize`: commands, then incoming messages, then send completions; backs off
    /// when a round did nothing, so an idle rank costs almost no CPU.
    func loop() {
        let world = worldBox.get()
        var idle = 0
        while true {
            // Open MPI moves a large message's bytes only inside MPI calls made on this thread,
            // so while a send is in flight or a value is half received the loop keeps calling
            // (yielding between rounds) instead of sleeping: with sleeps, 64 MB over TCP moved a
            // socket buffer per millisecond.
            let busy = !requests.isEmpty || !partial.isEmpty
            let wait = idle < 64 || busy ? 0 : min(1e-3, 2e-5 * Double(1 << min(idle - 64, 6)))
            let commands = world.takeCommands(waiting: wait)
            for c in commands { handle(c) }
            var did = !commands.isEmpty
            did = receive() || did
            did = testSends() || did
            if let done = finalizing, requests.isEmpty {
                finish(done)
                return
            }
            if did { idle = 0 } else {
                idle += 1
                if idle < 64 || busy { sched_yield() }
            }
        }
    }

    // MARK: commands

    private func handle(_ command: MPIWorld.Command) {
        switch command {
        case .register(let s):
            current = s
            let hello = MessageHeader(kind: .hello, compute: s.id, task: UInt64(s.plan.count), extra: s.hash).bytes
            for r in 0..<size where r != rank { send(hello, to: r) }
            checkHandshake(s)
            for m in future.removeValue(forKey: s.id) ?? [] { process(m) }
        case .ready(let s, let share):
            s.share = share
            let stashed = s.stash
            s.stash = []
            for m in stashed { process(m) }
            if s.failedLocally && !s.complete {
                // Nothing more will come: the other ranks stopped on this rank's failure.
                s.complete = true
                share.inputsComplete()
            }
            completeIfAllReceived(s)
        case .send(_, _, let bytes, let tail, let destinations):
            // The head (its header already holding the tail's length) goes out from the bytes the
            // worker encoded, one buffer for every destination; the tail from the value's storage.
            let pieces = bytes.count <= MPIWorld.maxMessageBytes ? [SendBuffer(bytes)] : split(bytes).map(SendBuffer.init)
            for r in destinations {
                for p in pieces { post(p, bytes: p.bytes, to: Int(r), tag: Self.tag) }
                if let tail { sendTail(tail, to: Int(r)) }
            }
        case .localFailure(let s, let failure):
            var w = BlockWriter()
            w.write(failure.key.name)
            w.write(raw: failure.key.index.map(Int64.init))
            w.write(failure.kind)
            w.write("\(failure.underlying)")
            let header = MessageHeader(kind: .abort, compute: s.id, task: 0).bytes
            for r in 0..<size where r != rank { send(header + w.bytes, to: r) }
            s.failedLocally = true
            if !s.complete, let share = s.share {
                s.complete = true
                share.inputsComplete()
            }
        case .finished(let s):
            if current === s { current = nil }
            lastFinished = max(lastFinished, s.id)
            // Stashed values whose tails are still on the wire (a compute that ended before it
            // was ready): drained in arrival order, so no later value takes their bytes.
            for m in s.stash { drainTail(of: m) }
            s.stash = []
        case .finalize(let done):
            finalizing = done
        case .sideMessage(let bytes, let destination):
            for p in split(bytes) { send(p, to: Int(destination)) }
        case .sideHandler(let handler, let channel):
            sideHandlers[channel] = handler
            for m in sideStash.removeValue(forKey: channel) ?? [] { handler(m.source, m.bytes) }
        }
    }

    /// Pieces of at most `maxMessageBytes`: the first keeps the value header (with the body's
    /// total length), the others are `part` messages; nothing is copied when one piece will do.
    private func split(_ bytes: [UInt8]) -> [[UInt8]] {
        let limit = MPIWorld.maxMessageBytes
        guard bytes.count > limit, var header = bytes.withUnsafeBytes({ MessageHeader($0) }) else { return [bytes] }
        let body = bytes[MessageHeader.size...]
        header.total = UInt64(body.count)
        let step = limit - MessageHeader.size
        var pieces: [[UInt8]] = []
        var lo = body.startIndex
        while lo < body.endIndex {
            let hi = min(lo + step, body.endIndex)
            let h = pieces.isEmpty ? header : MessageHeader(kind: .part, compute: header.compute, task: header.task)
            pieces.append(h.bytes + body[lo..<hi])
            lo = hi
        }
        return pieces
    }

    private func checkHandshake(_ s: ComputeSession) {
        guard s.hellos.count == size - 1 else { return }
        for (r, other) in s.hellos.sorted(by: { $0.key < $1.key }) where other.tasks != s.plan.count || other.hash != s.hash {
            s.handshake.set(.failure(.plansDiffer(rank: rank, tasks: s.plan.count, hash: s.hash,
                                                  otherRank: r, otherTasks: other.tasks, otherHash: other.hash)))
            return
        }
        s.handshake.set(.success(()))
    }

    private func completeIfAllReceived(_ s: ComputeSession) {
        if !s.complete, let share = s.share, s.received == s.expected {
            s.complete = true
            share.inputsComplete()
        }
    }

    // MARK: receiving

    /// Takes every message waiting, whatever its size.
    private func receive() -> Bool {
        var any = false
        while true {
            var flag: Int32 = 0, source: Int32 = 0, count: Int32 = 0
            var message: MPI_Message?
            check(tessera_mpi_improbe(Self.tag, &flag, &message, &source, &count), "MPI_Improbe")
            guard flag != 0 else { return any }
            any = true
            let n = Int(count)
            traffic.add(received: n)
            let bytes = [UInt8](unsafeUninitializedCapacity: max(n, 1)) { buffer, initialized in
                check(tessera_mpi_mrecv(buffer.baseAddress, count, &message), "MPI_Mrecv")
                initialized = n
            }
            arrived(source: Int(source), bytes)
        }
    }

    /// Reassembles split values, then processes whole messages.
    private func arrived(source: Int, _ bytes: [UInt8]) {
        guard let header = bytes.withUnsafeBytes({ MessageHeader($0) }) else { return }
        if header.kind == .part {
            guard var p = partial.removeValue(forKey: source) else { return }
            p.bytes.append(contentsOf: bytes[MessageHeader.size...])
            if p.bytes.count - MessageHeader.size < Int(p.header.total) {
                partial[source] = p
            } else {
                process(Incoming(source: source, header: p.header, bytes: p.bytes))
            }
            return
        }
        if header.kind == .value || header.kind == .side, header.total > 0 && Int(header.total) > bytes.count - MessageHeader.size {
            var start = bytes
            start.reserveCapacity(MessageHeader.size + Int(header.total))
            partial[source] = (header, start)
            return
        }
        process(Incoming(source: source, header: header, bytes: bytes))
    }

    /// Routes a whole message to its compute: now, later (a compute this rank hasn't reached),
    /// or nowhere (a compute already over, such as one another rank aborted).
    private func process(_ incoming: Incoming) {
        var m = incoming
        if m.header.kind == .value && m.header.extra > 0 {
            // For the compute running here, the tail stays on the wire until the value is decoded,
            // then goes straight into the value's storage: now, or once the compute is ready (its
            // stash is processed first, in arrival order, and nothing from that rank is decoded
            // before it, so the tails on the wire come in the stash's order). For another compute
            // (one over, such as one another rank aborted) it is taken off the wire at once.
            if let s = current, s.id == m.header.compute, !s.complete {} else { m = withTail(m) }
        }
        if m.header.kind == .side {
            let body = Array(m.bytes[MessageHeader.size...])
            let channel = m.header.task
            if let handler = sideHandlers[channel] { handler(m.source, body) } else { sideStash[channel, default: []].append((m.source, body)) }
            return
        }
        guard let s = current, m.header.compute == s.id else {
            if m.header.compute > max(current?.id ?? 0, lastFinished) { future[m.header.compute, default: []].append(m) }
            return
        }
        switch m.header.kind {
        case .hello:
            s.hellos[m.source] = (Int(m.header.task), m.header.extra)
            checkHandshake(s)
        case .value:
            guard let share = s.share else { s.stash.append(m); return }
            guard !s.complete else { drainTail(of: m); return }
            let task = Int(m.header.task)
            let tail = m.header.extra > 0 ? tailSource(count: Int(m.header.extra), from: m.source) : nil
            // A decoder that stopped before the tail leaves it on the wire: drain it so it can't
            // be taken for the next value's.
            defer { if let tail, !tail.taken { drainTail(tail) } }
            do {
                let value = try m.bytes.withUnsafeBytes { raw in
                    let head = UnsafeRawBufferPointer(rebasing: raw[MessageHeader.size...])
                    var r = tail.map { BlockReader(head, tail: $0) } ?? BlockReader(head)
                    return try BlockCodec.decode(from: &r)
                }
                share.deliver(task, value)
                s.received += 1
                completeIfAllReceived(s)
            } catch {
                let failure = TaskFailure(key: s.plan.key(task), kind: s.plan.kind(task), underlying: error, rank: rank)
                share.stop(with: failure)
                handle(.localFailure(s, failure))
            }
        case .abort:
            guard let share = s.share else { s.stash.append(m); return }
            let failure = Self.failure(from: m)
            share.stop(with: failure)
            if !s.complete {
                s.complete = true
                share.inputsComplete()
            }
        case .part, .side:
            break
        }
    }

    /// Where a value's tail comes from: messages on the tail tag from `source`, received straight
    /// into the buffer the decoder hands over (warm memory from `receiveBuffers` when the decoded
    /// value can adopt it), in pieces of at most `maxMessageBytes`.
    private func tailSource(count: Int, from source: Int) -> BlockTailSource {
        let pool = receiveBuffers
        return BlockTailSource(count: count, lend: { pool.buffer(count: $0) }) { [self] buffer in
            receiveTail(into: buffer, from: source)
        }
    }

    private func receiveTail(into buffer: UnsafeMutableRawBufferPointer, from source: Int) {
        let limit = MPIWorld.maxMessageBytes
        var lo = 0
        while lo < buffer.count {
            let n = min(limit, buffer.count - lo)
            check(tessera_mpi_recv(buffer.baseAddress! + lo, Int32(n), Int32(source), Self.tailTag), "MPI_Recv")
            lo += n
        }
        traffic.add(received: buffer.count)
    }

    /// Takes a value's tail off the wire unread when the value will not be decoded.
    private func drainTail(of m: Incoming) {
        guard m.header.kind == .value && m.header.extra > 0 else { return }
        drainTail(tailSource(count: Int(m.header.extra), from: m.source))
    }

    private func drainTail(_ tail: BlockTailSource) {
        if let warm = receiveBuffers.buffer(count: tail.count) {
            try? tail.take(into: warm.bytes)
            return
        }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: tail.count, alignment: 8)
        defer { scratch.deallocate() }
        try? tail.take(into: scratch)
    }

    /// The message with its tail received into its bytes, after the head (whose length keeps the
    /// tail's 8-byte alignment), as if it had come whole.
    private func withTail(_ m: Incoming) -> Incoming {
        let n = Int(m.header.extra)
        var bytes = m.bytes
        let head = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: n))
        bytes.withUnsafeMutableBytes { receiveTail(into: UnsafeMutableRawBufferPointer(rebasing: $0[head...]), from: m.source) }
        var header = m.header
        header.extra = 0
        return Incoming(source: m.source, header: header, bytes: bytes)
    }

    private static func failure(from m: Incoming) -> TaskFailure {
        m.bytes.withUnsafeBytes { raw in
            var r = BlockReader(UnsafeRawBufferPointer(rebasing: raw[MessageHeader.size...]))
            let name = (try? r.read(String.self)) ?? "?"
            let index = ((try? r.read(raw: Int64.self)) ?? []).map { Int($0) }
            let kind = (try? r.read(String.self)) ?? "?"
            let message = (try? r.read(String.self)) ?? "?"
            return TaskFailure(key: Key(name, index), kind: kind, underlying: RemoteTaskError(message: message), rank: m.source)
        }
    }

    // MARK: sending

    private func send(_ bytes: [UInt8], to destination: Int) {
        let buffer = SendBuffer(bytes)
        post(buffer, bytes: buffer.bytes, to: destination, tag: Self.tag)
    }

    /// Sends a value's tail from its owner's storage, in pieces of at most `maxMessageBytes`.
    private func sendTail(_ tail: BlockRawTail, to destination: Int) {
        let limit = MPIWorld.maxMessageBytes
        var lo = 0
        while lo < tail.bytes.count {
            let hi = min(lo + limit, tail.bytes.count)
            post(tail, bytes: UnsafeRawBufferPointer(rebasing: tail.bytes[lo..<hi]), to: destination, tag: Self.tailTag)
            lo = hi
        }
    }

    /// Starts a send of `bytes`, which `owner` keeps alive and unmoved until it completes.
    private func post(_ owner: AnyObject, bytes: UnsafeRawBufferPointer, to destination: Int, tag: Int32) {
        traffic.add(sent: bytes.count)
        var request: MPI_Request?
        check(tessera_mpi_isend(bytes.baseAddress, Int32(bytes.count), Int32(destination), tag, &request), "MPI_Isend")
        requests.append(request)
        buffers.append(owner)
    }

    /// Frees the buffers of completed sends.
    private func testSends() -> Bool {
        guard !requests.isEmpty else { return false }
        var done: Int32 = 0
        // Called on every round while a send is in flight: the index array is kept, not remade.
        if completedIndices.count < requests.count { completedIndices = [Int32](repeating: 0, count: 2 * requests.count) }
        check(tessera_mpi_testsome(Int32(requests.count), &requests, &done, &completedIndices), "MPI_Testsome")
        guard done > 0 && done != MPI_UNDEFINED else { return false }
        let finished = Set(completedIndices.prefix(Int(done)).map { Int($0) })
        var keptRequests: [MPI_Request?] = []
        var keptBuffers: [AnyObject] = []
        for k in requests.indices where !finished.contains(k) {
            keptRequests.append(requests[k])
            keptBuffers.append(buffers[k])
        }
        requests = keptRequests
        buffers = keptBuffers
        return true
    }

    /// Waits, still taking messages, until every rank reached finalize; then ends MPI.
    private func finish(_ done: NSCondition) {
        var barrier: MPI_Request?
        check(tessera_mpi_ibarrier(&barrier), "MPI_Ibarrier")
        var flag: Int32 = 0
        while flag == 0 {
            _ = receive()
            check(tessera_mpi_test(&barrier, &flag), "MPI_Test")
            if flag == 0 { usleep(100) }
        }
        check(tessera_mpi_finalize(), "MPI_Finalize")
        done.lock()
        hasFinalized = true
        done.broadcast()
        done.unlock()
    }

    private func check(_ rc: Int32, _ call: String) {
        guard rc == MPI_SUCCESS else {
            FileHandle.standardError.write(Data("tessera: rank \(rank): \(MPIError.call(call, code: rc))\n".utf8))
            MPIWorld.abortJob(code: 1)
        }
    }
}

/// The bytes of one send, kept alive and unmoved until MPI reports the send complete: the
/// array itself is held, not copied (a native array's storage does not move while it is
/// neither mutated nor released).
final class SendBuffer {
    private let storage: [UInt8]
    let bytes: UnsafeRawBufferPointer
    init(_ storage: [UInt8]) {
        self.storage = storage
        bytes = storage.withUnsafeBytes { $0 }
    }
}
