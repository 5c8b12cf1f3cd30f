// Evaluating expressions on one partition: one vectorised loop per operator over typed buffers.

#if canImport(Glibc)
import Glibc
#endif

/// An evaluated operand: a whole column, or a constant not yet broadcast.
enum Operand {
    case column(Column)
    case scalar(Value)
}

extension Expr {
    /// Evaluates the expression on one partition.
    /// - Throws: `FrameError.unknownColumn` (listing the columns there are), `.typeMismatch`.
    /// - Complexity: O(rows) per operator.
    public func evaluate(on table: Table) throws -> Column {
        switch try operand(table) {
        case .column(let c): return c
        case .scalar(let v): return broadcast(v, table.rowCount)
        }
    }

    /// Evaluates a predicate to a row mask: set where the result is true (missing counts as false).
    public func mask(on table: Table) throws -> Bitmap {
        let c = try evaluate(on: table)
        guard case .bool(let b) = c.values else {
            throw FrameError.typeMismatch(column: description, expected: "bool (a predicate)", found: c.type)
        }
        // Pack 64 rows per word; missing counts as false.
        var words = [UInt64](repeating: 0, count: (c.count + 63) >> 6)
        for i in 0..<c.count where b[i] { words[i >> 6] |= 1 << UInt64(i & 63) }
        if let v = c.validity { for w in words.indices { words[w] &= v.words[w] } }
        return Bitmap(words: words, count: c.count)
    }

    func operand(_ t: Table) throws -> Operand {
        switch self {
        case .column(let n): return .column(try t.column(n))
        case .literal(let v): return .scalar(v)
        case .arithmetic(let op, let a, let b): return .column(try evalArithmetic(op, a.operand(t), b.operand(t), t.rowCount, (a, b, self)))
        case .comparison(let op, let a, let b): return .column(try evalCompare(op, a.operand(t), b.operand(t), t.rowCount, (a, b, self)))
        case .and(let a, let b): return .column(try evalLogical(a.operand(t), b.operand(t), t.rowCount, isAnd: true))
        case .or(let a, let b): return .column(try evalLogical(a.operand(t), b.operand(t), t.rowCount, isAnd: false))
        case .not(let a):
            let c = try boolValues(a.operand(t), t.rowCount)
            return .column(Column(values: .bool(c.map { !$0 })))
        case .isMissing(let a):
            switch try a.operand(t) {
            case .scalar(let v): return .scalar(.bool(v.isMissing))
            case .column(let c):
                let v = c.validity
                return .column(Column(values: .bool((0..<c.count).map { !(v?[$0] ?? true) })))
            }
        }
    }
}

/// A column of `n` copies of `v`.
func broadcast(_ v: Value, _ n: Int) -> Column {
    switch v {
    case .missing: return Column(missing: .float64, count: n)
    case .bool(let b): return Column(values: .bool(.init(repeating: b, count: n)))
    case .int64(let x): return Column(values: .int64(.init(repeating: x, count: n)))
    case .float64(let x): return Column(values: .float64(.init(repeating: x, count: n)))
    case .timestamp(let x): return Column(values: .timestamp(.init(repeating: x, count: n)))
    case .string(let s): return Column(values: .string(.dictionary(codes: .init(repeating: 0, count: n), dictionary: StringBuffer([s]))))
    }
}

/// The AND of two optional validity bitmaps.
func andValidity(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
    guard let a else { return b }
    guard let b else { return a }
    return Bitmap(words: zip(a.words, b.words).map { $0 & $1 }, count: a.count)
}

private enum Numbers {
    case ints([Int64], Bitmap?)
    case doubles([Double], Bitmap?)
    case int(Int64)
    case double(Double)
    case missing

