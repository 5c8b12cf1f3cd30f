import Foundation

/// Values computed from an element's position alone: counter-based random numbers, `arange`,
/// `linspace`. Because a value depends only on (seed, global element index), the same seed gives
/// the same array whatever the chunking, scheduler, worker count or evaluation order, and such a
/// leaf can be sliced or transposed by rewriting its index map instead of moving data.
enum IndexGenerator {
    /// Uniform in `[low, high)`.
    case uniform(key: UInt64, low: Double, high: Double)
    /// Normal with `mean` and standard deviation `std` (Box–Muller on two counter streams).
    case normal(key: UInt64, mean: Double, std: Double)
    /// Integers uniform in `[low, low + span)`.
    case integers(key: UInt64, low: Int64, span: UInt64)
    /// `start + step * i`.
    case linear(start: Double, step: Double)
    /// `start + step * i`, exactly `last` at `i == lastIndex` (linspace's endpoint).
    case linspace(start: Double, step: Double, lastIndex: Int, last: Double)

    var label: String {
        switch self {
        case .uniform, .normal, .integers: return "random"
        case .linear: return "arange"
        case .linspace: return "linspace"
        }
    }
}

/// SplitMix64's output function: a bijective mixer whose outputs over a counter pass BigCrush.
@inline(__always) func splitmix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The stream key for a user seed.
func randomKey(seed: UInt64, stream: UInt64 = 0) -> UInt64 { splitmix(splitmix(seed &+ 0x9E37_79B9_7F4A_7C15) ^ stream) }

/// The 64 random bits at counter position `i` of the stream `key`: wyrand's output function
/// (one 64×64→128-bit multiply, folded; passes BigCrush and PractRand) applied to the counter
/// state `key + i·γ`. Being a pure function of `(key, i)` it is a counter-based generator: any
/// element can be produced independently, in any order, on any worker. The 128-bit multiply is
/// one scalar `mul` per element, cheaper on baseline x86-64 than SplitMix64's two 64-bit
/// multiplies, which the vectoriser would emulate with SSE2 32-bit products.
@inline(__always) func randomBits(_ key: UInt64, _ i: Int) -> UInt64 {
    let s = key &+ UInt64(bitPattern: Int64(i)) &* 0xA076_1D64_78BD_642F
    let m = s.multipliedFullWidth(by: s ^ 0xE703_7ED1_A0B4_28DB)
    return m.high ^ m.low
}

/// A uniform double in [0, 1) from the top 52 bits: they become the mantissa of a number in
/// [1, 2), then 1 is subtracted (no integer-to-float conversion, which is slow for UInt64).
@inline(__always) func unitDouble(_ bits: UInt64) -> Double {
    Double(bitPattern: 0x3FF0_0000_0000_0000 | (bits >> 12)) - 1
}

extension IndexGenerator {
    /// Writes `count` Doubles for virtual indices `base, base+step, …` into `out`.
    func fillDoubles(_ out: UnsafeMutablePointer<Double>, base: Int, step: Int, count: Int) {
        switch self {
        case let .uniform(key, low, high):
            let w = high - low
            if step == 1 {
                for j in 0..<count { out[j] = low + w * unitDouble(randomBits(key, base + j)) }
            } else {
                for j in 0..<count { out[j] = low + w * unitDouble(randomBits(key, base + j * step)) }
            }
        case let .normal(key, mean, std):
            for j in 0..<count {
                let i = base + j * step
                let u1 = unitDouble(randomBits(key, 2 * i))
                let u2 = unitDouble(randomBits(key, 2 * i + 1))
                out[j] = mean + std * (-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
            }
        case .integers:
            for j in 0..<count { out[j] = Double(integerValue(base + j * step)) }
        case let .linear(start, stepValue):
            for j in 0..<count { out[j] = start + stepValue * Double(base + j * step) }
        case let .linspace(start, stepValue, lastIndex, last):
            for j in 0..<count {
                let i = base + j * step
                out[j] = i == lastIndex ? last : start + stepValue * Double(i)
            }
        }
    }

    @inline(__always) func integerValue(_ i: Int) -> Int64 {
        guard case let .integers(key, low, span) = self else { return 0 }
        // Lemire's multiply-shift maps 64 random bits onto [0, span) without a division.
        let r = randomBits(key, i).multipliedFullWidth(by: span).high
        return low &+ Int64(bitPattern: r)
    }

    var isInteger: Bool { if case .integers = self { return true } else { return false } }
}

/// An expression leaf whose values come from an `IndexGenerator` read through an affine map.
final class IndexLeaf<T: ArrayScalar>: ExprNode<T>, @unchecked Sendable {
    let generator: IndexGenerator
    let map: AffineMap

    init(_ generator: IndexGenerator, map: AffineMap) {
        self.generator = generator
        self.map = map
    }

    override var label: String { generator.label }
    override func transformed(_ t: IndexTransform) -> ExprNode<T>? { IndexLeaf(generator, map: t.apply(map)) }
    override func evaluator(_ ctx: BlockContext) -> TileEvaluator<T> { IndexEvaluator(self, ctx) }
}

final class IndexEvaluator<T: ArrayScalar>: TileEvaluator<T> {
    let generator: IndexGenerator
    let map: AffineMap
    let origin: [Int]
    let shape: [Int]
    let buffer = TileBuffer<T>()
    let doubles: TileBuffer<Double>?

    init(_ leaf: IndexLeaf<T>, _ ctx: BlockContext) {
        generator = leaf.generator
        map = leaf.map
        origin = ctx.origin
        shape = ctx.shape
        doubles = (T.self == Double.self || leaf.generator.isInteger) ? nil : TileBuffer<Double>()
    }

    override func eval(_ start: Int, _ count: Int) -> UnsafePointer<T> {
        let out = buffer.pointer
        let last = shape.count - 1
        forEachRow(shape: shape, start: start, count: count) { off, idx, len in
            var base = map.offset
            for k in 0..<idx.count { base += map.strides[k] * (origin[k] + idx[k]) }
            let step = last >= 0 ? map.strides[last] : 0
            let o = out + (off - start)
            if generator.isInteger {
                let ints = UnsafeMutablePointer<Int64>.allocate(capacity: len)
                defer { ints.deallocate() }
                for j in 0..<len { ints[j] = generator.integerValue(base + j * step) }
                convertRun(UnsafePointer(ints), o, len)
            } else if let doubles {
                generator.fillDoubles(doubles.pointer, base: base, step: step, count: len)
                convertRun(UnsafePointer(doubles.pointer), o, len)
            } else {
                UnsafeMutableRawPointer(o).withMemoryRebound(to: Double.self, capacity: len) {
                    generator.fillDoubles($0, base: base, step: step, count: len)
                }
            }
        }
        return UnsafePointer(out)
    }
}
