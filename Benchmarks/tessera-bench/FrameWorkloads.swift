// Owned by the ChunkedFrame work: `csv-parse`, `flights`.
let frameWorkloads: [Workload] = []