    var isInt: Bool {
        switch self {
        case .ints, .int: return true
        default: return false
        }
    }
    var validity: Bitmap? {
        switch self {
        case .ints(_, let v), .doubles(_, let v): return v
        default: return nil
        }
    }
    func double(_ i: Int) -> Double {
        switch self {
        case .ints(let a, _): return Double(a[i])
        case .doubles(let a, _): return a[i]
        case .int(let x): return Double(x)
        case .double(let x): return x
        case .missing: return .nan
        }
    }
    /// The values as an array of `n` (a constant broadcast).
    func ints(_ n: Int) -> [Int64] {
        switch self {
        case .ints(let a, _): return a
        case .int(let x): return .init(repeating: x, count: n)
        default: return .init(repeating: 0, count: n)
        }
    }
    func doubles(_ n: Int) -> [Double] {
        switch self {
        case .ints(let a, _): return a.map { Double($0) }
        case .doubles(let a, _): return a
        case .int(let x): return .init(repeating: Double(x), count: n)
        case .double(let x): return .init(repeating: x, count: n)
        case .missing: return .init(repeating: .nan, count: n)
        }
    }
    func int(_ i: Int) -> Int64 {
        switch self {
        case .ints(let a, _): return a[i]
        case .int(let x): return x
        default: return 0
        }
    }
}

/// The operands' expressions and the whole node, so a type error names the column and the
/// constant involved: `column 'Carrier' is string, expected a number for (df["Carrier"] > 60)`.
private typealias Operands = (left: Expr, right: Expr, node: Expr)

/// What an operand is called in an error: a column's name, else the expression.
private func label(_ e: Expr) -> String {
    if case .column(let n) = e { return n }
    return e.description
}

private func numbers(_ o: Operand, _ what: Expr, _ node: Expr) throws -> Numbers {
    switch o {
    case .scalar(.int64(let x)): return .int(x)
    case .scalar(.float64(let x)): return .double(x)
    case .scalar(.bool(let b)): return .int(b ? 1 : 0)
    case .scalar(.missing): return .missing
    case .scalar(let v): throw FrameError.invalidArgument("the constant \(what) is \(v.dataType.map { "\($0)" } ?? "text"), expected a number for \(node)")
    case .column(let c):
        switch c.values {
        case .int64(let a): return .ints(a, c.validity)
        case .float64(let a): return .doubles(a, c.validity)
        case .bool(let a): return .ints(a.map { $0 ? 1 : 0 }, c.validity)
        default: throw FrameError.typeMismatch(column: label(what), expected: "a number for \(node)", found: c.type)
        }
    }
}

private func evalArithmetic(_ op: Expr.ArithmeticOperator, _ a: Operand, _ b: Operand, _ n: Int, _ e: Operands) throws -> Column {
    if op == .add, isText(a) || isText(b), isText(a) || isAllMissing(a), isText(b) || isAllMissing(b) {
        return concatenateText(a, b, n)
    }
    let x = try numbers(a, e.left, e.node), y = try numbers(b, e.right, e.node)
    if case .missing = x { return Column(missing: .float64, count: n) }
    if case .missing = y { return Column(missing: .float64, count: n) }
    let validity = andValidity(x.validity, y.validity)
    // Operands become plain arrays first, so each loop is a tight (vectorisable) pass.
    if x.isInt && y.isInt && op != .divide {
        let a = x.ints(n), b = y.ints(n)
        var out = [Int64](repeating: 0, count: n)
        switch op {
        case .add: for i in 0..<n { out[i] = a[i] &+ b[i] }
        case .subtract: for i in 0..<n { out[i] = a[i] &- b[i] }
        default: for i in 0..<n { out[i] = a[i] &* b[i] }
        }
        return Column(values: .int64(out), validity: validity)
    }
    let a = x.doubles(n), b = y.doubles(n)
    var out = [Double](repeating: 0, count: n)
    switch op {
    case .add: for i in 0..<n { out[i] = a[i] + b[i] }
    case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
    case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
    case .divide: for i in 0..<n { out[i] = a[i] / b[i] }
    }
    return Column(values: .float64(out), validity: validity).nanAsMissing()
}

/// Whether an operand is a column with no value (then its type says nothing).
private func isAllMissing(_ o: Operand) -> Bool {
    if case .column(let c) = o { return c.nullCount == c.count }
    return false
}

/// Whether an operand holds text (a string column or constant).
private func isText(_ o: Operand) -> Bool {
    switch o {
    case .scalar(.string): return true
    case .column(let c): return c.type == .string
    default: return false
    }
}

