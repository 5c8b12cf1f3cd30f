"""pyarrow peer of `parquet-scan`: read_table of every column, count rows."""
import pyarrow as pa
import pyarrow.parquet as pq

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
pa.set_cpu_count(args.workers)
pa.set_io_thread_count(args.workers)
measure(lambda: pq.read_table(parquet_dir(args)).num_rows, args.runs)
