package io.gen4j.core.viz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes mono 16-bit PCM WAV files (RIFF/WAVE, a 16-byte {@code fmt } chunk with format 1, then
 * {@code data}), for generated audio (WaveNet samples, synthetic audio sets).
 *
 * <p>Samples are floats in [-1, 1], stored as {@code round(32767 x)}; values outside are clipped.
 */
public final class WavWriter {

    /** Size of the header before the samples. */
    public static final int HEADER_BYTES = 44;

    private WavWriter() {}

    /**
     * @param samples the signal in [-1, 1]
     * @param sampleRate samples per second, &gt; 0
     * @param file the file (parent directories are created)
     * @throws IOException when writing fails
     */
    public static void writeMono16(float[] samples, int sampleRate, Path file) throws IOException {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be > 0, got " + sampleRate);
        }
        long dataBytes = 2L * samples.length;
        if (dataBytes + HEADER_BYTES - 8 > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(
                    "a WAV file holds at most 2^31 samples, got " + samples.length);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + (int) dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes));
        b.put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16);
        b.putShort((short) 1); // PCM
        b.putShort((short) 1); // mono
        b.putInt(sampleRate);
        b.putInt(sampleRate * 2); // byte rate
        b.putShort((short) 2); // block align
        b.putShort((short) 16); // bits per sample
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        for (float x : samples) {
            float clipped = Float.isNaN(x) ? 0f : Math.max(-1f, Math.min(1f, x));
            b.putShort((short) Math.round(clipped * 32767f));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(b.array());
        }
    }

    /**
     * @param samples a 1-D signal in [-1, 1] (any float type)
     * @param sampleRate samples per second
     * @param file the file
     * @throws IOException when writing fails
     */
    public static void writeMono16(NDArray samples, int sampleRate, Path file)
            throws IOException {
        if (samples.getShape().dimension() != 1) {
            throw new IllegalArgumentException("samples must be 1-D, got " + samples.getShape());
        }
        writeMono16(samples.toType(DataType.FLOAT32, false).toFloatArray(), sampleRate, file);
    }
}