/// `a + b` on text, as pandas: the bytes one after the other; missing where either is missing
/// (an operand that is a column with no value counts as missing text).
private func concatenateText(_ a: Operand, _ b: Operand, _ n: Int) -> Column {
    if isAllMissing(a) || isAllMissing(b) { return Column(missing: .string, count: n) }
    let (sa, va) = strings(a), (sb, vb) = strings(b)
    let validity = andValidity(va, vb)
    var out = StringBuffer()
    for i in 0..<n {
        var row: [UInt8] = []
        if validity?[i] ?? true {
            _ = sa(i) { row.append(contentsOf: $0); return true }
            _ = sb(i) { row.append(contentsOf: $0); return true }
        }
        row.withUnsafeBufferPointer { out.append(bytes: $0) }
    }
    return Column(values: .string(.plain(out)), validity: validity)
}


@inline(__always)
private func test<T: Comparable>(_ op: Expr.ComparisonOperator, _ a: T, _ b: T) -> Bool {
    switch op {
    case .lt: return a < b
    case .le: return a <= b
    case .gt: return a > b
    case .ge: return a >= b
    case .eq: return a == b
    case .ne: return a != b
    }
}

/// `out[i] = a[i] op b[i]`, one tight loop per operator.
private func compareArrays<T: Comparable>(_ op: Expr.ComparisonOperator, _ a: [T], _ b: [T], _ out: inout [Bool]) {
    let n = out.count
    switch op {
    case .lt: for i in 0..<n { out[i] = a[i] < b[i] }
    case .le: for i in 0..<n { out[i] = a[i] <= b[i] }
    case .gt: for i in 0..<n { out[i] = a[i] > b[i] }
    case .ge: for i in 0..<n { out[i] = a[i] >= b[i] }
    case .eq: for i in 0..<n { out[i] = a[i] == b[i] }
    case .ne: for i in 0..<n { out[i] = a[i] != b[i] }
    }
}

private func evalCompare(_ op: Expr.ComparisonOperator, _ a: Operand, _ b: Operand, _ n: Int, _ e: Operands) throws -> Column {
    var result = [Bool](repeating: false, count: n)
    var validity: Bitmap? = nil
    func kind(_ o: Operand) -> DataType? {
        switch o {
        case .column(let c): return c.type
        case .scalar(let v): return v.dataType
        }
    }
    // A number column against text: the column's partition was typed from its own values,
    // while the column is text where any partition holds text, so compare its text (the
    // original spelling, "02134", as the unified column holds it) rather than fail.
    func asText(_ o: Operand) -> Operand {
        if case .column(let c) = o, [.int64, .float64, .bool].contains(c.type) { return .column(c.promoted(to: .string)) }
        return o
    }
    var a = a, b = b
    if kind(a) == .string { b = asText(b) }
    if kind(b) == .string { a = asText(a) }
    let ka = kind(a), kb = kind(b)
    // A column with no value in this partition has no type of its own here (its type came from
    // whatever the partition's reader guessed): every row compares as missing.
    if ka == nil || kb == nil || isAllMissing(a) || isAllMissing(b) {
        // Comparing with a missing constant: every row is missing.
        return Column(values: .bool(.init(repeating: op == .ne, count: n)))
    }
    switch (ka!, kb!) {
    case (.string, .string):
        let (sa, va) = strings(a), (sb, vb) = strings(b)
        validity = andValidity(va, vb)
        // Text compares as UTF-8 bytes (code point order, as Python), never as canonical
        // `String`s, which would make the two Unicode forms of a letter equal.
        if case .scalar(.string(let lit)) = b, case .column(let c) = a, case .string(.dictionary(let codes, let dict)) = c.values {
            let perCode = (0..<dict.count).map { k in dict.withBytes(k) { test(op, compareBytes($0, lit), 0) } }
            for i in 0..<n where codes[i] >= 0 { result[i] = perCode[Int(codes[i])] }
        } else if case .scalar(.string(let lit)) = a, case .column(let c) = b, case .string(.dictionary(let codes, let dict)) = c.values {
            let perCode = (0..<dict.count).map { k in dict.withBytes(k) { test(op, 0, compareBytes($0, lit)) } }
            for i in 0..<n where codes[i] >= 0 { result[i] = perCode[Int(codes[i])] }
        } else {
            for i in 0..<n { result[i] = sa(i) { x in sb(i) { y in test(op, compareBytes(x, y), 0) } } }
        }
    case (.timestamp, _), (_, .timestamp):
        let ta = try timestamps(a), tb = try timestamps(b)
        validity = andValidity(ta.1, tb.1)
        for i in 0..<n { result[i] = test(op, ta.0(i), tb.0(i)) }
    case (.bool, .bool):
        let x = try numbers(a, e.left, e.node), y = try numbers(b, e.right, e.node)
        validity = andValidity(x.validity, y.validity)
        for i in 0..<n { result[i] = test(op, x.int(i), y.int(i)) }
    default:
        let x = try numbers(a, e.left, e.node), y = try numbers(b, e.right, e.node)
        validity = andValidity(x.validity, y.validity)
        if x.isInt && y.isInt {
            compareArrays(op, x.ints(n), y.ints(n), &result)
        } else {
            compareArrays(op, x.doubles(n), y.doubles(n), &result)
        }
    }
    if let v = validity {
        for i in 0..<n where !v[i] { result[i] = op == .ne }
    }
    return Column(values: .bool(result))
}

