import Foundation

/// `field` quoted for CSV when it holds a delimiter, quote, CR or LF (RFC 4180), as is otherwise.
public func csvQuote(_ field: String, delimiter: Character = ",", quote: Character = "\"") -> String {
    guard field.contains(where: { $0 == delimiter || $0 == quote || $0 == "\n" || $0 == "\r" }) else { return field }
    let q = String(quote)
    return q + field.replacingOccurrences(of: q, with: q + q) + q
}
