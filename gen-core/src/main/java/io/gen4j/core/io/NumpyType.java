package io.gen4j.core.io;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The NumPy element types that gen4j's array files read and write: the closed set of the {@code
 * .npy} format's {@code descr} codes that map onto DJL data types.
 *
 * <p>Each constant knows its code ({@code "f4"}), its size in bytes and the DJL {@link DataType} its
 * arrays become. One exception: {@link #INT16} becomes {@link DataType#INT32}, because DJL 0.36's
 * PyTorch engine aborts the whole process (libtorch {@code terminate}) when asked for an int16
 * tensor; the values are widened exactly.
 *
 * <p>Not supported (the readers say so, naming the file): float16, unsigned 16/32/64-bit integers,
 * complex numbers, strings, structured and object ({@code '|O'}, pickled) arrays.
 */
public enum NumpyType {
    /** {@code '|b1'}: one byte per element, 0 or 1. */
    BOOL("b1", 1, DataType.BOOLEAN),
    /** {@code '|i1'}: signed byte. */
    INT8("i1", 1, DataType.INT8),
    /** {@code '|u1'}: unsigned byte, the type of 8-bit images. */
    UINT8("u1", 1, DataType.UINT8),
    /** {@code 'i2'}: 16-bit signed integer, read into int32 arrays (see the class comment). */
    INT16("i2", 2, DataType.INT32),
    /** {@code 'i4'}: 32-bit signed integer. */
    INT32("i4", 4, DataType.INT32),
    /** {@code 'i8'}: 64-bit signed integer, NumPy's default integer. */
    INT64("i8", 8, DataType.INT64),
    /** {@code 'f4'}: IEEE-754 single precision, the type models compute in. */
    FLOAT32("f4", 4, DataType.FLOAT32),
    /** {@code 'f8'}: IEEE-754 double precision, NumPy's default float. */
    FLOAT64("f8", 8, DataType.FLOAT64);

    private final String code;
    private final int itemSize;
    private final DataType dataType;

    NumpyType(String code, int itemSize, DataType dataType) {
        this.code = code;
        this.itemSize = itemSize;
        this.dataType = dataType;
    }

    /** @return the kind and size without byte order, e.g. {@code "f4"} */
    public String code() {
        return code;
    }

    /** @return bytes per element */
    public int itemSize() {
        return itemSize;
    }

    /** @return the DJL type arrays of this type become ({@code INT32} for {@link #INT16}) */
    public DataType dataType() {
        return dataType;
    }

    /** @return true for the two float types */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * The {@code descr} written into little-endian {@code .npy} headers: {@code '|'} for one-byte
     * types, {@code '<'} otherwise ({@code "<f4"}, {@code "|u1"}).
     *
     * @return the descriptor
     */
    public String littleEndianDescr() {
        return (itemSize == 1 ? "|" : "<") + code;
    }

    /**
     * The type of a code without byte order.
     *
     * @param code e.g. {@code "f4"}
     * @return the type, or {@code null} when the code is not supported
     */
    static NumpyType ofCode(String code) {
        for (NumpyType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The NumPy type that stores a DJL array without loss.
     *
     * @param dataType a DJL type
     * @return the matching NumPy type
     * @throws IllegalArgumentException for DJL types with no supported NumPy counterpart (float16,
     *     bfloat16, unsigned 16/32/64-bit, complex, string): convert the array first
     */
    public static NumpyType of(DataType dataType) {
        return switch (dataType) {
            case BOOLEAN -> BOOL;
            case INT8 -> INT8;
            case UINT8 -> UINT8;
            case INT16 -> INT16;
            case INT32 -> INT32;
            case INT64 -> INT64;
            case FLOAT32 -> FLOAT32;
            case FLOAT64 -> FLOAT64;
            default -> throw new IllegalArgumentException(
                    "arrays of type "
                            + dataType
                            + " cannot be stored as .npy; convert with toType(...) to one of "
                            + supported());
        };
    }

    /** @return the supported types as NumPy names, for error messages */
    static String supported() {
        return Arrays.stream(values())
                .map(t -> t == BOOL ? "bool" : t.name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