/// Row `i`'s UTF-8 bytes handed to a body, and the validity, of a text operand.
private typealias TextRow = (Int, (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool

private func strings(_ o: Operand) -> (TextRow, Bitmap?) {
    switch o {
    case .scalar(let v):
        let s = Array(v.description.utf8)
        return ({ _, body in s.withUnsafeBufferPointer(body) }, nil)
    case .column(let c):
        guard case .string(let s) = c.values else {
            return ({ i, body in Array(c[i].description.utf8).withUnsafeBufferPointer(body) }, c.validity)
        }
        return ({ i, body in s.withBytes(i, body) }, c.validity)
    }
}

/// -1, 0 or 1 as `a` sorts before, with or after `b` byte by byte.
@inline(__always)
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = Swift.min(a.count, b.count)
    if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
        let r = memcmp(pa, pb, n)
        if r != 0 { return r < 0 ? -1 : 1 }
    }
    return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
}

/// `compareBytes` of a buffer and a string's UTF-8 bytes.
@inline(__always)
func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: String) -> Int {
    var b = b
    return b.withUTF8 { compareBytes(a, $0) }
}

private func timestamps(_ o: Operand) throws -> ((Int) -> Int64, Bitmap?) {
    switch o {
    case .scalar(.timestamp(let t)), .scalar(.int64(let t)): return ({ _ in t }, nil)
    case .scalar(.string(let s)):
        guard let t = parseTimestamp(s) else {
            throw FrameError.invalidArgument("'\(s)' is not an ISO 8601 date or date-time")
        }
        return ({ _ in t }, nil)
    case .column(let c):
        guard case .timestamp(let a) = c.values else {
            throw FrameError.typeMismatch(column: "comparison operand", expected: "timestamp", found: c.type)
        }
        return ({ a[$0] }, c.validity)
    case .scalar(let v): throw FrameError.invalidArgument("cannot compare a timestamp with \(v)")
    }
}

private func boolValues(_ o: Operand, _ n: Int) throws -> [Bool] {
    switch o {
    case .scalar(.bool(let b)): return .init(repeating: b, count: n)
    case .scalar(.missing): return .init(repeating: false, count: n)
    case .scalar(let v): throw FrameError.invalidArgument("expected a predicate, got the constant \(v)")
    case .column(let c):
        guard case .bool(let a) = c.values else {
            throw FrameError.typeMismatch(column: "logical operand", expected: "bool", found: c.type)
        }
        guard let v = c.validity else { return a }
        return (0..<n).map { a[$0] && v[$0] }
    }
}

private func evalLogical(_ a: Operand, _ b: Operand, _ n: Int, isAnd: Bool) throws -> Column {
    let x = try boolValues(a, n), y = try boolValues(b, n)
    var out = [Bool](repeating: false, count: n)
    if isAnd { for i in 0..<n { out[i] = x[i] && y[i] } } else { for i in 0..<n { out[i] = x[i] || y[i] } }
    return Column(values: .bool(out))
}
