import Foundation
import TesseraArray

/// A Zarr array's `fill_value`: what a missing chunk reads as.
enum ZarrFillValue: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)

    /// Parses the JSON value for `dtype`: a number, a boolean, `"NaN"`, `"Infinity"`,
    /// `"-Infinity"`, a hex bit pattern `"0x7ff8000000000000"` (v3 floats), or null (v2: no fill
    /// value; zarr-python reads missing chunks as zeros then).
    init?(json: Any?, dtype: ZarrDataType) {
        if json == nil || json is NSNull {
            self = dtype.kind == .float ? .float(0) : dtype.kind == .bool ? .bool(false) : .int(0)
            return
        }
        if let s = json as? String {
            switch s {
            case "NaN": self = .float(.nan)
            case "Infinity": self = .float(.infinity)
            case "-Infinity": self = .float(-.infinity)
            default:
                guard dtype.kind == .float, s.hasPrefix("0x"), let bits = UInt64(s.dropFirst(2), radix: 16) else { return nil }
                self = .float(dtype.size == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))))
            }
            guard dtype.kind == .float else { return nil }
            return
        }
        guard let n = json as? NSNumber else { return nil }
        switch dtype.kind {
        case .float: self = .float(n.doubleValue)
        case .int: self = .int(n.int64Value)
        case .uint: self = .uint(n.uint64Value)
        case .bool: self = .bool(n.boolValue)
        }
    }

    /// The fill value of an array of `T` whose missing chunks read as `value`.
    init<T: ArrayScalar>(_ value: T) {
        switch T.dtype {
        case .float64, .float32: self = .float(value._double)
        case .bool: self = .bool(value._isNonzero)
        default: self = .int(value._int64)
        }
    }

    /// The value as `T`, converted as a stored element would be.
    func value<T: ArrayScalar>(as _: T.Type) -> T {
        let toFloat = T.dtype == .float64 || T.dtype == .float32
        switch self {
        case .float(let d): return T(_double: d)
        case .int(let i): return toFloat ? T(_double: Double(i)) : T(_int64: i)
        case .uint(let u): return toFloat ? T(_double: Double(u)) : T(_int64: Int64(bitPattern: u))
        case .bool(let b): return b ? T.one : T.zero
        }
    }
}
