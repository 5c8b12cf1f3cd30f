// The column types of one `readCSV`, guessed from a sample once, when something first needs them.
//
// Building a frame reads only headers. The types (the same guess as always: the narrowest type
// that fits every value of the start of the first file, the next files for columns without a
// value there) are made the first time any frame over these files asks: its `schema`, a build-time
// check that needs to know whether a column is text, or a partition task that must type an
// all-missing column. The guess runs once under a lock (a few milliseconds of parsing) and every
// frame, plan and task derived from the same `readCSV` shares it.

import Foundation

/// The provisional column types of one `readCSV` call, made once on first use.
final class CSVSchemaInference: @unchecked Sendable {
    /// The plan whose sample gives the types (without inference of its own: it parses untyped).
    private let base: CSVReadPlan
    private let lock = NSLock()
    private var made: (schema: Schema, types: [String: DataType])?

    init(_ base: CSVReadPlan) {
        self.base = base
    }

    /// Every output column with its provisional type (parses the sample on the first call).
    var schema: Schema { resolved.schema }

    /// The provisional type of each output column, by name.
    var types: [String: DataType] { resolved.types }

    private var resolved: (schema: Schema, types: [String: DataType]) {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let schema = base.provisionalSchema()
        let result = (schema, Dictionary(uniqueKeysWithValues: schema.fields.map { ($0.name, $0.type) }))
        made = result
        return result
    }
}

extension CSVReadPlan {
    /// Types from parsing the start of the first file (every column's type in that sample);
    /// exact types come with the partitions, or from `ChunkedFrame.inferSchema()`. A column with
    /// no value in the sample (an empty column, a header-only file) is looked up in the next
    /// files' samples (up to `sampledFiles` files): an all-missing partition never decides a type.
    func provisionalSchema() -> Schema {
        var types: [String: DataType] = [:]
        for n in outputNames { if let t = options.dtypes[n] { types[n] = t } }
        for info in infos.prefix(Self.sampledFiles) where types.count < outputNames.count {
            let end = Swift.min(info.size, info.dataStart + (1 << 18))
            // After the first file, only the columns still without a type are converted: a few
            // empty columns must not make every file's sample parse every column.
            let sampler = types.isEmpty ? self : projected(outputNames.filter { types[$0] == nil }, rowLimit: nil)
            // Bad data in the sample is reported when the partition computes, with the same message.
            // The types are then unknown: float64, as for a column without values, never text,
            // which the schema would claim for certain (checks made while building trust text).
            guard let sample = try? sampler.parse(info, start: info.dataStart, end: end, firstLine: info.dataFirstLine, final: end == info.size) else {
                if types.isEmpty { return Schema(outputNames.map { Field($0, options.dtypes[$0] ?? .float64, nullable: true) }) }
                continue
            }
            for n in outputNames where types[n] == nil {
                if let c = sample[n], c.nullCount < c.count, info.names.contains(n) { types[n] = c.type }
            }
        }
        return Schema(outputNames.map { Field($0, types[$0] ?? .float64, nullable: true) })
    }

    /// How many files `provisionalSchema` samples at most to find a type for every column.
    static let sampledFiles = 16
}
