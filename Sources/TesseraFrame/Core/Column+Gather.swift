// Gathering, slicing and concatenating columns: the moves every frame operation is built from.

extension Column {
    /// The rows at `indices`, in that order (indices may repeat). - Complexity: O(indices.count).
    public func take(_ indices: [Int]) -> Column {
        func g<T>(_ a: [T]) -> [T] {
            a.withUnsafeBufferPointer { p in indices.map { p[$0] } }
        }
        let values: Values
        switch self.values {
        case .bool(let a): values = .bool(g(a))
        case .int64(let a): values = .int64(g(a))
        case .float64(let a): values = .float64(g(a))
        case .timestamp(let a): values = .timestamp(g(a))
        case .string(.dictionary(let codes, let d)): values = .string(.dictionary(codes: g(codes), dictionary: d))
        case .string(.plain(let b)): values = .string(.plain(b.gathered(indices)))
        }
        return Column(values: values, validity: validity?.taking(indices)).withOriginalText(originalText?.taking(indices))
    }

    /// The rows at `rows`, in that order, with -1 giving a missing value (the type's placeholder:
    /// 0, NaN, `false`, an empty string, dictionary code -1).
    ///
    /// One pass per buffer: the values are gathered with the -1 rows filled in place, and the
    /// validity is built a word at a time (a join's outer side gathers ten million rows per
    /// column this way; clamping the rows into a copy first and clearing bits one by one through
    /// the bitmap's subscript doubled the work).
    /// - Complexity: O(rows.count) (plus the bytes copied for plain text).
    func take(optional rows: [Int]) -> Column {
        if count == 0 { return Column(missing: type, count: rows.count) }
        guard rows.contains(where: { $0 < 0 }) else { return take(rows) }
        let n = rows.count
        var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
        let present: Int = rows.withUnsafeBufferPointer { r in
            words.withUnsafeMutableBufferPointer { w in
                var set = 0
                if let v = validity {
                    v.words.withUnsafeBufferPointer { vw in
                        for k in 0..<n {
                            let i = r[k]
                            let bit: UInt64 = i >= 0 ? (vw[i >> 6] >> UInt64(i & 63)) & 1 : 0
                            w[k >> 6] |= bit << UInt64(k & 63)
                            set &+= Int(bit)
                        }
                    }
                } else {
                    for k in 0..<n {
                        let bit: UInt64 = r[k] >= 0 ? 1 : 0
                        w[k >> 6] |= bit << UInt64(k & 63)
                        set &+= Int(bit)
                    }
                }
                return set
            }
        }
        func g<T>(_ a: [T], _ placeholder: T) -> [T] {
            a.withUnsafeBufferPointer { p in rows.map { $0 >= 0 ? p[$0] : placeholder } }
        }
        let values: Values
        switch self.values {
        case .bool(let a): values = .bool(g(a, false))
        case .int64(let a): values = .int64(g(a, 0))
        case .float64(let a): values = .float64(g(a, .nan))
        case .timestamp(let a): values = .timestamp(g(a, 0))
        case .string(.dictionary(let codes, let d)): values = .string(.dictionary(codes: g(codes, -1), dictionary: d))
        case .string(.plain(let b)): values = .string(.plain(b.gathered(rows)))
        }
        return Column(values: values, validity: present == n ? nil : Bitmap(words: words, count: n))
    }

    /// Rows `range` (a copy). - Complexity: O(range.count).
    public func slice(_ range: Range<Int>) -> Column {
        let values: Values
        switch self.values {
        case .bool(let a): values = .bool(Array(a[range]))
        case .int64(let a): values = .int64(Array(a[range]))
        case .float64(let a): values = .float64(Array(a[range]))
        case .timestamp(let a): values = .timestamp(Array(a[range]))
        case .string(.dictionary(let codes, let d)): values = .string(.dictionary(codes: Array(codes[range]), dictionary: d))
        case .string(.plain(let b)):
            let base = b.offsets[range.lowerBound]
            let offs = b.offsets[range.lowerBound...range.upperBound].map { $0 - base }
            values = .string(.plain(StringBuffer(offsets: Array(offs), bytes: Array(b.bytes[base..<b.offsets[range.upperBound]]))))
        }
        var validity: Bitmap? = nil
        if let v = self.validity {
            var nv = Bitmap(count: range.count, value: false)
            for i in range where v[i] { nv[i - range.lowerBound] = true }
            validity = nv
        }
        return Column(values: values, validity: validity).withOriginalText(originalText?.slicing(range))
    }

