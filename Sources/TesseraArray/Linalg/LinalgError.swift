/// What can go wrong in `Linalg` and the matrix products, with the shapes involved named in the
/// message and, where a rechunk would help, the call that fixes it.
public enum LinalgError: Error, Equatable, CustomStringConvertible {
    /// Operands whose contracted dimensions disagree (`matmul` of (3, 4) and (5, 2)).
    case incompatibleDimensions(operation: String, lhs: [Int], rhs: [Int], reason: String)
    /// An operand with the wrong number of dimensions for the operation.
    case wrongDimensions(operation: String, shape: [Int], expected: String)
    /// A matrix that must be square and isn't.
    case notSquare(operation: String, shape: [Int])
    /// Input that TSQR can't factor as chunked: not tall-and-skinny, or cut along columns.
    case notTallAndSkinny(operation: String, shape: [Int], chunks: [[Int]], suggestion: String)
    /// An exactly singular matrix (a zero pivot at global row `pivot`).
    case singular(operation: String, shape: [Int], pivot: Int)
    /// A matrix whose leading minor of order `minor` is not positive definite.
    case notPositiveDefinite(operation: String, shape: [Int], minor: Int)
    /// A LAPACK routine that reported an error code.
    case lapack(routine: String, info: Int)
    /// An argument outside what the operation accepts.
    case invalidArgument(operation: String, reason: String)

    public var description: String {
        switch self {
        case let .incompatibleDimensions(op, l, r, why):
            return "\(op): shapes \(fmt(l)) and \(fmt(r)) are not aligned: \(why)"
        case let .wrongDimensions(op, s, expected):
            return "\(op): expected \(expected), got an array of shape \(fmt(s))"
        case let .notSquare(op, s):
            return "\(op): the matrix must be square, got shape \(fmt(s))"
        case let .notTallAndSkinny(op, s, c, suggestion):
            return "\(op): needs a tall-and-skinny array chunked along rows only (one block of columns, each block at least as tall as it is wide is best); got shape \(fmt(s)) with chunks \(c). \(suggestion)"
        case let .singular(op, s, p):
            return "\(op): the matrix of shape \(fmt(s)) is singular (zero pivot at row \(p))"
        case let .notPositiveDefinite(op, s, m):
            return "\(op): the matrix of shape \(fmt(s)) is not positive definite (leading minor of order \(m) is not positive)"
        case let .lapack(routine, info):
            return "\(routine) failed with info \(info)"
        case let .invalidArgument(op, why):
            return "\(op): \(why)"
        }
    }
}
