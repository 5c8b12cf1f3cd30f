"""What pandas reads from tricky CSV texts, for CSVPandasFixtureTests.

Run from this folder with pandas installed (made with pandas 3.1.1):
    python3 make_fixtures.py
Writes cases.json: for every case its text (base64 bytes) and pandas' column names and values,
each value as text (numbers in Python's repr, missing as null) with pandas' dtype kind.
"""
import base64
import io
import json
import math

import pandas as pd

CASES = {
    "short_rows_padded": b"a,b,c\n1,x,2.5\n3\n4,y\n5,z,6.5\n",
    "whitespace_lines": b"a,b\n1,2\n   \n\t \r\n3,4\n",
    "spaces_around_numbers": b'i,f,s\n 1,1.5 ,x\n2 , 2e3, y\n"3" ,\t-4\t,z \n',
    "upper_nan_is_text": b"a\n1\nNAN\n",
    "plus_nan_is_text": b"a\n1.5\n+nan\n",
    "nan_spellings_missing": b"a\n1\nnan\n-NaN\nNA\n",
    "unnamed_columns": b"a,,b,\n1,2,3,4\n",
    "big_integers_stay_text": b"v\n1\n123456789012345678901234567890\n",
    "int64_limits": b"v\n9223372036854775807\n-9223372036854775808\n",
    "crlf_and_quotes": b'k,v\r\n"a,b",1\r\n"say ""hi""",2\r\n"two\r\nlines",3\r\n',
    "mixed_int_float": b"v\n1\n2.5\n-3\n",
    "bools": b"b\nTrue\nFalse\n\n",
}


def kind(dtype):
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int64"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    return "string"


def text(v, k):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if k == "float64":
        return repr(float(v))
    if k == "int64":
        return str(int(v))
    if k == "bool":
        return "True" if v else "False"
    return str(v)


out = []
for name, raw in CASES.items():
    df = pd.read_csv(io.BytesIO(raw))
    columns = []
    for c in df.columns:
        k = kind(df[c].dtype)
        columns.append({"name": str(c), "kind": k, "values": [text(v, k) for v in df[c].tolist()]})
    out.append({"name": name, "text": base64.b64encode(raw).decode(), "columns": columns})

with open("cases.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
