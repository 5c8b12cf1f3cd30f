// pandas' query strings: `df.query("DepDelay > 60 and Origin in ['JFK', 'LGA']")` parses to the
// same `Expr` the operators build, so a query filters exactly as `filter` does.
//
// Grammar (lowest precedence first), as pandas reads it (`&`/`|` are `and`/`or`):
//   or      := and (('or' | '|') and)*
//   and     := not (('and' | '&') not)*
//   not     := 'not' not | compare
//   compare := sum (op sum)* | sum ['not'] 'in' list      (a < b < c means a < b and b < c;
//                                                          `== [..]` is `in`, `!= [..]` is `not in`)
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('-' | '+' | '~') unary | atom
//   atom    := number | 'string' | "string" | True | False | name | `any name` | '(' or ')'

extension Expr {
    /// Parses a pandas query string into an expression.
    ///
    /// ```swift
    /// let e = try Expr(query: "DepDelay > 60 and Origin in ['JFK', 'LGA']")
    /// ```
    /// Comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, chained), `and`/`or`/`not` (and `&`, `|`,
    /// `~`), arithmetic (`+ - * /`, unary minus), parentheses, `in`/`not in` lists (and `==`/`!=`
    /// with a list), numbers, quoted strings, `True`/`False`, names, and names in backquotes for
    /// columns with spaces (a backquote, then air time, then a backquote).
    /// - Parameter query: the text to parse.
    /// - Throws: `FrameError.invalidArgument` naming the position and what was found there.
    /// - Complexity: O(length of the text).
    public init(query: String) throws {
        var parser = QueryParser(text: query)
        self = try parser.parseAll()
    }
}

extension ChunkedFrame {
    /// The rows where the pandas query string is true: `df.query("DepDelay > 60")`; see
    /// `Expr(query:)` for the grammar.
    ///
    /// ```swift
    /// let late = try df.query("dep_delay > 60 and origin in ['JFK', 'LGA']").compute()
    /// ```
    /// - Parameter expression: the query.
    /// - Throws: `FrameError.invalidArgument` for text that doesn't parse, `.unknownColumn` for a
    ///   name that isn't a column, `.typeMismatch` for a comparison of a text column with a
    ///   number (the schema knows); other errors when computing, as `filter`.
    /// - Complexity: as `filter`.
    public func query(_ expression: String) throws -> ChunkedFrame {
        let predicate = try Expr(query: expression)
        try check(predicate.columns)
        try typeCheck(predicate)
        return try filter(predicate)
    }
}

/// A recursive-descent parser over the query's characters.
struct QueryParser {
    private let chars: [Character]
    private let text: String
    private var at = 0

    init(text: String) {
        self.text = text
        self.chars = Array(text)
    }

    mutating func parseAll() throws -> Expr {
        let e = try parseOr()
        skipSpaces()
        guard at == chars.count else { throw error("unexpected '\(chars[at])'") }
        return e
    }

    private func error(_ message: String) -> FrameError {
        .invalidArgument("query \"\(text)\": \(message) at position \(at)")
    }

    // MARK: Tokens

    private mutating func skipSpaces() {
        while at < chars.count, chars[at].isWhitespace { at += 1 }
    }

    /// Consumes `symbol` (after spaces) when it comes next; a word must not run on into a name.
    private mutating func take(_ symbol: String) -> Bool {
        skipSpaces()
        let s = Array(symbol)
        guard at + s.count <= chars.count, Array(chars[at..<at + s.count]) == s else { return false }
        if s.last!.isLetter, at + s.count < chars.count, isNameCharacter(chars[at + s.count]) { return false }
        // `<` must not take the first half of `<=`, nor `=` of `==`.
        if ["<", ">", "=", "!"].contains(symbol), at + 1 < chars.count, chars[at + 1] == "=" { return false }
        at += s.count
        return true
    }

    private func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    // MARK: Grammar

    private mutating func parseOr() throws -> Expr {
        var e = try parseAnd()
        while take("or") || take("|") { e = .or(e, try parseAnd()) }
        return e
    }

    private mutating func parseAnd() throws -> Expr {
        var e = try parseNot()
        while take("and") || take("&") { e = .and(e, try parseNot()) }
        return e
    }

