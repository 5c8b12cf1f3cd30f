import Tessera

/// One column of a lazy frame, for reductions: what `df["DepDelay"].mean()` is called on
/// (dask's `Series`).
///
/// `df["name"]` gives an ``Expr`` wherever an expression fits (`filter`, `assign`, comparisons,
/// `isin`), and a `FrameColumn` where a reduction is called on it, so both read as in pandas:
///
/// ```swift
/// let late = try df.filter(df["DepDelay"] > 60)           // an expression
/// let mean: Double = try df["DepDelay"].mean().compute()  // a reduction
/// let (lo, hi) = try compute(df["DepDelay"].min(), df["DepDelay"].max())   // one read
/// ```
///
/// Every reduction is lazy (a `Delayed` value or a frame), skips missing values as pandas does,
/// and checks the column name (and, where the schema is certain, the type) when it is built.
public struct FrameColumn: Sendable, CustomStringConvertible {
    /// The frame the column belongs to.
    public let frame: ChunkedFrame
    /// The column's name.
    public let name: String

    /// The column `name` of `frame` (checked when a reduction is built).
    /// - Parameters:
    ///   - frame: the frame the column belongs to.
    ///   - name: the column's name.
    public init(_ frame: ChunkedFrame, _ name: String) {
        self.frame = frame
        self.name = name
    }

    /// The column as an expression, for `filter` and `assign`.
    public var expression: Expr { .column(name) }

    /// `FrameColumn("DepDelay")`.
    public var description: String { "FrameColumn(\"\(name)\")" }
}

extension ChunkedFrame {
    /// The column `name` as a ``FrameColumn``, for reductions: `df["DepDelay"].mean()`.
    ///
    /// Where an expression fits, `df["name"]` is the ``Expr`` instead (this overload is the
    /// disfavoured one), so filters and assignments read as before.
    @_disfavoredOverload
    public subscript(name: String) -> FrameColumn { FrameColumn(self, name) }
}
