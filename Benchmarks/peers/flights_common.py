"""Shared by the flights peers: where the files are and how the result is printed."""
import os


def flights_dir(args):
    return os.path.join(args.data_directory, "flights")


def result_text(series):
    """`KEY=mean;…` sorted by key, floats as repr (shortest round-trip), like Tessera prints them."""
    return ";".join(f"{k}={float(v)!r}" for k, v in sorted(series.items()))
