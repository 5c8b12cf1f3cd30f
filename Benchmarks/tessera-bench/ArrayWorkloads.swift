// Owned by the ChunkedArray and linear algebra work: `array-sum`, `array-tutorial`, `matmul`, `tsqr`.
let arrayWorkloads: [Workload] = []
