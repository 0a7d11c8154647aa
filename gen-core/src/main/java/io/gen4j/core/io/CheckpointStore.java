package io.gen4j.core.io;

import io.gen4j.core.data.BatchSource;
import io.gen4j.core.train.Checkpointer;
import io.gen4j.core.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run in a directory: {@code step-0000001000.ckpt}, ..., keeping the last
 * K. It is the {@link Checkpointer} that {@code Fit} calls, and it resumes a run from the newest
 * valid checkpoint.
 *
 * <p>Resume:
 *
 * <pre>{@code
 * CheckpointStore store = new CheckpointStore(run.checkpoints(), 3, step.state(), source, seed, configJson);
 * Fit.builder()...optSeed(seed).optCheckpointEvery(1000, store).optResume(true).build().run();
 * }</pre>
 *
 * (or by hand: {@code store.resumeLatest()} and {@code optStartStep} with its step).
 *
 * The random state is the pair (seed, step): {@code Fit} re-seeds the engine at every step with
 * {@code Fit.stepSeed(seed, step)}, and the batch source carries its own seeded generator and
 * position. So the checkpoint holds the seed and the source position, and a resumed run draws the
 * same numbers as the uninterrupted run.
 */
public final class CheckpointStore implements Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("step-(\\d{10})\\.ckpt");

    private final Path dir;
    private final int keepLast;
    private final TrainingState state;
    private final BatchSource source;
    private final long seed;
    private final String configJson;

    /**
     * @param dir the directory (created when missing)
     * @param keepLast how many checkpoints to keep, &gt;= 1
     * @param state what to save and restore
     * @param source the batch source whose position is saved and restored; may be null
     * @param seed the run's seed, saved for reference and checked on resume
     * @param configJson the run's configuration as JSON
     * @throws UncheckedIOException when the directory cannot be created
     */
    public CheckpointStore(Path dir, int keepLast, TrainingState state, BatchSource source,
            long seed, String configJson) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.dir = Objects.requireNonNull(dir, "dir");
        this.keepLast = keepLast;
        this.state = Objects.requireNonNull(state, "state");
        this.source = source;
        this.seed = seed;
        this.configJson = Objects.requireNonNull(configJson, "configJson");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
        }
    }

    /**
     * @param step completed steps
     * @return the file name of the checkpoint of that step
     */
    public static String fileName(long step) {
        return String.format(Locale.ROOT, "step-%010d.ckpt", step);
    }

    @Override
    public Path save(long completedSteps) throws IOException {
        Path file = dir.resolve(fileName(completedSteps));
        long position = source == null ? -1 : source.position();
        Checkpoint.write(file, state, new CheckpointInfo(completedSteps, position, seed,
                configJson));
        LOG.info("checkpoint {} written", file);
        prune();
        return file;
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    /**
     * @return the checkpoint files in the directory, oldest first (by step; not validated)
     * @throws IOException when the directory cannot be listed
     */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint name: " + p);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * @return the newest checkpoint that passes the integrity check, if any
     * @throws IOException when the directory cannot be listed
     */
    public Optional<Path> latestValid() throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                Checkpoint.readInfo(all.get(i));
                return Optional.of(all.get(i));
            } catch (IOException e) {
                LOG.warn("skipping {}: {}", all.get(i), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Restores the state and the source position from the newest valid checkpoint.
     *
     * @return its info, or empty when there is no valid checkpoint (a fresh run)
     * @throws IOException when a valid checkpoint does not fit the state
     */
    public Optional<CheckpointInfo> resumeLatest() throws IOException {
        Optional<Path> latest = latestValid();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        CheckpointInfo info = Checkpoint.load(latest.get(), state);
        if (info.seed() != seed) {
            LOG.warn("checkpoint seed {} differs from the run's seed {}: the resumed run will not"
                    + " repeat the original one", info.seed(), seed);
        }
        if (source != null && info.sourcePosition() >= 0) {
            source.seek(info.sourcePosition());
        }
        LOG.info("resumed from {} at step {}", latest.get(), info.step());
        return Optional.of(info);
    }

    @Override
    public OptionalLong restoreLatest() throws IOException {
        Optional<CheckpointInfo> info = resumeLatest();
        return info.isPresent() ? OptionalLong.of(info.get().step()) : OptionalLong.empty();
    }

    /** @return the directory */
    public Path directory() {
        return dir;
    }
}
