package io.gen4j.diffusion.discrete;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the King James Bible (public domain) as plain UTF-8 text, one verse per line without its
 * reference, the real text of the discrete diffusion topic. Places tried, in order:
 *
 * <ol>
 *   <li>an explicit file (a CLI {@code --data} option);
 *   <li>the file named by {@code GEN4J_KJV};
 *   <li>the user cache {@code $GEN4J_HOME/datasets/bible-kjv/kjv.txt} (default {@code ~/.gen4j});
 *   <li>the Debian packages {@code bible-kjv-text} (the compressed text in {@code /usr/lib/bible.data})
 *       and {@code bible-kjv} (its reader {@code /usr/bin/bible}): the text is extracted once with
 *       {@code bible -f Gen1:1-Rev22:21} into the user cache.
 * </ol>
 *
 * When none works the exception lists every place tried and how to install the packages.
 */
public final class KjvText {

    /** The environment variable naming a plain-text file. */
    public static final String ENVIRONMENT = "GEN4J_KJV";

    private KjvText() {}

    /**
     * @param explicit a file given by the caller
     * @return the plain text file
     * @throws IOException when the text is nowhere
     */
    public static Path locate(Optional<Path> explicit) throws IOException {
        String home = System.getenv("GEN4J_HOME");
        Path gen4jHome = home != null && !home.isBlank() ? Paths.get(home)
                : Paths.get(System.getProperty("user.home"), ".gen4j");
        return locate(explicit, System.getenv(), gen4jHome, Paths.get("/usr/bin/bible"), Paths.get("/usr/lib/bible.data"));
    }

    /**
     * @param explicit a file given by the caller
     * @param environment the environment
     * @param gen4jHome the gen4j home (its {@code datasets/bible-kjv} is the cache)
     * @param reader the {@code bible} program
     * @param data its data file
     * @return the plain text file
     * @throws IOException when the text is nowhere
     */
    public static Path locate(Optional<Path> explicit, Map<String, String> environment, Path gen4jHome, Path reader,
            Path data) throws IOException {
        List<String> tried = new ArrayList<>();
        if (explicit.isPresent()) {
            if (Files.isRegularFile(explicit.get())) {
                return explicit.get();
            }
            tried.add("explicit " + explicit.get() + ": no such file");
        }
        String env = environment.get(ENVIRONMENT);
        if (env != null && !env.isBlank()) {
            Path p = Paths.get(env);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(ENVIRONMENT + "=" + env + ": no such file");
        } else {
            tried.add(ENVIRONMENT + ": not set");
        }
        Path cached = gen4jHome.resolve("datasets").resolve("bible-kjv").resolve("kjv.txt");
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        tried.add("user cache " + cached + ": no such file");
        if (Files.isExecutable(reader) && Files.isRegularFile(data)) {
            String raw = run(reader);
            Files.createDirectories(cached.getParent());
            Path tmp = Files.createTempFile(cached.getParent(), "kjv", ".tmp");
            Files.writeString(tmp, toPlainText(raw), StandardCharsets.UTF_8);
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return cached;
        }
        tried.add("Debian packages: " + (Files.isRegularFile(data) ? "" : data + " missing ")
                + (Files.isExecutable(reader) ? "" : reader + " missing"));
        throw new IOException("the King James Bible text was not found; tried:\n  " + String.join("\n  ", tried)
                + "\ninstall it with `sudo apt-get install bible-kjv-text bible-kjv`, or pass any UTF-8 text file");
    }

    private static String run(Path reader) throws IOException {
        Process p = new ProcessBuilder(reader.toString(), "-f", "Gen1:1-Rev22:21").redirectErrorStream(false).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(reader + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + reader, e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * Drops the reference ("Ge1:1 ", "Rev22:21 ") at the start of each verse line.
     *
     * @param bibleOutput the output of {@code bible -f}, one verse per line
     * @return the verses, one per line, ending with a newline
     */
    public static String toPlainText(String bibleOutput) {
        StringBuilder b = new StringBuilder(bibleOutput.length());
        for (String line : bibleOutput.split("\n")) {
            String verse = line.replaceFirst("^[1-3]?[A-Za-z]+\\d+:\\d+ ", "").strip();
            if (!verse.isEmpty()) {
                b.append(verse).append('\n');
            }
        }
        return b.toString();
    }
}
