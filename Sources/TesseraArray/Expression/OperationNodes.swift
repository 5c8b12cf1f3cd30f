/// `op(lhs, rhs)` element-wise, both already broadcast to the output shape.
final class BinaryNode<T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + Swift.max(lhs.depth, rhs.depth) }
    let op: BinaryOp
    let lhs: ExprNode<T>, rhs: ExprNode<T>
    init(_ op: BinaryOp, _ lhs: ExprNode<T>, _ rhs: ExprNode<T>) { self.op = op; self.lhs = lhs; self.rhs = rhs }
    override var label: String { op.rawValue }
    override func collectSources(_ set: inout SourceSet) { lhs.collectSources(&set); rhs.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? {
        guard let l = lhs.transformed(t), let r = rhs.transformed(t) else { return nil }
        return BinaryNode(op, l, r)
    }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<T> {
        BinaryNode(op, try lhs.realigned(to: chunks), try rhs.realigned(to: chunks))
    }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> {
        BinaryEvaluator(op, lhs.evaluator(ctx), rhs.evaluator(ctx))
    }
}

final class BinaryEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let op: BinaryOp
    let lhs: TileEvaluator<T>, rhs: TileEvaluator<T>
    let buffer = TileBuffer<T>()
    init(_ op: BinaryOp, _ lhs: TileEvaluator<T>, _ rhs: TileEvaluator<T>) { self.op = op; self.lhs = lhs; self.rhs = rhs }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        T._binary(op, lhs.eval(start, count), rhs.eval(start, count), buffer.pointer, count)
        return UnsafePointer(buffer.pointer)
    }
}

/// `op(x)` element-wise.
final class UnaryNode<T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + x.depth }
    let op: UnaryOp
    let x: ExprNode<T>
    init(_ op: UnaryOp, _ x: ExprNode<T>) { self.op = op; self.x = x }
    override var label: String { op.rawValue }
    override func collectSources(_ set: inout SourceSet) { x.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? { x.transformed(t).map { UnaryNode(op, $0) } }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<T> { UnaryNode(op, try x.realigned(to: chunks)) }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> { UnaryEvaluator(op, x.evaluator(ctx)) }
}

final class UnaryEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let op: UnaryOp
    let x: TileEvaluator<T>
    let buffer = TileBuffer<T>()
    init(_ op: UnaryOp, _ x: TileEvaluator<T>) { self.op = op; self.x = x }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        T._unary(op, x.eval(start, count), buffer.pointer, count)
        return UnsafePointer(buffer.pointer)
    }
}

/// `lhs op rhs` giving Bool.
final class CompareNode<T: ArrayScalar>: ExprNode<Bool>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + Swift.max(lhs.depth, rhs.depth) }
    let op: CompareOp
    let lhs: ExprNode<T>, rhs: ExprNode<T>
    init(_ op: CompareOp, _ lhs: ExprNode<T>, _ rhs: ExprNode<T>) { self.op = op; self.lhs = lhs; self.rhs = rhs }
    override var label: String { op.rawValue }
    override func collectSources(_ set: inout SourceSet) { lhs.collectSources(&set); rhs.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<Bool>? {
        guard let l = lhs.transformed(t), let r = rhs.transformed(t) else { return nil }
        return CompareNode(op, l, r)
    }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<Bool> {
        CompareNode(op, try lhs.realigned(to: chunks), try rhs.realigned(to: chunks))
    }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<Bool> {
        CompareEvaluator(op, lhs.evaluator(ctx), rhs.evaluator(ctx))
    }
}

final class CompareEvaluator<T: ArrayScalar>: TileEvaluator<Bool> {
    let op: CompareOp
    let lhs: TileEvaluator<T>, rhs: TileEvaluator<T>
    let buffer = TileBuffer<Bool>()
    init(_ op: CompareOp, _ lhs: TileEvaluator<T>, _ rhs: TileEvaluator<T>) { self.op = op; self.lhs = lhs; self.rhs = rhs }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<Bool> {
        T._compare(op, lhs.eval(start, count), rhs.eval(start, count), buffer.pointer, count)
        return UnsafePointer(buffer.pointer)
    }
}

