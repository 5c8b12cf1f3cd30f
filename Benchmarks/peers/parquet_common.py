"""Shared by the Parquet peers: where tessera-bench's prepareFlightsParquet put the files."""
import os

from flights_common import parse_args  # noqa: F401  (re-exported)


def parquet_dir(args):
    return os.path.join(args.data_directory, f"flights-parquet-10x{args.rows}")
