/// Memory a transport received a value's tail into, which the decoded value adopts as its own
/// storage (see `BlockReader.readRawBuffer(_:)`); freed with the value, it goes back to the
/// transport's pool of warm buffers instead of to the system.
///
/// Why: a large fresh allocation is fresh pages, which the kernel faults in and zeroes one by one
/// inside the socket copy; a receive into a buffer used before costs only the copy itself.
public final class BlockBuffer: @unchecked Sendable {
    // Immutable after init; the memory is written once (by the transport) before the buffer is
    // handed to a decoder, then only by the value that adopted it.
    /// The bytes, valid while this object lives.
    public let bytes: UnsafeMutableRawBufferPointer
    private let recycle: @Sendable (UnsafeMutableRawBufferPointer) -> Void

    /// A buffer over `bytes`, handed to `recycle` when the last owner lets go.
    /// - Parameters:
    ///   - bytes: memory the caller owns and does not touch again until `recycle` gets it back.
    ///   - recycle: takes the memory back (to pool it or free it); runs on whichever thread frees
    ///     the buffer.
    public init(bytes: UnsafeMutableRawBufferPointer, recycle: @escaping @Sendable (UnsafeMutableRawBufferPointer) -> Void) {
        self.bytes = bytes
        self.recycle = recycle
    }

    deinit { recycle(bytes) }
}