/// Conversion to another element type (`astype`); also `isnan`-style predicates via `map`.
final class CastNode<S: ArrayScalar, T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + x.depth }
    let x: ExprNode<S>
    init(_ x: ExprNode<S>) { self.x = x }
    override var label: String { "astype" }
    override func collectSources(_ set: inout SourceSet) { x.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? { x.transformed(t).map { CastNode<S, T>($0) } }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<T> { CastNode<S, T>(try x.realigned(to: chunks)) }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> { CastEvaluator<S, T>(x.evaluator(ctx)) }
}

final class CastEvaluator<S: ArrayScalar, T: ArrayScalar>: TileEvaluator<T> {
    let x: TileEvaluator<S>
    let buffer = TileBuffer<T>()
    init(_ x: TileEvaluator<S>) { self.x = x }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        convertRun(x.eval(start, count), buffer.pointer, count)
        return UnsafePointer(buffer.pointer)
    }
}

/// `isnan(x)`.
final class IsNaNNode<S: ArrayScalar>: ExprNode<Bool>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + x.depth }
    let x: ExprNode<S>
    init(_ x: ExprNode<S>) { self.x = x }
    override var label: String { "isnan" }
    override func collectSources(_ set: inout SourceSet) { x.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<Bool>? { x.transformed(t).map { IsNaNNode($0) } }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<Bool> { IsNaNNode(try x.realigned(to: chunks)) }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<Bool> { IsNaNEvaluator(x.evaluator(ctx)) }
}

final class IsNaNEvaluator<S: ArrayScalar>: TileEvaluator<Bool> {
    let x: TileEvaluator<S>
    let buffer = TileBuffer<Bool>()
    init(_ x: TileEvaluator<S>) { self.x = x }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<Bool> {
        let p = x.eval(start, count)
        for i in 0..<count { buffer.pointer[i] = p[i]._isNaN }
        return UnsafePointer(buffer.pointer)
    }
}

/// `where(cond, a, b)`.
final class WhereNode<T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    override func computeDepth() -> Int { 1 + Swift.max(cond.depth, a.depth, b.depth) }
    let cond: ExprNode<Bool>
    let a: ExprNode<T>, b: ExprNode<T>
    init(_ cond: ExprNode<Bool>, _ a: ExprNode<T>, _ b: ExprNode<T>) { self.cond = cond; self.a = a; self.b = b }
    override var label: String { "where" }
    override func collectSources(_ set: inout SourceSet) { cond.collectSources(&set); a.collectSources(&set); b.collectSources(&set) }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? {
        guard let c = cond.transformed(t), let x = a.transformed(t), let y = b.transformed(t) else { return nil }
        return WhereNode(c, x, y)
    }
    override func realigned(to chunks: [[Int]]) throws -> ExprNode<T> {
        WhereNode(try cond.realigned(to: chunks), try a.realigned(to: chunks), try b.realigned(to: chunks))
    }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> {
        WhereEvaluator(cond.evaluator(ctx), a.evaluator(ctx), b.evaluator(ctx))
    }
}

final class WhereEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let cond: TileEvaluator<Bool>
    let a: TileEvaluator<T>, b: TileEvaluator<T>
    let buffer = TileBuffer<T>()
    init(_ cond: TileEvaluator<Bool>, _ a: TileEvaluator<T>, _ b: TileEvaluator<T>) { self.cond = cond; self.a = a; self.b = b }
    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        let c = cond.eval(start, count), x = a.eval(start, count), y = b.eval(start, count)
        for i in 0..<count { buffer.pointer[i] = c[i] ? x[i] : y[i] }
        return UnsafePointer(buffer.pointer)
    }
}
