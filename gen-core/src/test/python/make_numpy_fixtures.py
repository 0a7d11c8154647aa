"""Writes the .npy / .npz / .csv fixtures of gen-core's array-file tests with real NumPy.

Run from the repository root (any Python 3 with NumPy >= 1.17; the committed files were made with
NumPy 2.4):

    python3 gen-core/src/test/python/make_numpy_fixtures.py

Output: gen-core/src/test/resources/io/gen4j/core/io/numpy/, plus manifest.json listing for every
array file its dtype, shape and values (floats as their IEEE-754 bit patterns, so NaN, -0.0 and
infinities compare exactly). The Java tests (NpyTest, NpzTest, CsvTest) read the manifest; nothing
here runs during the build.
"""

import json
import os
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "io", "gen4j", "core", "io", "numpy")

VALUES = {
    "bool": [True, False, True, True, False, False],
    "int8": [-128, -1, 0, 1, 42, 127],
    "uint8": [0, 1, 127, 128, 200, 255],
    "int16": [-32768, -300, -1, 0, 5, 32767],
    "int32": [-2147483648, -70000, -1, 0, 65536, 2147483647],
    "int64": [-9223372036854775808, -4294967296, -1, 0, 1 << 40, 9223372036854775807],
    "float32": [0.0, -0.0, 1.5, -3.25e-8, float("inf"), float("nan")],
    "float64": [0.1, -0.0, 1e300, -2.5e-310, float("-inf"), float("nan")],
}

manifest = {}


def values_of(a):
    flat = a.reshape(-1)
    if a.dtype.kind == "f":
        bits = flat.astype(a.dtype.newbyteorder("<")).view("<i%d" % a.dtype.itemsize)
        return [int(b) for b in bits]
    if a.dtype.kind == "b":
        return [bool(b) for b in flat]
    return [int(v) for v in flat]


def record(name, a, **extra):
    entry = {"dtype": a.dtype.newbyteorder("=").name, "shape": list(a.shape), "values": values_of(a)}
    entry.update(extra)
    manifest[name] = entry


def save(name, a, **kwargs):
    path = os.path.join(OUT, name)
    if "version" in kwargs:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, a, version=kwargs.pop("version"))
    else:
        np.save(path, a)
    record(name, a, **kwargs)


os.makedirs(OUT, exist_ok=True)

# Every supported dtype, little-endian (what np.save writes on x86 and ARM), shape (2, 3).
for dtype, values in VALUES.items():
    a = np.array(values, dtype=dtype).reshape(2, 3)
    save("%s-le.npy" % dtype, a)
# Big-endian variants of the multi-byte types.
for dtype in ["int16", "int32", "int64", "float32", "float64"]:
    a = np.array(VALUES[dtype], dtype=np.dtype(dtype).newbyteorder(">")).reshape(3, 2)
    save("%s-be.npy" % dtype, a, byteorder="big")
# Header versions 2.0 and 3.0 (NumPy picks them for huge or non-Latin-1 headers; forced here).
v = np.arange(12, dtype="<f4").reshape(3, 4) / 4
save("float32-v2.npy", v, version=(2, 0))
save("float32-v3.npy", v, version=(3, 0))
# Shapes: scalar, empty, 1-D, 4-D.
save("scalar.npy", np.array(3.5, dtype="<f8"))
save("empty.npy", np.zeros((0, 2), dtype="<f4"))
save("vector.npy", np.arange(5, dtype="<i8"))
save("images.npy", np.arange(2 * 1 * 3 * 4, dtype=np.uint8).reshape(2, 1, 3, 4) * 10)
# Points as a user would save them: float64 by default.
points = np.random.default_rng(20261201).normal(size=(7, 2))
save("points-f8.npy", points)

# Files the reader must refuse.
np.save(os.path.join(OUT, "fortran.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save(os.path.join(OUT, "object.npy"), np.array([1, "a", None], dtype=object), allow_pickle=True)
np.save(os.path.join(OUT, "structured.npy"), np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save(os.path.join(OUT, "float16.npy"), np.array([1.0, 2.0], dtype="<f2"))
np.save(os.path.join(OUT, "unicode.npy"), np.array(["ab", "c"]))

# .npz: stored (np.savez) and deflated (np.savez_compressed), named and positional.
x = np.arange(6, dtype="<f4").reshape(3, 2) - 2.5
y = np.array([2, 0, 1], dtype="<i8")
np.savez(os.path.join(OUT, "named-stored.npz"), x=x, y=y)
np.savez_compressed(os.path.join(OUT, "named-deflated.npz"), x=x, y=y)
np.savez(os.path.join(OUT, "positional.npz"), x, y)
np.savez(os.path.join(OUT, "single.npz"), points=points)
np.savez(os.path.join(OUT, "big-endian.npz"), z=np.array([1.25, -2.0], dtype=">f8"))
for name, a in [("x", x), ("y", y), ("points", points)]:
    record("npz:" + name, a)
record("npz:z", np.array([1.25, -2.0], dtype=">f8"))
for f in ["named-stored.npz", "named-deflated.npz", "positional.npz", "single.npz", "big-endian.npz"]:
    with zipfile.ZipFile(os.path.join(OUT, f)) as z:
        manifest[f] = {
            "entries": [i.filename for i in z.infolist()],
            "compression": sorted({i.compress_type for i in z.infolist()}),
        }

# CSV of points: numpy.savetxt with a plain header line, and whitespace-separated with a # comment.
np.savetxt(os.path.join(OUT, "points-header.csv"), points, delimiter=",", header="x,y", comments="")
np.savetxt(os.path.join(OUT, "points-spaces.txt"), points, header="x y")

manifest["numpy"] = np.__version__
with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT))
