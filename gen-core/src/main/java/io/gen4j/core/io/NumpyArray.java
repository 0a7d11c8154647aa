package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array held in Java memory with a NumPy element type: what {@link Npy}, {@link
 * Npz}, {@link Csv} and {@link ArrayFiles} read and write, with no engine involved.
 *
 * <p>Elements are stored in C order (row-major) as little-endian bytes whatever byte order the file
 * had; {@link #toNDArray(NDManager)} is the boundary to DJL and {@link #of(NDArray)} the way back.
 * Conversions between types ({@link #asType}) follow NumPy's {@code astype} for values in range:
 * floats to integers truncate toward zero, integers wrap modulo the width of the target. Images go
 * to 8 bits with {@link #toPixels(PixelRange)} instead, which rounds and clamps.
 *
 * <p>The data of one array must fit in one Java array (less than 2 GiB). Instances are immutable
 * once built: constructors and {@code of(...)} copy or take ownership of their input.
 */
public final class NumpyArray {

    private final NumpyType type;
    private final Shape shape;
    private final byte[] data;

    /**
     * Wraps little-endian, C-order bytes (taken as they are, not copied: do not change them
     * afterwards).
     *
     * @param type the element type
     * @param shape the shape; {@code new Shape()} for a scalar, dimensions of 0 allowed
     * @param littleEndianData exactly {@code shape.size() * type.itemSize()} bytes
     */
    public NumpyArray(NumpyType type, Shape shape, byte[] littleEndianData) {
        this.type = Objects.requireNonNull(type, "type");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.data = Objects.requireNonNull(littleEndianData, "littleEndianData");
        long expected = byteCount(type, shape);
        if (expected != littleEndianData.length) {
            throw new IllegalArgumentException(
                    "a "
                            + type.name().toLowerCase(java.util.Locale.ROOT)
                            + " array of shape "
                            + shape
                            + " needs "
                            + expected
                            + " bytes, got "
                            + littleEndianData.length);
        }
    }

    /**
     * @param values the elements in C order (copied)
     * @param shape their shape
     * @return a float32 array
     */
    public static NumpyArray of(float[] values, Shape shape) {
        ByteBuffer b = allocate(values.length, 4);
        b.asFloatBuffer().put(values);
        return new NumpyArray(NumpyType.FLOAT32, shape, b.array());
    }

    /**
     * @param values the elements in C order (copied)
     * @param shape their shape
     * @return a float64 array
     */
    public static NumpyArray of(double[] values, Shape shape) {
        ByteBuffer b = allocate(values.length, 8);
        b.asDoubleBuffer().put(values);
        return new NumpyArray(NumpyType.FLOAT64, shape, b.array());
    }

    /**
     * A vector, e.g. per-example log-likelihoods.
     *
     * @param values the elements (copied)
     * @return a float64 array of shape (N)
     */
    public static NumpyArray of(double[] values) {
        return of(values, new Shape(values.length));
    }

    /**
     * @param values the elements in C order (copied)
     * @param shape their shape
     * @return an int32 array
     */
    public static NumpyArray of(int[] values, Shape shape) {
        ByteBuffer b = allocate(values.length, 4);
        b.asIntBuffer().put(values);
        return new NumpyArray(NumpyType.INT32, shape, b.array());
    }

    /**
     * @param values the elements in C order (copied)
     * @param shape their shape
     * @return an int64 array
     */
    public static NumpyArray of(long[] values, Shape shape) {
        ByteBuffer b = allocate(values.length, 8);
        b.asLongBuffer().put(values);
        return new NumpyArray(NumpyType.INT64, shape, b.array());
    }

    /**
     * Copies an NDArray into Java memory, keeping its type and shape. No engine operation runs (the
     * bytes are read with {@link NDArray#toByteBuffer()}), so nothing is allocated in any manager.
     *
     * @param array the array, of a type {@link NumpyType#of(ai.djl.ndarray.types.DataType)} accepts
     * @return the copy
     */
    public static NumpyArray of(NDArray array) {
        NumpyType type = NumpyType.of(array.getDataType());
        ByteBuffer buffer = array.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            swapBytes(bytes, type.itemSize());
        }
        return new NumpyArray(type, array.getShape(), bytes);
    }

    /** @return the element type */
    public NumpyType type() {
        return type;
    }

    /** @return the shape */
    public Shape shape() {
        return shape;
    }

    /** @return the number of elements */
    public long size() {
        return shape.size();
    }

    /**
     * @param index a flat C-order index in {@code [0, size())}
     * @return the element as a double (bools as 0 or 1; int64 beyond 2⁵³ rounded)
     */
    public double getDouble(long index) {
        return doubleAt(littleEndian(), checkedIndex(index));
    }

    /**
     * @param index a flat C-order index in {@code [0, size())}
     * @return the element as a long (floats truncated toward zero)
     */
    public long getLong(long index) {
        return longAt(littleEndian(), checkedIndex(index));
    }

    private double doubleAt(ByteBuffer b, int i) {
        return switch (type) {
            case BOOL -> data[i] != 0 ? 1.0 : 0.0;
            case INT8 -> data[i];
            case UINT8 -> data[i] & 0xFF;
            case INT16 -> b.getShort(i * 2);
            case INT32 -> b.getInt(i * 4);
            case INT64 -> b.getLong(i * 8);
            case FLOAT32 -> b.getFloat(i * 4);
            case FLOAT64 -> b.getDouble(i * 8);
        };
    }

    private long longAt(ByteBuffer b, int i) {
        return switch (type) {
            case BOOL -> data[i] != 0 ? 1 : 0;
            case INT8 -> data[i];
            case UINT8 -> data[i] & 0xFF;
            case INT16 -> b.getShort(i * 2);
            case INT32 -> b.getInt(i * 4);
            case INT64 -> b.getLong(i * 8);
            case FLOAT32 -> (long) b.getFloat(i * 4);
            case FLOAT64 -> (long) b.getDouble(i * 8);
        };
    }

    /** @return the elements as floats, C order */
    public float[] toFloatArray() {
        float[] out = new float[(int) size()];
        if (type == NumpyType.FLOAT32) {
            littleEndian().asFloatBuffer().get(out);
        } else {
            ByteBuffer b = littleEndian();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) doubleAt(b, i);
            }
        }
        return out;
    }

    /** @return the elements as doubles, C order */
    public double[] toDoubleArray() {
        double[] out = new double[(int) size()];
        if (type == NumpyType.FLOAT64) {
            littleEndian().asDoubleBuffer().get(out);
        } else {
            ByteBuffer b = littleEndian();
            for (int i = 0; i < out.length; i++) {
                out[i] = doubleAt(b, i);
            }
        }
        return out;
    }

    /**
     * The elements as ints, for labels.
     *
     * @return the elements, C order
     * @throws IllegalStateException when the array holds floats, or integers outside the int range
     */
    public int[] toIntArray() {
        if (type.isFloating()) {
            throw new IllegalStateException(
                    "expected an integer array, got " + this + "; convert with asType(NumpyType.INT32)");
        }
        int[] out = new int[(int) size()];
        ByteBuffer b = littleEndian();
        for (int i = 0; i < out.length; i++) {
            long v = longAt(b, i);
            if (v != (int) v) {
                throw new IllegalStateException(
                        "element " + i + " of " + this + " is " + v + ", outside the int range");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * Converts the elements to another type, like NumPy's {@code astype}: floats to integers
     * truncate toward zero, integers wrap modulo the target width, anything non-zero is {@code
     * true}.
     *
     * @param target the new type
     * @return this array when it already has that type, else a converted copy
     */
    public NumpyArray asType(NumpyType target) {
        if (target == type) {
            return this;
        }
        int n = (int) size();
        ByteBuffer b = allocate(n, target.itemSize());
        ByteBuffer in = littleEndian();
        for (int i = 0; i < n; i++) {
            switch (target) {
                case BOOL -> b.put(i, (byte) (doubleAt(in, i) != 0 ? 1 : 0));
                case INT8, UINT8 -> b.put(i, (byte) longAt(in, i));
                case INT16 -> b.putShort(i * 2, (short) longAt(in, i));
                case INT32 -> b.putInt(i * 4, (int) longAt(in, i));
                case INT64 -> b.putLong(i * 8, longAt(in, i));
                case FLOAT32 -> b.putFloat(i * 4, (float) doubleAt(in, i));
                case FLOAT64 -> b.putDouble(i * 8, doubleAt(in, i));
            }
        }
        return new NumpyArray(target, shape, b.array());
    }

    /**
     * Quantises float images to 8-bit pixels: each value maps to {@link PixelRange#toPixel(float)}
     * (rounded to the nearest level, values outside the range clamped). Save samples this way for
     * image viewers and for {@code gen4j eval}.
     *
     * @param range the range the floats are in, e.g. {@link PixelRange#MINUS_ONE_ONE} for a DDPM
     * @return a uint8 array of the same shape
     */
    public NumpyArray toPixels(PixelRange range) {
        Objects.requireNonNull(range, "range");
        int n = (int) size();
        byte[] pixels = new byte[n];
        ByteBuffer b = littleEndian();
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) range.toPixel((float) doubleAt(b, i));
        }
        return new NumpyArray(NumpyType.UINT8, shape, pixels);
    }

    /**
     * Creates the NDArray of this array, of type {@link NumpyType#dataType()} (int16 arrays become
     * int32).
     *
     * @param manager the manager that will own the array
     * @return the array
     */
    public NDArray toNDArray(NDManager manager) {
        if (type == NumpyType.INT16) {
            return asType(NumpyType.INT32).toNDArray(manager);
        }
        byte[] bytes = data;
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            bytes = data.clone();
            swapBytes(bytes, type.itemSize());
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        return manager.create(buffer, shape, type.dataType());
    }

    /** @return the little-endian bytes themselves (not a copy): for the writers of this package */
    byte[] littleEndianBytes() {
        return data;
    }

    /** @return a copy of the elements' bytes, little-endian, C order */
    public byte[] toLittleEndianBytes() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumpyArray other
                && type == other.type
                && shape.equals(other.shape)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, shape, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + " array " + shape;
    }

    /**
     * @param type an element type
     * @param shape a shape
     * @return the number of data bytes
     * @throws IllegalArgumentException when a dimension is negative or the total exceeds one Java
     *     array
     */
    static long byteCount(NumpyType type, Shape shape) {
        long count = type.itemSize();
        for (long d : shape.getShape()) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, got " + shape);
            }
            count = d == 0 ? 0 : multiplyCapped(count, d);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "an array of shape " + shape + " and type " + type
                            + " exceeds the 2 GiB of one Java array");
        }
        return count;
    }

    private static long multiplyCapped(long a, long b) {
        long r = a * b;
        return (a != 0 && (r / a != b || r < 0)) ? Long.MAX_VALUE : r;
    }

    /** Reverses the byte order of every item in place. */
    static void swapBytes(byte[] bytes, int itemSize) {
        if (itemSize == 1) {
            return;
        }
        for (int i = 0; i < bytes.length; i += itemSize) {
            for (int lo = i, hi = i + itemSize - 1; lo < hi; lo++, hi--) {
                byte t = bytes[lo];
                bytes[lo] = bytes[hi];
                bytes[hi] = t;
            }
        }
    }

    private ByteBuffer littleEndian() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int checkedIndex(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(
                    "index must be in [0, " + size() + "), got " + index);
        }
        return (int) index;
    }

    private static ByteBuffer allocate(int count, int itemSize) {
        long bytes = (long) count * itemSize;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    count + " elements of " + itemSize + " bytes exceed the 2 GiB of one Java array");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
