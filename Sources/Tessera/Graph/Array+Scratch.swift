extension Array {
    /// Empties a short scratch array the executors reuse from task to task, keeping its storage.
    ///
    /// `removeAll(keepingCapacity: true)` goes through `replaceSubrange`, about a hundred
    /// instructions even for an empty array; the few elements of a task's inputs or a fused chain
    /// are cheaper to pop.
    @inline(__always)
    mutating func removeAllKeepingStorage() {
        while !isEmpty { removeLast() }
    }
}
