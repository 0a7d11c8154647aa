package io.gen4j.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a public dataset on this machine, and downloads it only when allowed, saying clearly what it
 * tried when nothing works.
 *
 * <p>Sources, in order:
 *
 * <ol>
 *   <li>{@link Source#EXPLICIT}: a directory given by the caller (a CLI {@code --data} option);
 *   <li>{@link Source#ENVIRONMENT}: the directory named by {@code GEN4J_MNIST}, {@code
 *       GEN4J_FASHION_MNIST} or {@code GEN4J_CIFAR10};
 *   <li>{@link Source#USER_CACHE}: {@code $GEN4J_HOME/datasets/<id>}, by default {@code
 *       ~/.gen4j/datasets/<id>};
 *   <li>{@link Source#SYSTEM}: {@code /usr/share/datasets/<id>} (where the Debian package {@code
 *       dataset-fashion-mnist} installs Fashion-MNIST);
 *   <li>{@link Source#DOWNLOAD}: DJL basicdataset (network), only with {@link
 *       Builder#optAllowDownload(boolean)}.
 * </ol>
 *
 * <p>A directory qualifies when it holds the files of the split under their standard names:
 * {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code
 * t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]} (also with a dot, {@code
 * train-images.idx3-ubyte}) for the IDX sets; the CIFAR batch files, directly or in a {@code
 * cifar-10-batches-bin} sub-directory, for CIFAR-10. The environment is injectable, so tests never
 * see the real one. {@link #probe()} and {@link #describe()} report what is findable without reading
 * any file.
 */
public final class DatasetResolver {

    private static final Logger LOGGER = LoggerFactory.getLogger(DatasetResolver.class);

    /** Where a dataset was (or could have been) found. */
    public enum Source {
        /** A directory given by the caller. */
        EXPLICIT,
        /** The directory named by the dataset's environment variable. */
        ENVIRONMENT,
        /** {@code $GEN4J_HOME/datasets/<id>} or {@code ~/.gen4j/datasets/<id>}. */
        USER_CACHE,
        /** A system dataset directory such as {@code /usr/share/datasets/<id>}. */
        SYSTEM,
        /** Downloaded through DJL basicdataset. */
        DOWNLOAD
    }

    /**
     * One place tried.
     *
     * @param source the kind of place
     * @param where the directory (or a description for the download)
     * @param reason why it failed, or {@code "found"}
     */
    public record Attempt(Source source, String where, String reason) {
        @Override
        public String toString() {
            return source.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + where + ": "
                    + reason;
        }
    }

    /**
     * Where the files of a split are.
     *
     * @param id the dataset
     * @param split the split
     * @param source where they were found
     * @param directory the directory holding them
     * @param files the files to read (images then labels for IDX; the batches for CIFAR-10)
     */
    public record Location(
            DatasetId id, Split split, Source source, Path directory, List<Path> files) {
        /** Copies the file list. */
        public Location {
            files = List.copyOf(files);
        }
    }

    /**
     * What {@link #probe()} found for one dataset and split.
     *
     * @param id the dataset
     * @param split the split
     * @param location where it is, if findable offline
     * @param attempts every place tried, in order
     */
    public record Probe(
            DatasetId id, Split split, Optional<Location> location, List<Attempt> attempts) {
        /** Copies the attempt list. */
        public Probe {
            attempts = List.copyOf(attempts);
        }
    }

    private final Map<String, String> environment;
    private final Path cacheRoot;
    private final List<Path> systemRoots;
    private final boolean allowDownload;

    private DatasetResolver(Builder builder) {
        this.environment = Map.copyOf(builder.environment);
        Path home = builder.gen4jHome;
        if (home == null) {
            String fromEnv = environment.get("GEN4J_HOME");
            home = fromEnv != null && !fromEnv.isBlank()
                    ? Paths.get(fromEnv)
                    : Paths.get(builder.userHome).resolve(".gen4j");
        }
        this.cacheRoot = home.resolve("datasets");
        this.systemRoots = List.copyOf(builder.systemRoots);
        this.allowDownload = builder.allowDownload;
    }

    /** @return a builder with the process environment, {@code ~/.gen4j} and no download */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a resolver with the defaults of {@link #builder()} */
    public static DatasetResolver defaults() {
        return builder().build();
    }

    /** @return the user-cache root, {@code <GEN4J_HOME>/datasets} */
    public Path cacheRoot() {
        return cacheRoot;
    }

    /**
     * Loads a split, from the first source that has it.
     *
     * @param id the dataset
     * @param split the split
     * @return the dataset
     * @throws DatasetNotFoundException when no source has it (the message lists what was tried)
     * @throws IOException when a found file is invalid ({@link DatasetFormatException})
     */
    public ImageDataset load(DatasetId id, Split split) throws IOException {
        return load(id, split, null);
    }

    /**
     * Loads a split, trying the explicit directory first.
     *
     * @param id the dataset
     * @param split the split
     * @param explicitDirectory a directory given by the user, or {@code null}
     * @return the dataset
     * @throws DatasetNotFoundException when no source has it (the message lists what was tried)
     * @throws IOException when a found file is invalid ({@link DatasetFormatException})
     */
    public ImageDataset load(DatasetId id, Split split, Path explicitDirectory)
            throws IOException {
        List<Attempt> attempts = new ArrayList<>();
        Optional<Location> location = search(id, split, explicitDirectory, attempts);
        if (location.isPresent()) {
            return read(location.get());
        }
        if (allowDownload) {
            LOGGER.info("{} {} not found locally; downloading through DJL basicdataset", id, split);
            return DjlDatasets.load(id, split, null);
        }
        throw notFound(id, split, attempts);
    }

    /**
     * Finds the files of a split without reading them.
     *
     * @param id the dataset
     * @param split the split
     * @param explicitDirectory a directory given by the user, or {@code null}
     * @return where they are
     * @throws DatasetNotFoundException when no local source has them (download is not attempted)
     */
    public Location locate(DatasetId id, Split split, Path explicitDirectory)
            throws DatasetNotFoundException {
        List<Attempt> attempts = new ArrayList<>();
        Optional<Location> location = search(id, split, explicitDirectory, attempts);
        if (location.isEmpty()) {
            throw notFound(id, split, attempts);
        }
        return location.get();
    }

    /**
     * Reads the files of a location.
     *
     * @param location a location from {@link #locate}
     * @return the dataset
     * @throws IOException when a file is invalid or unreadable
     */
    public static ImageDataset read(Location location) throws IOException {
        DatasetId id = location.id();
        String name = id.directoryName() + "/" + location.split().name().toLowerCase(Locale.ROOT);
        if (id.format() == DatasetId.Format.IDX) {
            return IdxReader.read(
                    location.files().get(0),
                    location.files().get(1),
                    name,
                    id.classNames(),
                    id.imageSize(),
                    id.imageSize());
        }
        return Cifar10Reader.readBatches(
                location.files(), name, Cifar10Reader.readClassNames(location.directory()));
    }

    /**
     * Reports, for every dataset and split, where it is findable offline, without reading files.
     *
     * @return one probe per dataset and split
     */
    public List<Probe> probe() {
        List<Probe> out = new ArrayList<>();
        for (DatasetId id : DatasetId.values()) {
            for (Split split : Split.values()) {
                List<Attempt> attempts = new ArrayList<>();
                Optional<Location> location = search(id, split, null, attempts);
                out.add(new Probe(id, split, location, attempts));
            }
        }
        return out;
    }

    /**
     * A human-readable report of {@link #probe()}, one line per dataset and split (what the CLI
     * {@code doctor} prints).
     *
     * @return the report
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("Datasets (download ")
                .append(allowDownload ? "allowed" : "disabled")
                .append("):\n");
        for (Probe p : probe()) {
            sb.append(String.format(Locale.ROOT, "  %-13s %-5s ", p.id(), p.split()));
            if (p.location().isPresent()) {
                Location l = p.location().get();
                sb.append("found (")
                        .append(l.source().name().toLowerCase(Locale.ROOT))
                        .append(") ")
                        .append(l.directory());
            } else {
                sb.append("not found; set ")
                        .append(p.id().environmentVariable())
                        .append(" or put the files in ")
                        .append(cacheRoot.resolve(p.id().directoryName()));
                if (p.id().debianPackage() != null) {
                    sb.append(" or apt-get install ").append(p.id().debianPackage());
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private Optional<Location> search(
            DatasetId id, Split split, Path explicitDirectory, List<Attempt> attempts) {
        if (explicitDirectory != null) {
            Optional<Location> l = tryDirectory(id, split, Source.EXPLICIT, explicitDirectory, attempts);
            if (l.isPresent()) {
                return l;
            }
            LOGGER.warn("explicit dataset directory {} does not hold {} {}: {}", explicitDirectory,
                    id, split, attempts.get(attempts.size() - 1).reason());
        } else {
            attempts.add(new Attempt(Source.EXPLICIT, "(none)", "no directory given"));
        }
        String env = environment.get(id.environmentVariable());
        if (env == null || env.isBlank()) {
            attempts.add(new Attempt(Source.ENVIRONMENT, "$" + id.environmentVariable(), "not set"));
        } else {
            Optional<Location> l = tryDirectory(id, split, Source.ENVIRONMENT, Paths.get(env), attempts);
            if (l.isPresent()) {
                return l;
            }
        }
        Optional<Location> cached =
                tryDirectory(id, split, Source.USER_CACHE, cacheRoot.resolve(id.directoryName()), attempts);
        if (cached.isPresent()) {
            return cached;
        }
        for (Path root : systemRoots) {
            for (String dirName : id.systemDirectoryNames()) {
                Optional<Location> l = tryDirectory(id, split, Source.SYSTEM, root.resolve(dirName), attempts);
                if (l.isPresent()) {
                    return l;
                }
            }
        }
        attempts.add(new Attempt(
                Source.DOWNLOAD,
                "DJL basicdataset",
                allowDownload ? "allowed (tried by load, not by locate/probe)" : "disabled"));
        return Optional.empty();
    }

    private Optional<Location> tryDirectory(
            DatasetId id, Split split, Source source, Path dir, List<Attempt> attempts) {
        if (!Files.exists(dir)) {
            attempts.add(new Attempt(source, dir.toString(), "does not exist"));
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            attempts.add(new Attempt(source, dir.toString(), "is not a directory"));
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Path base = dir;
        if (id.format() == DatasetId.Format.IDX) {
            String prefix = split == Split.TRAIN ? "train" : "t10k";
            for (String kind : List.of("images-idx3-ubyte", "labels-idx1-ubyte")) {
                Optional<Path> f = findIdx(dir, prefix, kind);
                if (f.isPresent()) {
                    files.add(f.get());
                } else {
                    missing.add(prefix + "-" + kind + "(.gz)");
                }
            }
        } else {
            Path nested = dir.resolve("cifar-10-batches-bin");
            if (!Files.isRegularFile(dir.resolve(Cifar10Reader.filesOf(split).get(0)))
                    && Files.isDirectory(nested)) {
                base = nested;
            }
            for (String name : Cifar10Reader.filesOf(split)) {
                Path f = base.resolve(name);
                if (Files.isRegularFile(f)) {
                    files.add(f);
                } else {
                    missing.add(name);
                }
            }
        }
        if (!missing.isEmpty()) {
            attempts.add(new Attempt(source, dir.toString(), "missing " + String.join(", ", missing)));
            return Optional.empty();
        }
        attempts.add(new Attempt(source, base.toString(), "found"));
        LOGGER.debug("{} {} found in {} ({})", id, split, base, source);
        return Optional.of(new Location(id, split, source, base, files));
    }

    static Optional<Path> findIdx(Path dir, String prefix, String kind) {
        String dotted = kind.replaceFirst("-idx", ".idx");
        for (String name : List.of(prefix + "-" + kind, prefix + "-" + dotted)) {
            for (String suffix : List.of(".gz", "")) {
                Path p = dir.resolve(name + suffix);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private DatasetNotFoundException notFound(DatasetId id, Split split, List<Attempt> attempts) {
        StringBuilder sb = new StringBuilder();
        sb.append(id)
                .append(" (")
                .append(split.name().toLowerCase(Locale.ROOT))
                .append(" split) was not found. Places tried, in order:\n");
        for (int i = 0; i < attempts.size(); i++) {
            sb.append("  ").append(i + 1).append(". ").append(attempts.get(i)).append('\n');
        }
        sb.append("How to fix (any one):\n");
        if (id.debianPackage() != null) {
            sb.append("  - apt-get install ")
                    .append(id.debianPackage())
                    .append(" (installs into /usr/share/datasets/")
                    .append(id.systemDirectoryNames().get(0))
                    .append(")\n");
        }
        String files = id.format() == DatasetId.Format.IDX
                ? "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                        + " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"
                : "cifar-10-batches-bin/ (data_batch_1.bin ... data_batch_5.bin, test_batch.bin)";
        sb.append("  - set ")
                .append(id.environmentVariable())
                .append(" to a directory holding ")
                .append(files)
                .append('\n');
        sb.append("  - copy those files into ").append(cacheRoot.resolve(id.directoryName())).append('\n');
        sb.append("  - pass the directory explicitly (e.g. the CLI's --data option)\n");
        sb.append("  - allow the download through DJL basicdataset (DatasetResolver.builder()")
                .append(".optAllowDownload(true), needs network)");
        return new DatasetNotFoundException(sb.toString(), attempts);
    }

    /** Builds a {@link DatasetResolver}; every setting has a default. */
    public static final class Builder {

        private Map<String, String> environment = System.getenv();
        private String userHome = System.getProperty("user.home", ".");
        private Path gen4jHome;
        private List<Path> systemRoots = List.of(Paths.get("/usr/share/datasets"));
        private boolean allowDownload;

        private Builder() {}

        /**
         * Sets the environment read for {@code GEN4J_HOME} and the dataset variables (tests pass a
         * map; the default is the process environment).
         *
         * @param environment the variables
         * @return this builder
         */
        public Builder optEnvironment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * Sets the user home used when {@code GEN4J_HOME} is not set (default: {@code user.home}).
         *
         * @param userHome the home directory
         * @return this builder
         */
        public Builder optUserHome(Path userHome) {
            this.userHome = userHome.toString();
            return this;
        }

        /**
         * Sets the gen4j home explicitly, overriding {@code GEN4J_HOME} and the user home.
         *
         * @param gen4jHome the directory whose {@code datasets/} sub-directory is the user cache
         * @return this builder
         */
        public Builder optGen4jHome(Path gen4jHome) {
            this.gen4jHome = gen4jHome;
            return this;
        }

        /**
         * Sets the system dataset roots (default: {@code /usr/share/datasets}).
         *
         * @param roots directories holding one sub-directory per dataset
         * @return this builder
         */
        public Builder optSystemRoots(List<Path> roots) {
            this.systemRoots = List.copyOf(roots);
            return this;
        }

        /**
         * Allows the last-resort download through DJL basicdataset (default: no).
         *
         * @param allowDownload whether to download
         * @return this builder
         */
        public Builder optAllowDownload(boolean allowDownload) {
            this.allowDownload = allowDownload;
            return this;
        }

        /** @return the resolver */
        public DatasetResolver build() {
            return new DatasetResolver(this);
        }
    }
}