    private mutating func parseNot() throws -> Expr {
        if take("not") { return .not(try parseNot()) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expr {
        let first = try parseSum()
        var result: Expr? = nil
        var left = first
        while true {
            let start = at
            if take("not") {
                guard take("in") else { at = start; break }
                let list = try parseList()
                return combine(result, .not(left.isin(list)))
            }
            if take("in") { return combine(result, left.isin(try parseList())) }
            guard let op = takeComparisonOperator() else { break }
            skipSpaces()
            if at < chars.count, chars[at] == "[", op == .eq || op == .ne {
                let list = try parseList()
                result = combine(result, op == .eq ? left.isin(list) : .not(left.isin(list)))
                break
            }
            let right = try parseSum()
            result = combine(result, .comparison(op, left, right))
            left = right
        }
        return result ?? first
    }

    private func combine(_ a: Expr?, _ b: Expr) -> Expr { a.map { .and($0, b) } ?? b }

    private mutating func takeComparisonOperator() -> Expr.ComparisonOperator? {
        for (symbol, op) in [("==", Expr.ComparisonOperator.eq), ("!=", .ne), ("<=", .le), (">=", .ge), ("<", .lt), (">", .gt)]
            where take(symbol) { return op }
        return nil
    }

    private mutating func parseList() throws -> [Value] {
        guard take("[") || take("(") else { throw error("expected a list such as ['a', 'b']") }
        let close: String = chars[at - 1] == "[" ? "]" : ")"
        var values: [Value] = []
        if take(close) { return values }
        repeat {
            guard case .literal(let v) = try parseUnary() else { throw error("a list holds constants only") }
            values.append(v)
        } while take(",")
        guard take(close) else { throw error("expected '\(close)'") }
        return values
    }

    private mutating func parseSum() throws -> Expr {
        try parseArithmetic([("+", .add), ("-", .subtract)]) { try $0.parseProduct() }
    }

    private mutating func parseProduct() throws -> Expr {
        try parseArithmetic([("*", .multiply), ("/", .divide)]) { try $0.parseUnary() }
    }

    /// One level of left-associative arithmetic: operands from `operand`, joined by `operators`.
    private mutating func parseArithmetic(_ operators: [(String, Expr.ArithmeticOperator)],
                                          _ operand: (inout QueryParser) throws -> Expr) throws -> Expr {
        var e = try operand(&self)
        while let op = operators.first(where: { take($0.0) })?.1 { e = .arithmetic(op, e, try operand(&self)) }
        return e
    }

    private mutating func parseUnary() throws -> Expr {
        if take("-") {
            switch try parseUnary() {
            case .literal(.int64(let x)): return .literal(.int64(-x))
            case .literal(.float64(let x)): return .literal(.float64(-x))
            case let e: return .arithmetic(.subtract, .literal(.int64(0)), e)
            }
        }
        if take("+") { return try parseUnary() }
        if take("~") { return .not(try parseUnary()) }
        return try parseAtom()
    }

    private mutating func parseAtom() throws -> Expr {
        skipSpaces()
        guard at < chars.count else { throw error("the query ends where a value was expected") }
        let c = chars[at]
        if take("(") {
            let e = try parseOr()
            guard take(")") else { throw error("expected ')'") }
            return e
        }
        if c == "'" || c == "\"" { return .literal(.string(try quoted(c))) }
        if c == "`" { return .column(try quoted("`")) }
        if c.isNumber || (c == "." && at + 1 < chars.count && chars[at + 1].isNumber) { return .literal(try number()) }
        if c == "@" { throw error("local variables (@name) are not supported; put the value in the query") }
        guard c.isLetter || c == "_" else { throw error("unexpected '\(c)'") }
        let start = at
        while at < chars.count, isNameCharacter(chars[at]) { at += 1 }
        let name = String(chars[start..<at])
        switch name {
        case "True": return .literal(.bool(true))
        case "False": return .literal(.bool(false))
        case "and", "or", "not", "in": at = start; throw error("unexpected '\(name)'")
        default: return .column(name)
        }
    }

    /// A quoted string or name; a backslash escapes the next character.
    private mutating func quoted(_ quote: Character) throws -> String {
        let start = at
        at += 1
        var out = ""
        while at < chars.count, chars[at] != quote {
            if chars[at] == "\\", at + 1 < chars.count { at += 1 }
            out.append(chars[at])
            at += 1
        }
        guard at < chars.count else { at = start; throw error("unterminated \(quote)") }
        at += 1
        return out
    }

    private mutating func number() throws -> Value {
        let start = at
        while at < chars.count, chars[at].isNumber || chars[at] == "." || chars[at] == "_" || chars[at] == "e" || chars[at] == "E"
            || ((chars[at] == "-" || chars[at] == "+") && (chars[at - 1] == "e" || chars[at - 1] == "E")) { at += 1 }
        let s = String(chars[start..<at].filter { $0 != "_" })
        if let i = Int64(s) { return .int64(i) }
        if let d = Double(s) { return .float64(d) }
        at = start
        throw error("'\(s)' is not a number")
    }
}
