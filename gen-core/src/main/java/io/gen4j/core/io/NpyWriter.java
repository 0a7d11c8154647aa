package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@code .npy} file chunk by chunk along its first axis, so that N samples never have to
 * be in memory at once: the streaming twin of {@link Npy#write}.
 *
 * <p>The header is written first with a row count of 0 and rewritten by {@link #close()} with the
 * rows appended. Both headers have the same length because NumPy's header keeps 21 − digits spare
 * spaces for exactly this purpose, so the finished file is byte-for-byte what {@code np.save} writes
 * for the whole array. A file whose writer was never closed reads as an array of 0 rows followed by
 * extra bytes, which {@link Npy#read} rejects: an interrupted run cannot pass for a complete one.
 *
 * <pre>{@code
 * try (NpyWriter out = NpyWriter.create(Path.of("samples.npy"), NumpyType.FLOAT32, new Shape(2))) {
 *     new ChunkedSampleable(flow, 1000).sampleTo(manager, 10_000, out::append);
 * }
 * }</pre>
 *
 * <p>Chunks are converted to the file's type: {@link #append(NDArray)} with {@link
 * NumpyArray#asType}, or, for a writer made by {@link #images}, by quantising floats with the
 * writer's {@link PixelRange}.
 */
public final class NpyWriter implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(NpyWriter.class);

    private final Path file;
    private final NumpyType type;
    private final Shape rowShape;
    private final PixelRange pixelRange;
    private final FileChannel channel;
    private final int headerLength;
    private long rows;
    private boolean closed;

    private NpyWriter(Path file, NumpyType type, Shape rowShape, PixelRange pixelRange)
            throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.type = Objects.requireNonNull(type, "type");
        this.rowShape = Objects.requireNonNull(rowShape, "rowShape");
        this.pixelRange = pixelRange;
        for (long d : rowShape.getShape()) {
            if (d < 0) {
                throw new IllegalArgumentException("rowShape dimensions must be >= 0, got " + rowShape);
            }
        }
        this.channel = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        byte[] header = header(0);
        this.headerLength = header.length;
        writeFully(ByteBuffer.wrap(header), 0);
    }

    /**
     * Creates (or replaces) a file of rows of the given type and shape.
     *
     * @param file the destination
     * @param type the element type of the file
     * @param rowShape the shape of one row, e.g. {@code new Shape(2)} for 2-D points, {@code new
     *     Shape()} for a vector of scalars
     * @return the writer, at 0 rows
     * @throws IOException when the file cannot be created
     */
    public static NpyWriter create(Path file, NumpyType type, Shape rowShape) throws IOException {
        return new NpyWriter(file, type, rowShape, null);
    }

    /**
     * Creates (or replaces) a file of 8-bit images: float chunks are quantised with {@link
     * NumpyArray#toPixels(PixelRange)}, uint8 chunks are written as they are.
     *
     * @param file the destination
     * @param imageShape the shape of one image, e.g. {@code new Shape(1, 28, 28)}
     * @param range the range of the float images, e.g. {@link PixelRange#MINUS_ONE_ONE}
     * @return the writer, at 0 images
     * @throws IOException when the file cannot be created
     */
    public static NpyWriter images(Path file, Shape imageShape, PixelRange range)
            throws IOException {
        return new NpyWriter(file, NumpyType.UINT8, imageShape, Objects.requireNonNull(range, "range"));
    }

    /**
     * Appends the rows of a chunk.
     *
     * @param chunk shape (k, rowShape...)
     * @throws IllegalArgumentException when the chunk's rows do not have the writer's row shape
     * @throws IOException when writing fails
     */
    public void append(NumpyArray chunk) throws IOException {
        if (closed) {
            throw new IllegalStateException("the writer of " + file + " is closed");
        }
        Shape shape = chunk.shape();
        if (shape.dimension() != rowShape.dimension() + 1
                || !Arrays.equals(shape.slice(1).getShape(), rowShape.getShape())) {
            throw new IllegalArgumentException(
                    "chunk must have shape (k" + dims(rowShape) + "), got " + shape);
        }
        NumpyArray converted = pixelRange != null && chunk.type() != NumpyType.UINT8
                ? chunk.toPixels(pixelRange)
                : chunk.asType(type);
        long position = headerLength + rows * rowBytes();
        writeFully(ByteBuffer.wrap(converted.littleEndianBytes()), position);
        rows += shape.get(0);
    }

    /**
     * Appends the rows of an NDArray chunk (copied to Java memory; no engine operation runs).
     *
     * @param chunk shape (k, rowShape...)
     * @throws IOException when writing fails
     */
    public void append(NDArray chunk) throws IOException {
        append(NumpyArray.of(chunk));
    }

    /** @return the number of rows appended so far */
    public long rows() {
        return rows;
    }

    /** @return the file written */
    public Path file() {
        return file;
    }

    /**
     * Rewrites the header with the number of rows appended and closes the file.
     *
     * @throws IOException when writing fails
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            byte[] header = header(rows);
            if (header.length != headerLength) {
                throw new IOException(
                        file + ": header grew from " + headerLength + " to " + header.length
                                + " bytes");
            }
            writeFully(ByteBuffer.wrap(header), 0);
        } finally {
            channel.close();
        }
        LOG.debug("wrote {}: {} rows of {} {}", file, rows, type, rowShape);
    }

    private byte[] header(long n) {
        long[] dims = new long[rowShape.dimension() + 1];
        dims[0] = n;
        System.arraycopy(rowShape.getShape(), 0, dims, 1, rowShape.dimension());
        return new NpyHeader(type, ByteOrder.LITTLE_ENDIAN, new Shape(dims)).encode();
    }

    private long rowBytes() {
        long bytes = type.itemSize();
        for (long d : rowShape.getShape()) {
            bytes *= d;
        }
        return bytes;
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            p += channel.write(buffer, p);
        }
    }

    private static String dims(Shape s) {
        StringBuilder out = new StringBuilder();
        for (long d : s.getShape()) {
            out.append(", ").append(d);
        }
        return out.toString();
    }
}
