// Column lookup by name in O(1): a frame with 100,000 columns looks each one up inside loops over
// its columns (reading, inferring, describing), and a linear search made those loops quadratic.

/// Positions of names in an ordered list of unique names, for `Table` and `Schema`. Lists of up to
/// `linearLimit` names are searched directly (no dictionary to build for the usual few columns).
struct NameIndex: Sendable {
    static let linearLimit = 32
    private let positions: [String: Int]?

    /// The index of `names`; when a name repeats, its first position.
    /// - Complexity: O(names).
    init(_ names: [String]) {
        guard names.count > NameIndex.linearLimit else { positions = nil; return }
        var d = [String: Int](minimumCapacity: names.count)
        for (i, n) in names.enumerated() where d[n] == nil { d[n] = i }
        positions = d
    }

    /// The position of `name` in `names` (the list this index was built from), if any.
    /// - Complexity: O(1) on average.
    @inline(__always)
    func position(of name: String, in names: [String]) -> Int? {
        guard let positions else { return names.firstIndex(of: name) }
        return positions[name]
    }
}
