import Foundation
import Tessera

// det and slogdet from the blocked LU's panels: each panel's U_kk holds a stretch of U's
// diagonal and its pivots a stretch of the row swaps, so the determinant is one small task over
// the panels — the trailing updates run only as far as the next panels need them.

/// A determinant as NumPy's `slogdet` gives it: `det = sign · exp(logAbsDet)`.
public struct SignedLogDeterminant: Sendable, Equatable {
    /// 1, -1, or 0 for a singular matrix.
    public let sign: Double
    /// The natural logarithm of |det| (-inf for a singular matrix).
    public let logAbsDet: Double
}

extension Linalg {
    /// The determinant of a square matrix by blocked LU with partial pivoting (NumPy's `det`);
    /// 0 for an exactly singular matrix.
    ///
    /// ```swift
    /// let d = try Linalg.det(a).compute().scalar!
    /// ```
    /// - Parameter a: a square matrix; its columns are rechunked like its rows when they differ.
    /// - Returns: a lazy 0-d array.
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions`.
    /// - Complexity: O(n³) flops, as the LU factorisation.
    public static func det<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let s = try slogdetRef(a, "det")
        let layer = Layer(kind: "det", count: 1, grid: []) { _ in
            TaskSpec(inputs: [s]) { v in
                let d = v[0] as! SignedLogDeterminant
                return NDArray<T>(scalar: T(_double: d.sign * Foundation.exp(d.logAbsDet)))
            }
        }
        return try ChunkedArray<T>(layer: layer, shape: [], chunks: [])
    }

    /// The sign and the logarithm of the absolute value of the determinant (NumPy's `slogdet`),
    /// which neither overflows nor underflows where `det` would.
    /// - Parameter a: a square matrix.
    /// - Returns: the lazy sign and log-determinant (sign 0 and -inf for a singular matrix).
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions`.
    /// - Complexity: O(n³) flops, as the LU factorisation.
    public static func slogdet<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> Delayed<SignedLogDeterminant> {
        Delayed(ref: try slogdetRef(a, "slogdet"))
    }

    private static func slogdetRef<T: LinalgScalar>(_ a: ChunkedArray<T>, _ operation: String) throws -> TaskRef {
        let sq = try a.squareTiled(operation)
        if sq.shape[0] == 0 {
            return TaskRef(Layer(kind: operation, values: [SignedLogDeterminant(sign: 1, logAbsDet: 0)]))
        }
        let panels = blockedLUForward(sq, nil, operation: operation, singularIsError: false).panels
        let layer = Layer(kind: "\(operation)-diagonal", count: 1) { _ in
            TaskSpec(inputs: panels) { v in
                var sign = 1.0, log = 0.0
                for case let p as LUPanel<T> in v {
                    let w = p.width
                    for i in 0..<w {
                        let d = p.lu.pointer[i * w + i]._double
                        if Int(p.ipiv[i]) != i + 1 { sign = -sign }
                        if d == 0 { return SignedLogDeterminant(sign: 0, logAbsDet: -.infinity) }
                        if d < 0 { sign = -sign }
                        log += Foundation.log(Swift.abs(d))
                    }
                }
                return SignedLogDeterminant(sign: sign, logAbsDet: log)
            }
        }
        return layer[0]
    }
}
