import Atomics

/// Rules that libraries running inside tasks register with the engine, applied when the thread
/// pool starts (for example TesseraArray's "BLAS runs one thread per worker": parallelism comes
/// from running many blocks at once, and a BLAS call that spawned its own threads inside each
/// task would oversubscribe the cores).
///
/// The engine itself knows no such library. A rule registered after a pool has started runs at
/// once, on the registering thread, so it holds before any task that needs it is built.
///
/// ```swift
/// PoolSetup.register("my-blas-threads") { mySetThreads(1) }
/// ```
public enum PoolSetup {
    private static let rules = LockedBox<[String: @Sendable () -> Void]>([:])
    private static let poolStarted = ManagedAtomic<Bool>(false)

    /// Registers `rule` under `name`; registering the same name again is a no-op.
    ///
    /// - Parameters:
    ///   - name: identifies the rule, so a library may register it lazily on every use.
    ///   - rule: runs once when the first pool starts, or now if one already has.
    /// - Complexity: O(1) (amortised).
    public static func register(_ name: String, _ rule: @escaping @Sendable () -> Void) {
        let isNew = rules.withLock { rules in
            guard rules[name] == nil else { return false }
            rules[name] = rule
            return true
        }
        if isNew && poolStarted.load(ordering: .acquiring) { rule() }
    }

    /// Called by a pool before its workers start.
    static func poolWillStart() {
        poolStarted.store(true, ordering: .releasing)
        for rule in rules.withLock({ Array($0.values) }) { rule() }
    }
}
