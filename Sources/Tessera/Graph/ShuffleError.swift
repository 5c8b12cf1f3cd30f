/// A shuffle's split returned a different number of pieces than the shuffle has outputs: a bug in
/// the operation that built the shuffle, reported instead of a crash at the piece that is missing.
public struct ShuffleError: Error, CustomStringConvertible {
    /// The shuffle's kind.
    public let kind: String
    /// The input whose split went wrong.
    public let input: Int
    /// The number of outputs (pieces a split must return).
    public let expected: Int
    /// The number of pieces it returned.
    public let got: Int

    /// `shuffle KIND: input I was split into G pieces, not E`.
    public var description: String {
        "shuffle \(kind): input \(input) was split into \(got) pieces, not \(expected)"
    }
}
