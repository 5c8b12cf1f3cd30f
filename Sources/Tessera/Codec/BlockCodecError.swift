/// Why a value could not be turned into bytes, or bytes back into a value.
public enum BlockCodecError: Error, Equatable, CustomStringConvertible {
    /// The value's type is neither `BlockCodable` nor `Codable`; `type` is its Swift name.
    case notEncodable(type: String)
    /// The bytes name a type this program does not know (a different build on another rank).
    case unknownType(String)
    /// The bytes end before a read of `needed` bytes (`remaining` were left).
    case truncated(needed: Int, remaining: Int)
    /// The bytes contradict themselves (a shape that doesn't match the element count, …).
    case malformed(String)

    /// What went wrong, and what to do about it.
    public var description: String {
        switch self {
        case .notEncodable(let t):
            return "a value of type \(t) cannot cross processes: conform it to BlockCodable or Codable"
        case .unknownType(let t):
            return "received a value of unknown type \(t): every rank must run the same program"
        case .truncated(let n, let r): return "value bytes truncated: needed \(n) more, \(r) left"
        case .malformed(let m): return "malformed value bytes: \(m)"
        }
    }
}
