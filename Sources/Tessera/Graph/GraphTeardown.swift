#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends the objects of a graph one after another instead of one inside another.
///
/// A layer holds the layers its tasks consume (through its spec's inputs or the closure that
/// makes its tasks), and a Delayed's joint-planning recipe holds its inputs' recipes, so dropping
/// the last reference to the end of a long chain — 100,000 `x = inc(x)` — ran each deinit inside
/// the one before it and overflowed the stack. Their deinits release what refers further down the
/// chain through `release(_:)`, which counts how deeply such deinits are nested on the thread;
/// past `maximumDepth` the fields are handed to the thread's pending list instead, and the
/// outermost deinit releases that list item by item. Shallow graphs (trees, short chains) never
/// use the list.
final class GraphTeardown {
    /// How many deinits deep a chain may end in place: a few hundred bytes of stack each.
    static let maximumDepth = 128
    /// Deinits now releasing through this instance, one inside another.
    private(set) var depth = 0
    /// Fields taken from objects that ended too deep, not yet released.
    private var pending: [Any] = []
    /// Whether an outermost deinit is releasing `pending`.
    private var draining = false

    /// Releases what `take` moves out of the fields of an object being deinitialised: at once
    /// while the chain is shallow, else later, from the outermost deinit on this thread.
    /// - Parameter take: returns the fields' values (which refer to further objects of the graph)
    ///   and sets the fields to nil, so that nothing else holds them once it returns.
    /// - Complexity: O(1) amortised per object; the outermost call may release a whole chain.
    func release<Fields>(_ take: () -> Fields) {
        if depth < Self.maximumDepth {
            depth += 1
            _ = take()
            depth -= 1
        } else {
            pending.append(take())
        }
        if depth == 0 { drain() }
    }

    /// Releases everything pending, item by item, unless a deinit further up this thread's stack
    /// is already doing so (it will reach what was just added).
    func drain() {
        guard !draining, !pending.isEmpty else { return }
        draining = true
        // Each item dropped here may end more objects, whose deinits add to the list and return
        // at once instead of recursing.
        while !pending.isEmpty { _ = pending.removeLast() }
        draining = false
    }

    /// This thread's instance, made on first use and released when the thread ends.
    static var current: GraphTeardown {
        if let p = pthread_getspecific(key) { return Unmanaged<GraphTeardown>.fromOpaque(p).takeUnretainedValue() }
        let made = GraphTeardown()
        pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
        return made
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            #if canImport(Glibc)
            guard let p else { return }
            #endif
            Unmanaged<GraphTeardown>.fromOpaque(p).release()
        }
        return k
    }()
}
