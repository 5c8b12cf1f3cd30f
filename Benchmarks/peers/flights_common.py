"""Shared by the flights peers: arguments, where the files are, how the result is printed."""
import os

from common import parse


def parse_args():
    return parse({"--rows": {"type": int, "default": 1_400_000}})


def flights_dir(args):
    """The directory tessera-bench's prepareFlights fills: <data>/flights-10x<rows>."""
    return os.path.join(args.data_directory, f"flights-10x{args.rows}")


def result_text(series):
    """`KEY=mean;…` sorted by key, floats as repr (shortest round-trip), like Tessera prints them."""
    return ";".join(f"{k}={float(v)!r}" for k, v in sorted(series.items()))
