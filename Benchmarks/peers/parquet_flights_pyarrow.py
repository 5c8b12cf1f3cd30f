"""pyarrow peer of `parquet-flights`: read_table of the two columns, then Arrow's group-by mean."""
import pyarrow as pa
import pyarrow.parquet as pq

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
pa.set_cpu_count(args.workers)
pa.set_io_thread_count(args.workers)


def run():
    t = pq.read_table(parquet_dir(args), columns=["Origin", "DepDelay"])
    out = t.group_by("Origin").aggregate([("DepDelay", "mean")]).sort_by("Origin")
    return ";".join(f"{k}={float(v)!r}" for k, v in zip(out.column("Origin").to_pylist(), out.column("DepDelay_mean").to_pylist()))


measure(run, args.runs)
