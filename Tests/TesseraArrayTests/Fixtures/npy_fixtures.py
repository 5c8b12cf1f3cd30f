"""Makes the .npy fixtures the TesseraArray tests read, and checks files the tests wrote.

    python3 npy_fixtures.py make [DIR]     # writes the fixtures (committed) into DIR (default: here)
    python3 npy_fixtures.py check DIR      # reads what NPYTests wrote into DIR with NumPy; exit 1 on mismatch

Every fixture's values follow a formula the Swift test recomputes independently:
value(i) = i * 0.5 - 3 for floats, i * 7 - 20 for integers, i % 3 == 0 for bool (i = flat index).
"""
import json
import os
import sys

import numpy as np


def values(dtype, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    i = np.arange(n)
    if dtype in ("<f8", "<f4", ">f8"):
        v = i * 0.5 - 3
    elif dtype in ("<i8", "<i4"):
        v = i * 7 - 20
    else:
        v = i % 3 == 0
    return v.astype(np.dtype(dtype)).reshape(shape)


FIXTURES = [
    ("f8_2d_v1.npy", "<f8", (3, 4), (1, 0)),
    ("f4_1d_v1.npy", "<f4", (5,), (1, 0)),
    ("i8_3d_v2.npy", "<i8", (2, 3, 2), (2, 0)),
    ("i4_0d_v1.npy", "<i4", (), (1, 0)),
    ("b1_1d_v1.npy", "|b1", (7,), (1, 0)),
    ("f8_empty_v1.npy", "<f8", (0, 3), (1, 0)),
    ("f8_2d_v2.npy", "<f8", (4, 3), (2, 0)),
]


def make(directory):
    for name, dtype, shape, version in FIXTURES:
        with open(os.path.join(directory, name), "wb") as f:
            np.lib.format.write_array(f, values(dtype, shape), version=version)
    # Files we must refuse with a clear error.
    np.save(os.path.join(directory, "bad_bigendian.npy"), values(">f8", (3,)))
    np.save(os.path.join(directory, "bad_fortran.npy"), np.asfortranarray(values("<f8", (2, 3))))
    np.save(os.path.join(directory, "bad_complex.npy"), np.zeros(2, dtype=np.complex128))
    make_overflow_headers(directory)
    # A stack in the layout of Tessera's toNPYStack (info.json + one file per block).
    stack = os.path.join(directory, "stack_f8")
    os.makedirs(stack, exist_ok=True)
    full = values("<f8", (5, 2))
    for i, (a, b) in enumerate([(0, 2), (2, 4), (4, 5)]):
        np.save(os.path.join(stack, f"{i}.npy"), full[a:b])
    with open(os.path.join(stack, "info.json"), "w") as f:
        json.dump({"chunks": [[2, 2, 1], [2]], "dtype": "<f8", "axis": 0}, f)


# Crafted headers whose sizes overflow a 64-bit integer (np.save cannot make them): the element
# count or the byte count wraps to something small, so a reader that multiplies without checking
# accepts 64 data bytes for an enormous array and reads out of bounds. They are test fixtures,
# seeds of the .npy fuzzer (`make fuzz` copies Fixtures/*.npy into its corpus), and replayed
# crashers (copies under Fuzz/regressions/npy). The last one is a valid empty array whose
# length-2**40 axis must not turn into 2**40 blocks.
OVERFLOW_HEADERS = [
    ("overflow_2e62x4.npy", "<f8", "(4611686018427387904, 4)"),            # count 2**64 wraps to 0
    ("overflow_bytes_2e61.npy", "<f8", "(2305843009213693952,)"),          # bytes 2**64 wrap to 0
    ("overflow_3d.npy", "<f8", "(2097152, 2097152, 4194304)"),             # count 2**64 wraps to 0
    ("overflow_many_blocks.npy", "<f8", "(1099511627776, 0)"),             # empty, but 2**40 rows
]


def overflow_header(descr, shape_text):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    total = ((10 + len(header) + 1 + 63) // 64) * 64
    header += " " * (total - 10 - len(header) - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1") + bytes(range(64))


def make_overflow_headers(directory):
    regressions = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Fuzz", "regressions", "npy")
    for name, descr, shape_text in OVERFLOW_HEADERS:
        data = overflow_header(descr, shape_text)
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
        if os.path.isdir(regressions):
            with open(os.path.join(regressions, "crash-" + name[:-4]), "wb") as f:
                f.write(data)


def check(directory):
    """Tessera's NPYTests writes these; NumPy must read them back exactly."""
    expected = {
        "out_f8.npy": values("<f8", (3, 4)),
        "out_f4.npy": values("<f4", (5,)),
        "out_i8.npy": values("<i8", (2, 3, 2)),
        "out_i4.npy": values("<i4", ()),
        "out_b1.npy": values("|b1", (7,)),
        "out_empty.npy": values("<f8", (0, 3)),
    }
    ok = True
    for name, want in expected.items():
        got = np.load(os.path.join(directory, name))
        if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
            print(f"MISMATCH {name}: {got.dtype} {got.shape} {got!r}")
            ok = False
    stack = os.path.join(directory, "out_stack")
    with open(os.path.join(stack, "info.json")) as f:
        info = json.load(f)
    blocks = [np.load(os.path.join(stack, f"{i}.npy")) for i in range(len(info["chunks"][info["axis"]]))]
    whole = np.concatenate(blocks, axis=info["axis"])
    if not np.array_equal(whole, values("<f8", (5, 2))):
        print(f"MISMATCH stack: {whole!r}")
        ok = False
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "make"
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    make(target) if mode == "make" else check(target)
