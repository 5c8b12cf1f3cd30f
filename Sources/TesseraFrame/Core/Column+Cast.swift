// Converting a column to another type (`astype`), which, unlike promotion, can fail.

extension Column {
    /// The column converted to `type`: numbers widen or narrow (a float narrows to int64 only
    /// when integral), text parses as the CSV reader would, anything becomes text.
    /// Missing values stay missing.
    /// - Parameters:
    ///   - type: the type to convert to.
    ///   - name: the column's name, for error messages.
    /// - Throws: `FrameError.invalidConversion` naming the column, row and value that don't convert.
    public func cast(to type: DataType, name: String = "") throws -> Column {
        if type == self.type { return self }
        if type == .string { return promoted(to: .string) }
        let n = count
        func fail(_ i: Int) -> FrameError {
            .invalidConversion(column: name, row: i, value: self[i].description, to: type)
        }
        switch (values, type) {
        case (.int64, .float64), (.bool, .int64), (.bool, .float64): return promoted(to: type)
        case (.float64(let a), .int64):
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where isValid(i) {
                guard a[i].rounded() == a[i], abs(a[i]) < 9.223372036854775807e18 else { throw fail(i) }
                out[i] = Int64(a[i])
            }
            return Column(values: .int64(out), validity: validity)
        case (.int64(let a), .bool): return Column(values: .bool(a.map { $0 != 0 }), validity: validity)
        case (.float64(let a), .bool): return Column(values: .bool(a.map { $0 != 0 }), validity: validity)
        case (.int64(let a), .timestamp): return Column(values: .timestamp(a), validity: validity)
        case (.timestamp(let a), .int64): return Column(values: .int64(a), validity: validity)
        case (.timestamp(let a), .float64): return Column(values: .float64(a.map { Double($0) }), validity: validity)
        case (.string(let s), _):
            var out = Column(missing: type, count: 0)
            var ints = [Int64](repeating: 0, count: n), doubles = [Double](repeating: .nan, count: n)
            var bools = [Bool](repeating: false, count: n)
            // The parsers may load 8 bytes at a time: parse from a zero-padded copy.
            var padded: [UInt8] = []
            for i in 0..<n where isValid(i) {
                padded.removeAll(keepingCapacity: true)
                s.withBytes(i) { padded.append(contentsOf: $0) }
                let length = padded.count
                padded.append(contentsOf: repeatElement(0, count: 8))
                let ok: Bool = padded.withUnsafeBufferPointer { b in
                    guard let p = b.baseAddress, length > 0 else { return false }
                    let b = UnsafeBufferPointer(start: p, count: length)
                    switch type {
                    case .int64: if let v = parseInt64(p, b.count) { ints[i] = v; return true }
                    case .float64: if let v = parseDouble(p, b.count) { doubles[i] = v; return true }
                    case .bool: if let v = parseBool(p, b.count) { bools[i] = v; return true }
                    case .timestamp: if let v = parseTimestamp(p, b.count) { ints[i] = v; return true }
                    case .string: return true
                    }
                    return false
                }
                if !ok { throw fail(i) }
            }
            switch type {
            case .int64: out = Column(values: .int64(ints), validity: validity)
            case .float64: out = Column(values: .float64(doubles), validity: validity).nanAsMissing()  // "nan" text
            case .bool: out = Column(values: .bool(bools), validity: validity)
            case .timestamp: out = Column(values: .timestamp(ints), validity: validity)
            case .string: out = self
            }
            return out
        default:
            throw FrameError.invalidArgument("cannot convert column '\(name)' from \(self.type) to \(type)")
        }
    }

    /// The column with missing values replaced by `value` (converted to the column's type; text
    /// makes a column of another type text first, its values keeping their original spelling).
    /// - Throws: `FrameError.invalidConversion` when `value` doesn't fit the column's type.
    public func fillna(_ value: Value, name: String = "") throws -> Column {
        guard let v = validity else { return self }
        if case .string = value, type != .string {
            // Text doesn't fit a number: the column becomes text, as pandas' object column (and
            // as it does when another partition holds text), then fills. A column with no value
            // has no type of its own and simply takes the text.
            if v.nonzeroBitCount == 0 { return broadcast(value, count) }
            return try promoted(to: .string).fillna(value, name: name)
        }
        let filler = try broadcast(value, 1).cast(to: type, name: name)
        switch (values, filler.values) {
        case (.int64(var a), .int64(let f)): for i in 0..<count where !v[i] { a[i] = f[0] }; return Column(values: .int64(a))
        case (.float64(var a), .float64(let f)): for i in 0..<count where !v[i] { a[i] = f[0] }; return Column(values: .float64(a))
        case (.bool(var a), .bool(let f)): for i in 0..<count where !v[i] { a[i] = f[0] }; return Column(values: .bool(a))
        case (.timestamp(var a), .timestamp(let f)): for i in 0..<count where !v[i] { a[i] = f[0] }; return Column(values: .timestamp(a))
        case (.string(let s), _):
            let text = value.description
            if case .dictionary(var codes, var dict) = s {
                let code = Int32(dict.count)
                dict.append(text)
                for i in 0..<count where !v[i] { codes[i] = code }
                return Column(values: .string(.dictionary(codes: codes, dictionary: dict)))
            }
            var b = StringBuffer()
            for i in 0..<count { b.append(v[i] ? s[i] : text) }
            return Column(values: .string(.plain(b)))
        default:
            throw FrameError.invalidArgument("cannot fill column '\(name)' of type \(type) with \(value)")
        }
    }
}
