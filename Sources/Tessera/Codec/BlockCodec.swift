import Foundation

/// Turns a task's type-erased value into bytes and back: what an executor uses when a value
/// crosses processes.
///
/// The bytes are a small header — a format tag and the value's Swift type, by its mangled name,
/// which every process of an SPMD job resolves to the same type because they run the same
/// program — and the body: the value's own ``BlockCodable`` encoding, or, for a type that is only
/// `Codable` (a user's struct), its binary property list.
///
/// ```swift
/// let bytes = try BlockCodec.encode(42 as Any)
/// let back = try BlockCodec.decode(bytes) as! Int
/// ```
public enum BlockCodec {
    private static let blockTag: UInt8 = 1
    private static let codableTag: UInt8 = 2

    /// Encodes `value`, whatever its static type was.
    /// - Parameter value: a task's value.
    /// - Returns: the header and body bytes.
    /// - Throws: `BlockCodecError.notEncodable` naming the type when it is neither
    ///   `BlockCodable` nor `Codable`, or what the value's own encoding throws.
    /// - Complexity: O(size of the value).
    public static func encode(_ value: Any) throws -> [UInt8] {
        var w = BlockWriter()
        try encode(value, into: &w)
        return w.bytes
    }

    /// Appends the encoding of `value` to `writer` (see `encode(_:)`).
    /// - Parameters:
    ///   - value: a task's value.
    ///   - writer: where the bytes go.
    /// - Throws: as `encode(_:)`.
    public static func encode(_ value: Any, into writer: inout BlockWriter) throws {
        let type = Swift.type(of: value)
        guard let name = _mangledTypeName(type) else {
            throw BlockCodecError.notEncodable(type: String(reflecting: type))
        }
        if let block = value as? any BlockCodable {
            writer.write(blockTag)
            writer.write(name)
            try block.encode(to: &writer)
        } else if let encodable = value as? any Encodable, type is any Decodable.Type {
            writer.write(codableTag)
            writer.write(name)
            writer.write(raw: [UInt8](try encodePropertyList(encodable)))
        } else {
            throw BlockCodecError.notEncodable(type: String(reflecting: type))
        }
    }

    /// Decodes bytes made by `encode(_:)`.
    /// - Parameter bytes: the whole encoding.
    /// - Returns: the value, as `Any`, of the type that was encoded.
    /// - Throws: `BlockCodecError` when the bytes are truncated, malformed or name a type this
    ///   program lacks.
    public static func decode(_ bytes: [UInt8]) throws -> Any {
        try bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw)
            return try decode(from: &r)
        }
    }

    /// Decodes one value at the reader's position (see `decode(_:)`).
    /// - Parameter reader: positioned at an encoding.
    /// - Returns: the value.
    /// - Throws: as `decode(_:)`.
    public static func decode(from reader: inout BlockReader) throws -> Any {
        let tag = try reader.read(UInt8.self)
        let name = try reader.read(String.self)
        guard let type = _typeByName(name) else { throw BlockCodecError.unknownType(name) }
        switch tag {
        case blockTag:
            guard let block = type as? any BlockCodable.Type else { throw BlockCodecError.unknownType(name) }
            return try block.decode(from: &reader)
        case codableTag:
            guard let decodable = type as? any Decodable.Type else { throw BlockCodecError.unknownType(name) }
            let data = Data(try reader.read(raw: UInt8.self))
            return try decodePropertyList(decodable, data)
        default:
            throw BlockCodecError.malformed("unknown value tag \(tag)")
        }
    }

    private static func encodePropertyList<T: Encodable>(_ value: T) throws -> Data {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        return try encoder.encode(Boxed(value: value))
    }

    private static func decodePropertyList<T: Decodable>(_: T.Type, _ data: Data) throws -> T {
        try PropertyListDecoder().decode(Unboxed<T>.self, from: data).value
    }

    /// A keyed container around the value: a property list wants a dictionary at the top.
    private struct Boxed<T: Encodable>: Encodable { let value: T }
    /// The decoding side of `Boxed`.
    private struct Unboxed<T: Decodable>: Decodable { let value: T }
}
