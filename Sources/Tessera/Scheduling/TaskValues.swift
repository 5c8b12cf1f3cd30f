/// The values of a compute's tasks by plan index, as an executor holds them while it runs.
///
/// Slots hold plain `Any`, a private marker standing for "no value", rather than `Any?`: every
/// store, copy and release of an `Any?` goes through `Optional`'s generic value witnesses (about
/// a hundred instructions each, a tenth of running a 200,000-task Delayed graph), where an `Any`
/// is moved by its own type's witnesses.
///
/// Not thread-safe by itself: the executors' counters order every slot's writes before its reads.
struct TaskValues: ~Copyable {
    private let slots: UnsafeMutablePointer<Any>
    /// Number of slots.
    let count: Int

    /// `count` empty slots.
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: Empty(), count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The value of task `i`; it must have one (the executor computed it and kept it). Checked
    /// in debug builds only: finding an `Any`'s dynamic type is a runtime call, a tenth of what a
    /// worker spends on a small task, and the executors' counters already guarantee it.
    @inline(__always) func value(_ i: Int) -> Any {
        let v = slots[i]
        assert(!(type(of: v) == Empty.self), "task \(i) has no value")
        return v
    }

    /// The value of task `i`, or nil when it has none.
    @inline(__always) func valueIfPresent(_ i: Int) -> Any? {
        let v = slots[i]
        return type(of: v) == Empty.self ? nil : v
    }

    /// Stores task `i`'s value.
    @inline(__always) func store(_ value: consuming Any, at i: Int) { slots[i] = value }

    /// Releases task `i`'s value.
    @inline(__always) func clear(_ i: Int) { slots[i] = Empty() }

    /// What an empty slot holds: a trivial value no task can return.
    private struct Empty {}
}
