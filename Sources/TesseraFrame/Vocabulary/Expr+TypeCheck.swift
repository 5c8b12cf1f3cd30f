// Type errors the schema can already see, reported when a frame is built rather than when it is
// computed (asking for a CSV frame's types then parses its sample, once). Only text is certain
// in a lazy frame's schema (types are provisional, but promotion never leads away from text), so
// only text used as a number is caught here.

extension ChunkedFrame {
    /// Checks that `expression` uses no text column as a number, as far as the schema knows.
    /// - Parameter expression: the expression to check.
    /// - Throws: `FrameError.typeMismatch` naming the column and the part of the expression.
    func typeCheck(_ expression: Expr) throws {
        func isText(_ e: Expr) -> Bool {
            switch e {
            case .column(let n): return schema[n]?.type == .string
            case .literal(.string): return true
            default: return false
            }
        }
        func isNumber(_ e: Expr) -> Bool {
            switch e {
            case .literal(.int64), .literal(.float64), .arithmetic: return true
            case .column(let n): return schema[n]?.type.isNumeric ?? false
            default: return false
            }
        }
        func textColumn(_ e: Expr) -> String? {
            if case .column(let n) = e, schema[n]?.type == .string { return n }
            return nil
        }
        switch expression {
        case .column, .literal: return
        case .arithmetic(let op, let a, let b):
            try typeCheck(a); try typeCheck(b)
            // `+` of two texts concatenates; anything else wants numbers.
            if op == .add, isText(a) || isText(b), !(isNumber(a) || isNumber(b)) { return }
            if let n = textColumn(a) ?? textColumn(b) {
                throw FrameError.typeMismatch(column: n, expected: "a number for \(expression)", found: .string)
            }
        case .comparison(_, let a, let b):
            try typeCheck(a); try typeCheck(b)
            // A text column against a number constant never compares (a number column against
            // text does: it compares as text, as zip codes need).
            // The constant is looked at first: only then is the column's type needed (a CSV
            // frame's types are resolved by asking, which parses its sample once).
            if case .literal(let v) = b, v.dataType?.isNumeric == true, let n = textColumn(a) {
                throw FrameError.typeMismatch(column: n, expected: "a number for \(expression)", found: .string)
            }
            if case .literal(let v) = a, v.dataType?.isNumeric == true, let n = textColumn(b) {
                throw FrameError.typeMismatch(column: n, expected: "a number for \(expression)", found: .string)
            }
        case .and(let a, let b), .or(let a, let b): try typeCheck(a); try typeCheck(b)
        case .not(let a), .isMissing(let a): try typeCheck(a)
        }
    }
}
