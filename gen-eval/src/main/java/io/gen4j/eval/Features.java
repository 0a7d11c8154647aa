package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A matrix of feature vectors, one row per sample, held in {@code double} on the Java heap.
 *
 * <p>Features come out of a {@link FeatureExtractor} (Inception pool features, classifier
 * penultimate activations, CLIP embeddings) and go into every metric of this package. Rows are
 * stored row-major in one array: element (i, j) is {@code data[i * dim + j]}.
 *
 * @param count number of rows N, at least 1
 * @param dim feature dimension d, at least 1
 * @param data row-major values, length {@code count * dim}
 */
public record Features(int count, int dim, double[] data) {

    /** Validates the shape. */
    public Features {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        if (data == null || data.length != (long) count * dim) {
            throw new IllegalArgumentException(
                    "data length must be count * dim = " + ((long) count * dim) + ", got "
                            + (data == null ? "null" : data.length));
        }
    }

    /**
     * Copies a rectangular array.
     *
     * @param rows N rows of equal length d
     * @return the features
     */
    public static Features of(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows must not be empty");
        }
        int d = rows[0].length;
        double[] data = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException(
                        "row " + i + " has length " + rows[i].length + ", expected " + d);
            }
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new Features(rows.length, d, data);
    }

    /**
     * Copies a 2-D array of any numeric type into doubles.
     *
     * @param array shape (N, d)
     * @return the features
     */
    public static Features fromNDArray(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("features must have shape (N, d), got " + shape);
        }
        double[] data;
        if (array.getDataType() == DataType.FLOAT64) {
            data = array.toDoubleArray();
        } else {
            try (NDArray f64 = array.toType(DataType.FLOAT64, true)) {
                data = f64.toDoubleArray();
            }
        }
        return new Features((int) shape.get(0), (int) shape.get(1), data);
    }

    /**
     * Concatenates feature matrices of the same dimension row-wise.
     *
     * @param parts one or more matrices
     * @return all rows, in order
     */
    public static Features concat(java.util.List<Features> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts must not be empty");
        }
        int d = parts.get(0).dim();
        int n = 0;
        for (Features p : parts) {
            if (p.dim() != d) {
                throw new IllegalArgumentException("dimensions differ: " + d + " vs " + p.dim());
            }
            n += p.count();
        }
        double[] data = new double[n * d];
        int offset = 0;
        for (Features p : parts) {
            System.arraycopy(p.data(), 0, data, offset, p.data().length);
            offset += p.data().length;
        }
        return new Features(n, d, data);
    }

    /**
     * @param i row index
     * @return a copy of row i
     */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    /**
     * @param i row index
     * @param j column index
     * @return element (i, j)
     */
    public double get(int i, int j) {
        return data[i * dim + j];
    }

    /**
     * Selects rows.
     *
     * @param indices row indices, in the order wanted
     * @return a new matrix with {@code indices.length} rows
     */
    public Features rows(int[] indices) {
        double[] out = new double[indices.length * dim];
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("row " + i + " not in [0, " + count + ")");
            }
            System.arraycopy(data, i * dim, out, r * dim, dim);
        }
        return new Features(indices.length, dim, out);
    }

    /**
     * Selects a contiguous block of rows.
     *
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return a new matrix with {@code to - from} rows
     */
    public Features rows(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IndexOutOfBoundsException(
                    "row range [" + from + ", " + to + ") not a non-empty part of [0, " + count + ")");
        }
        return new Features(to - from, dim, Arrays.copyOfRange(data, from * dim, to * dim));
    }

    /**
     * Multiplies every value by a constant.
     *
     * @param c the factor
     * @return a new matrix
     */
    public Features scale(double c) {
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] * c;
        }
        return new Features(count, dim, out);
    }

    /**
     * Builds a float64 array of rows {@code [from, to)} in the given manager.
     *
     * @param manager owner of the result
     * @param from first row, inclusive
     * @param to last row, exclusive
     * @return shape (to - from, d), float64
     */
    public NDArray toNDArray(NDManager manager, int from, int to) {
        double[] block = (from == 0 && to == count) ? data : Arrays.copyOfRange(data, from * dim, to * dim);
        return manager.create(block, new Shape(to - from, dim));
    }

    /**
     * @param manager owner of the result
     * @return all rows as a float64 array of shape (N, d)
     */
    public NDArray toNDArray(NDManager manager) {
        return toNDArray(manager, 0, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Features f && f.count == count && f.dim == dim && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * count + dim) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Features[count=" + count + ", dim=" + dim + "]";
    }
}
