package io.gen4j.core.io;

import ai.djl.nn.Block;
import io.gen4j.core.train.Stateful;
import io.gen4j.core.train.TrainingState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes one checkpoint file: the parameters of every named block of a {@link
 * TrainingState}, the state of every named {@link Stateful} part (optimizer moments and counts,
 * EMA shadows), and a {@link CheckpointInfo} (step, source position, seed, config JSON).
 *
 * <p><b>Format</b> (big-endian): magic {@code GEN4JCKP}, version, step, source position, seed,
 * config; then {@code (name, length, bytes)} for each block ({@code Block.saveParameters}, which
 * round-trips bit-exactly) and for each stateful part; then the CRC-32 of everything before it
 * and the end magic {@code GEN4JEND}. A file without a matching checksum and end magic is rejected
 * with {@link CorruptCheckpointException}.
 *
 * <p><b>Atomicity</b>: {@link #write} writes to a temporary file in the target's directory,
 * forces it to disk, renames it onto the target with an atomic move and forces the directory. A
 * crash at any moment leaves either the old file set or the new one; a temporary file is never
 * named like a checkpoint.
 *
 * <p>Memory: a block's parameters are serialised into a byte array before they are written, and a
 * file is read whole before it is checked; a checkpoint briefly needs its own size in heap.
 */
public final class Checkpoint {

    private static final byte[] MAGIC = "GEN4JCKP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "GEN4JEND".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Suffix of temporary files; never a checkpoint. */
    static final String TEMP_SUFFIX = AtomicFiles.TEMP_SUFFIX;

    private Checkpoint() {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param file the target file (its directory must exist)
     * @param state the networks and stateful parts to save
     * @param info step, source position, seed and config
     * @throws IOException when writing fails; the target is then unchanged and the temporary file
     *     removed
     */
    public static void write(Path file, TrainingState state, CheckpointInfo info)
            throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            writePayload(out, state, info);
            out.flush();
            DataOutputStream tail = new DataOutputStream(raw);
            tail.writeLong(crc.getValue());
            tail.write(END);
            tail.flush();
        });
    }

    private static void writePayload(DataOutputStream out, TrainingState state,
            CheckpointInfo info) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(info.step());
        out.writeLong(info.sourcePosition());
        out.writeLong(info.seed());
        writeBytes(out, info.configJson().getBytes(StandardCharsets.UTF_8));
        out.writeInt(state.blocks().size());
        for (Map.Entry<String, Block> e : state.blocks().entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            e.getValue().saveParameters(new DataOutputStream(bytes));
            writeBytes(out, bytes.toByteArray());
        }
        out.writeInt(state.stateful().size());
        for (Map.Entry<String, Stateful> e : state.stateful().entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            e.getValue().saveState(d);
            d.flush();
            writeBytes(out, bytes.toByteArray());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads only the {@link CheckpointInfo} of a file, after checking it is complete.
     *
     * @param file the checkpoint
     * @return its info
     * @throws IOException when the file cannot be read or is not a valid checkpoint
     */
    public static CheckpointInfo readInfo(Path file) throws IOException {
        DataInputStream in = open(file);
        return readHeader(in, file);
    }

    /**
     * Loads a checkpoint into a state with the same names: replaces every block's parameters
     * (old parameter arrays are closed, gradients re-enabled on trainable ones) and every stateful
     * part's state.
     *
     * @param file the checkpoint
     * @param state the state to restore into
     * @return the checkpoint's info (seek the batch source to its position)
     * @throws IOException when the file is corrupt or does not match the state
     */
    public static CheckpointInfo load(Path file, TrainingState state) throws IOException {
        DataInputStream in = open(file);
        CheckpointInfo info = readHeader(in, file);
        int blocks = in.readInt();
        if (blocks != state.blocks().size()) {
            throw new IOException(file + " has " + blocks + " blocks, the state has "
                    + state.blocks().keySet());
        }
        for (int i = 0; i < blocks; i++) {
            String name = new String(readBytes(in), StandardCharsets.UTF_8);
            Block block = state.blocks().get(name);
            if (block == null) {
                throw new IOException(file + " has block '" + name + "', the state has "
                        + state.blocks().keySet());
            }
            BlockParameters.load(block, readBytes(in), "block '" + name + "' of " + file);
        }
        int parts = in.readInt();
        if (parts != state.stateful().size()) {
            throw new IOException(file + " has " + parts + " stateful parts, the state has "
                    + state.stateful().keySet());
        }
        for (int i = 0; i < parts; i++) {
            String name = new String(readBytes(in), StandardCharsets.UTF_8);
            Stateful part = state.stateful().get(name);
            if (part == null) {
                throw new IOException(file + " has stateful part '" + name
                        + "', the state has " + state.stateful().keySet());
            }
            part.loadState(new DataInputStream(new ByteArrayInputStream(readBytes(in))));
        }
        return info;
    }

    private static DataInputStream open(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int tail = Long.BYTES + END.length;
        if (all.length < MAGIC.length + tail
                || !Arrays.equals(Arrays.copyOfRange(all, 0, MAGIC.length), MAGIC)) {
            throw new CorruptCheckpointException(file, "no gen4j checkpoint header");
        }
        if (!Arrays.equals(Arrays.copyOfRange(all, all.length - END.length, all.length), END)) {
            throw new CorruptCheckpointException(file, "truncated (no end marker)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - tail);
        long stored = ByteBuffer.wrap(all, all.length - tail, Long.BYTES).getLong();
        if (stored != crc.getValue()) {
            throw new CorruptCheckpointException(file, "checksum mismatch");
        }
        return new DataInputStream(new ByteArrayInputStream(all, 0, all.length - tail));
    }

    private static CheckpointInfo readHeader(DataInputStream in, Path file) throws IOException {
        in.readFully(new byte[MAGIC.length]);
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(file + " has format version " + version + ", this reader "
                    + "supports " + VERSION);
        }
        long step = in.readLong();
        long position = in.readLong();
        long seed = in.readLong();
        String config = new String(readBytes(in), StandardCharsets.UTF_8);
        return new CheckpointInfo(step, position, seed, config);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
