// Rule: merge adjacent selects and adjacent filters.
//
//   select [a]                         select [a]
//     select [a, b]            →         x
//       x
//
//   filter p                            filter q && p
//     filter q                 →          x
//       x
//
// A select of exactly its input's columns, in order, is dropped. (Filters are also merged when a
// filter moving down meets another: see PredicatePushdown.swift.)

extension Optimizer {
    /// `select(select(x))` → `select(x)`; a select that keeps every column in order → its input.
    static func mergeAdjacentSelects(_ node: FrameNode, _ shared: (FrameNode) -> Bool) throws -> FrameNode? {
        guard case .select(let columns) = node.operation else { return nil }
        let input = node.inputs[0]
        if input.names == columns { return input }
        guard case .select = input.operation, !shared(input) else { return nil }
        return try node.with(inputs: [input.inputs[0]])
    }

    /// `filter(p, filter(q, x))` → `filter(q && p, x)`.
    static func mergeAdjacentFilters(_ node: FrameNode, _ shared: (FrameNode) -> Bool) throws -> FrameNode? {
        guard case .filter(let outer) = node.operation,
              case .filter(let inner) = node.inputs[0].operation, !shared(node.inputs[0]) else { return nil }
        return try node.with(.filter(.and(inner, outer)), inputs: [node.inputs[0].inputs[0]])
    }
}
