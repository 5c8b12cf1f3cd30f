/// A result delivered once by one thread and awaited by another (the blocking `compute`).
///
/// Unchecked because the guarded value is type-erased task output: it is written once under the
/// lock by the finishing worker and read only after that, by the waiting thread, so the two never
/// touch it at the same time; every value in it came from a `@Sendable` task.
final class OneShot<Value>: @unchecked Sendable {
    private let lock = ConditionLock()
    @exclusivity(unchecked) private var value: Value?

    /// Stores `value` and wakes the waiter. Called once.
    func fulfil(_ value: Value) {
        lock.withLock {
            self.value = value
            lock.broadcast()
        }
    }

    /// Blocks until `fulfil` has run, then returns its value.
    func wait() -> Value {
        lock.withLock {
            while value == nil { lock.wait() }
            return value!
        }
    }
}