    /// The columns' rows one after another; types unify by promotion (`DataType.unified`), and
    /// dictionary-encoded text stays dictionary-encoded with the dictionaries merged.
    public static func concatenate(_ parts: [Column]) -> Column {
        guard let first = parts.first else { return Column(missing: .float64, count: 0) }
        if parts.count == 1 { return first }
        // A part whose values are all missing has no say in the type (an all-empty column reads
        // as float64, which must not widen an int64 column of the other partitions).
        let typed = parts.filter { $0.count > 0 && $0.nullCount < $0.count }
        let type = typed.isEmpty ? first.type : typed.dropFirst().reduce(typed[0].type) { $0.unified(with: $1.type) }
        let cast = parts.map { c -> Column in
            if c.type == type { return c }
            if c.nullCount == c.count { return Column(missing: type, count: c.count) }
            return c.promoted(to: type)
        }
        let total = cast.reduce(0) { $0 + $1.count }
        var validity: Bitmap? = nil
        if cast.contains(where: { $0.validity != nil }) {
            var v = Bitmap(count: 0, value: false)
            v.reserveCapacity(total)
            for c in cast { v.append(contentsOf: c.validity ?? Bitmap(count: c.count, value: true)) }
            validity = v
        }
        func joined<T>(_ get: (Column) -> [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(total)
            for c in cast { out.append(contentsOf: get(c)) }
            return out
        }
        let values: Values
        switch type {
        case .bool: values = .bool(joined { if case .bool(let a) = $0.values { return a }; return [] })
        case .int64: values = .int64(joined { if case .int64(let a) = $0.values { return a }; return [] })
        case .float64: values = .float64(joined { if case .float64(let a) = $0.values { return a }; return [] })
        case .timestamp: values = .timestamp(joined { if case .timestamp(let a) = $0.values { return a }; return [] })
        case .string:
            let allDict = cast.allSatisfy { $0.isDictionaryEncoded }
            if allDict {
                // Entries are keyed by their bytes (String's == would merge Unicode forms); parts
                // that share one dictionary only concatenate their codes.
                let dicts = cast.map { c -> StringBuffer in
                    if case .string(.dictionary(_, let d)) = c.values { return d }
                    return StringBuffer()
                }
                let union = DictionaryUnion(dicts)
                var codes: [Int32] = []
                codes.reserveCapacity(total)
                for (c, map) in zip(cast, union.maps) {
                    guard case .string(.dictionary(let cc, _)) = c.values else { continue }
                    if map.indices.allSatisfy({ map[$0] == Int32($0) }) {
                        codes.append(contentsOf: cc)
                    } else {
                        map.withUnsafeBufferPointer { m in for x in cc { codes.append(x < 0 ? -1 : m[Int(x)]) } }
                    }
                }
                values = .string(.dictionary(codes: codes, dictionary: union.dictionary))
            } else {
                values = .string(.plain(StringBuffer.concatenated(cast.map { c -> StringBuffer in
                    guard case .string(let s) = c.values else { return StringBuffer() }
                    switch s {
                    case .plain(let p): return p
                    case .dictionary(let cc, let d):
                        // Missing rows (code -1) become empty strings.
                        var b = StringBuffer()
                        for x in cc { if x < 0 { b.append("") } else { b.append(d, Int(x)) } }
                        return b
                    }
                })))
            }
        }
        return Column(values: values, validity: validity)
    }

    /// The column converted to a wider type for unification: bool → int64 (0/1) → float64;
    /// anything → string: the text the values were read from when they came from a file,
    /// else the CSV spelling of each value. Missing stays missing.
    public func promoted(to type: DataType) -> Column {
        if type == self.type { return self }
        switch (values, type) {
        case (.bool(let a), .int64): return Column(values: .int64(a.map { $0 ? 1 : 0 }), validity: validity)
        case (.bool(let a), .float64): return Column(values: .float64(a.map { $0 ? 1 : 0 }), validity: validity)
        case (.int64(let a), .float64): return Column(values: .float64(a.map { Double($0) }), validity: validity)
        case (_, .string):
            // Values parsed from text become that text again, never a rendering of the parsed
            // value ("02134" is not "2134"; "1e5" is not "100000.0").
            if let text = rereadText() { return text }
            var b = StringBuffer()
            for i in 0..<count { b.append(isValid(i) ? self[i].description : "") }
            return Column(values: .string(.plain(b)), validity: validity)
        default:
            // Narrowing is `astype`'s job (it can fail); promotion never narrows.
            return self
        }
    }
}
