// Arithmetic and comparison on Delayed values build one task each, like Dask's operator overloads.

/// Lazily applies `+`; a task of kind `add`.
public func + <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "add", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) + cast(a[1], to: V.self) }
}

/// Lazily applies `+` with a plain right operand.
public func + <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "add", from: [lhs.input]) { a in cast(a[0], to: V.self) + rhs }
}

/// Lazily applies `+` with a plain left operand.
public func + <V: AdditiveArithmetic & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "add", from: [rhs.input]) { a in lhs + cast(a[0], to: V.self) }
}

/// Lazily applies `-`; a task of kind `sub`.
public func - <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) - cast(a[1], to: V.self) }
}

/// Lazily applies `-` with a plain right operand.
public func - <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", from: [lhs.input]) { a in cast(a[0], to: V.self) - rhs }
}

/// Lazily applies `-` with a plain left operand.
public func - <V: AdditiveArithmetic & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", from: [rhs.input]) { a in lhs - cast(a[0], to: V.self) }
}

/// Lazily applies `*`; a task of kind `mul`.
public func * <V: Numeric & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) * cast(a[1], to: V.self) }
}

/// Lazily applies `*` with a plain right operand.
public func * <V: Numeric & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", from: [lhs.input]) { a in cast(a[0], to: V.self) * rhs }
}

/// Lazily applies `*` with a plain left operand.
public func * <V: Numeric & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", from: [rhs.input]) { a in lhs * cast(a[0], to: V.self) }
}

/// Lazily applies `/`; a task of kind `div`.
public func / <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) / cast(a[1], to: V.self) }
}

/// Lazily applies `/` with a plain right operand.
public func / <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [lhs.input]) { a in cast(a[0], to: V.self) / rhs }
}

/// Lazily applies `/` with a plain left operand.
public func / <V: BinaryInteger & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [rhs.input]) { a in lhs / cast(a[0], to: V.self) }
}

/// Lazily applies `/`; a task of kind `div`.
public func / <V: FloatingPoint & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) / cast(a[1], to: V.self) }
}

/// Lazily applies `/` with a plain right operand.
public func / <V: FloatingPoint & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [lhs.input]) { a in cast(a[0], to: V.self) / rhs }
}

/// Lazily applies `/` with a plain left operand.
public func / <V: FloatingPoint & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", from: [rhs.input]) { a in lhs / cast(a[0], to: V.self) }
}

/// Lazily applies `%`; a task of kind `mod`.
public func % <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) % cast(a[1], to: V.self) }
}

/// Lazily applies `%` with a plain right operand.
public func % <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", from: [lhs.input]) { a in cast(a[0], to: V.self) % rhs }
}

/// Lazily applies `%` with a plain left operand.
public func % <V: BinaryInteger & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", from: [rhs.input]) { a in lhs % cast(a[0], to: V.self) }
}

/// Lazily applies `<`; a task of kind `lt`.
public func < <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) < cast(a[1], to: V.self) }
}

/// Lazily applies `<` with a plain right operand.
public func < <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", from: [lhs.input]) { a in cast(a[0], to: V.self) < rhs }
}

/// Lazily applies `<` with a plain left operand.
public func < <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", from: [rhs.input]) { a in lhs < cast(a[0], to: V.self) }
}

/// Lazily applies `<=`; a task of kind `le`.
public func <= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) <= cast(a[1], to: V.self) }
}

/// Lazily applies `<=` with a plain right operand.
public func <= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", from: [lhs.input]) { a in cast(a[0], to: V.self) <= rhs }
}

/// Lazily applies `<=` with a plain left operand.
public func <= <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", from: [rhs.input]) { a in lhs <= cast(a[0], to: V.self) }
}

/// Lazily applies `>`; a task of kind `gt`.
public func > <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) > cast(a[1], to: V.self) }
}

/// Lazily applies `>` with a plain right operand.
public func > <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", from: [lhs.input]) { a in cast(a[0], to: V.self) > rhs }
}

/// Lazily applies `>` with a plain left operand.
public func > <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", from: [rhs.input]) { a in lhs > cast(a[0], to: V.self) }
}

/// Lazily applies `>=`; a task of kind `ge`.
public func >= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) >= cast(a[1], to: V.self) }
}

/// Lazily applies `>=` with a plain right operand.
public func >= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", from: [lhs.input]) { a in cast(a[0], to: V.self) >= rhs }
}

/// Lazily applies `>=` with a plain left operand.
public func >= <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", from: [rhs.input]) { a in lhs >= cast(a[0], to: V.self) }
}

/// Lazily applies `==`; a task of kind `eq`.
public func == <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) == cast(a[1], to: V.self) }
}

/// Lazily applies `==` with a plain right operand.
public func == <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", from: [lhs.input]) { a in cast(a[0], to: V.self) == rhs }
}

/// Lazily applies `==` with a plain left operand.
public func == <V: Equatable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", from: [rhs.input]) { a in lhs == cast(a[0], to: V.self) }
}

/// Lazily applies `!=`; a task of kind `ne`.
public func != <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", from: [lhs.input, rhs.input]) { a in cast(a[0], to: V.self) != cast(a[1], to: V.self) }
}

/// Lazily applies `!=` with a plain right operand.
public func != <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", from: [lhs.input]) { a in cast(a[0], to: V.self) != rhs }
}

/// Lazily applies `!=` with a plain left operand.
public func != <V: Equatable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", from: [rhs.input]) { a in lhs != cast(a[0], to: V.self) }
}

/// Lazily negates a signed numeric value.
public prefix func - <V: SignedNumeric & Sendable>(operand: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "neg", from: [operand.input]) { a in -cast(a[0], to: V.self) }
}

/// Lazily negates a Boolean.
public prefix func ! (operand: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "not", from: [operand.input]) { a in !(a[0] as! Bool) }
}

/// Lazy logical and of two Delayed Booleans (both are computed: tasks have no short-circuit).
public func && (lhs: Delayed<Bool>, rhs: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "and", from: [lhs.input, rhs.input]) { a in (a[0] as! Bool) && (a[1] as! Bool) }
}

/// Lazy logical or of two Delayed Booleans (both are computed: tasks have no short-circuit).
public func || (lhs: Delayed<Bool>, rhs: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "or", from: [lhs.input, rhs.input]) { a in (a[0] as! Bool) || (a[1] as! Bool) }
}
