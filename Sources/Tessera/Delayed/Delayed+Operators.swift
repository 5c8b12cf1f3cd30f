// Arithmetic and comparison on Delayed values build one task each, like Dask's operator overloads.

/// Lazily applies `+`; a task of kind `add`.
public func + <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "add", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) + (a[1] as! V) }
}

/// Lazily applies `+` with a plain right operand.
public func + <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "add", inputs: [lhs.ref]) { a in (a[0] as! V) + rhs }
}

/// Lazily applies `+` with a plain left operand.
public func + <V: AdditiveArithmetic & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "add", inputs: [rhs.ref]) { a in lhs + (a[0] as! V) }
}

/// Lazily applies `-`; a task of kind `sub`.
public func - <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) - (a[1] as! V) }
}

/// Lazily applies `-` with a plain right operand.
public func - <V: AdditiveArithmetic & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", inputs: [lhs.ref]) { a in (a[0] as! V) - rhs }
}

/// Lazily applies `-` with a plain left operand.
public func - <V: AdditiveArithmetic & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "sub", inputs: [rhs.ref]) { a in lhs - (a[0] as! V) }
}

/// Lazily applies `*`; a task of kind `mul`.
public func * <V: Numeric & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) * (a[1] as! V) }
}

/// Lazily applies `*` with a plain right operand.
public func * <V: Numeric & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", inputs: [lhs.ref]) { a in (a[0] as! V) * rhs }
}

/// Lazily applies `*` with a plain left operand.
public func * <V: Numeric & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mul", inputs: [rhs.ref]) { a in lhs * (a[0] as! V) }
}

/// Lazily applies `/`; a task of kind `div`.
public func / <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) / (a[1] as! V) }
}

/// Lazily applies `/` with a plain right operand.
public func / <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [lhs.ref]) { a in (a[0] as! V) / rhs }
}

/// Lazily applies `/` with a plain left operand.
public func / <V: BinaryInteger & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [rhs.ref]) { a in lhs / (a[0] as! V) }
}

/// Lazily applies `/`; a task of kind `div`.
public func / <V: FloatingPoint & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) / (a[1] as! V) }
}

/// Lazily applies `/` with a plain right operand.
public func / <V: FloatingPoint & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [lhs.ref]) { a in (a[0] as! V) / rhs }
}

/// Lazily applies `/` with a plain left operand.
public func / <V: FloatingPoint & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "div", inputs: [rhs.ref]) { a in lhs / (a[0] as! V) }
}

/// Lazily applies `%`; a task of kind `mod`.
public func % <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) % (a[1] as! V) }
}

/// Lazily applies `%` with a plain right operand.
public func % <V: BinaryInteger & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", inputs: [lhs.ref]) { a in (a[0] as! V) % rhs }
}

/// Lazily applies `%` with a plain left operand.
public func % <V: BinaryInteger & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "mod", inputs: [rhs.ref]) { a in lhs % (a[0] as! V) }
}

/// Lazily applies `<`; a task of kind `lt`.
public func < <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) < (a[1] as! V) }
}

/// Lazily applies `<` with a plain right operand.
public func < <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", inputs: [lhs.ref]) { a in (a[0] as! V) < rhs }
}

/// Lazily applies `<` with a plain left operand.
public func < <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "lt", inputs: [rhs.ref]) { a in lhs < (a[0] as! V) }
}

/// Lazily applies `<=`; a task of kind `le`.
public func <= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) <= (a[1] as! V) }
}

/// Lazily applies `<=` with a plain right operand.
public func <= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", inputs: [lhs.ref]) { a in (a[0] as! V) <= rhs }
}

/// Lazily applies `<=` with a plain left operand.
public func <= <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "le", inputs: [rhs.ref]) { a in lhs <= (a[0] as! V) }
}

/// Lazily applies `>`; a task of kind `gt`.
public func > <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) > (a[1] as! V) }
}

/// Lazily applies `>` with a plain right operand.
public func > <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", inputs: [lhs.ref]) { a in (a[0] as! V) > rhs }
}

/// Lazily applies `>` with a plain left operand.
public func > <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "gt", inputs: [rhs.ref]) { a in lhs > (a[0] as! V) }
}

/// Lazily applies `>=`; a task of kind `ge`.
public func >= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) >= (a[1] as! V) }
}

/// Lazily applies `>=` with a plain right operand.
public func >= <V: Comparable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", inputs: [lhs.ref]) { a in (a[0] as! V) >= rhs }
}

/// Lazily applies `>=` with a plain left operand.
public func >= <V: Comparable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ge", inputs: [rhs.ref]) { a in lhs >= (a[0] as! V) }
}

/// Lazily applies `==`; a task of kind `eq`.
public func == <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) == (a[1] as! V) }
}

/// Lazily applies `==` with a plain right operand.
public func == <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", inputs: [lhs.ref]) { a in (a[0] as! V) == rhs }
}

/// Lazily applies `==` with a plain left operand.
public func == <V: Equatable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "eq", inputs: [rhs.ref]) { a in lhs == (a[0] as! V) }
}

/// Lazily applies `!=`; a task of kind `ne`.
public func != <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! V) != (a[1] as! V) }
}

/// Lazily applies `!=` with a plain right operand.
public func != <V: Equatable & Sendable>(lhs: Delayed<V>, rhs: V) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", inputs: [lhs.ref]) { a in (a[0] as! V) != rhs }
}

/// Lazily applies `!=` with a plain left operand.
public func != <V: Equatable & Sendable>(lhs: V, rhs: Delayed<V>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "ne", inputs: [rhs.ref]) { a in lhs != (a[0] as! V) }
}

/// Lazily negates a signed numeric value.
public prefix func - <V: SignedNumeric & Sendable>(operand: Delayed<V>) -> Delayed<V> {
    Delayed<V>.make(kind: "neg", inputs: [operand.ref]) { a in -(a[0] as! V) }
}

/// Lazily negates a Boolean.
public prefix func ! (operand: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "not", inputs: [operand.ref]) { a in !(a[0] as! Bool) }
}

/// Lazy logical and of two Delayed Booleans (both are computed: tasks have no short-circuit).
public func && (lhs: Delayed<Bool>, rhs: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "and", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! Bool) && (a[1] as! Bool) }
}

/// Lazy logical or of two Delayed Booleans (both are computed: tasks have no short-circuit).
public func || (lhs: Delayed<Bool>, rhs: Delayed<Bool>) -> Delayed<Bool> {
    Delayed<Bool>.make(kind: "or", inputs: [lhs.ref, rhs.ref]) { a in (a[0] as! Bool) || (a[1] as! Bool) }
}
