#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Releases a graph's layers one after another instead of one inside another.
///
/// A layer holds the layers its tasks consume (through its spec's inputs or the closure that
/// makes its tasks), so dropping the last reference to the end of a long chain — 100,000
/// `x = inc(x)` — ran each layer's deinit inside the one before it and overflowed the stack.
/// Layer deinits count how deeply they are nested on their thread; past `maximumDepth` one
/// hands what it holds to the thread's pending list instead of releasing it, and the outermost
/// deinit releases that list item by item. Shallow graphs (trees, short chains) never use the
/// list, which would cost a few hundred instructions per layer.
final class LayerTeardown {
    /// How many layer deinits deep a chain may end in place: a few hundred bytes of stack each.
    static let maximumDepth = 128
    /// Layer deinits now running on this thread, one inside another.
    var depth = 0
    /// Inputs of specs whose layers have gone, not yet released.
    private var inputs: [[TaskRef]] = []
    /// Task-making closures of layers that have gone, not yet released.
    private var makers: [@Sendable (Layer, Int) -> TaskSpec] = []
    /// Whether a deinit further up this thread's stack is releasing the lists.
    private var draining = false

    /// Keeps what a layer's deinit would release (its spec's inputs, its task maker) until `drain()`.
    func hold(inputs: [TaskRef]?, maker: (@Sendable (Layer, Int) -> TaskSpec)?) {
        if let inputs, !inputs.isEmpty { self.inputs.append(inputs) }
        if let maker { makers.append(maker) }
    }

    /// Releases everything held, item by item, unless a deinit further up this thread's stack
    /// is already doing so (it will reach what was just added). Called by outermost deinits.
    /// - Complexity: O(1) amortised per layer; the outermost call releases the whole chain.
    func drain() {
        guard !draining, !(inputs.isEmpty && makers.isEmpty) else { return }
        draining = true
        // Each item dropped here may end more layers, whose deinits add to the lists and return
        // at once instead of recursing.
        while true {
            if !inputs.isEmpty {
                _ = inputs.removeLast()
            } else if !makers.isEmpty {
                _ = makers.removeLast()
            } else {
                break
            }
        }
        draining = false
    }

    /// This thread's instance, made on first use and released when the thread ends.
    static var current: LayerTeardown {
        if let p = pthread_getspecific(key) { return Unmanaged<LayerTeardown>.fromOpaque(p).takeUnretainedValue() }
        let made = LayerTeardown()
        pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            #if canImport(Glibc)
            guard let p else { return }
            #endif
            Unmanaged<LayerTeardown>.fromOpaque(p).release()
        }
        return k
    }()
}
