package io.gen4j.examples.cli;

import java.util.regex.Pattern;

/**
 * How a user starts the CLI: the launcher script {@value #NAME} at the repository root, which builds
 * the CLI jar once and runs it. Every command the CLI prints or writes for the user to run next
 * (e.g. the quickstart's {@code sample --run <dir>}) is made here, so that it can be pasted as is.
 *
 * <p>The script passes the path it was started as in {@value #ENV} ({@code ./gen4j}, {@code
 * ../gen4j}, {@code /home/me/gen4j/gen4j}, …); printed commands repeat that path, so they work in the
 * directory the user ran the command from. Without it (the jar started by {@code java -jar}, tests)
 * they start with {@value #NAME}.
 */
public final class Launcher {

    /** The launcher script, relative to the repository root. */
    public static final String NAME = "./gen4j";

    /** Environment variable in which the launcher script passes the path it was started as. */
    public static final String ENV = "GEN4J_LAUNCHER";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Launcher() {}

    /** @return the launcher as the user started it, else {@value #NAME} */
    public static String name() {
        String invoked = System.getenv(ENV);
        return invoked == null || invoked.isBlank() ? NAME : invoked;
    }

    /**
     * A command line a user can paste into a POSIX shell: the launcher followed by {@code args},
     * each quoted when it has characters the shell would interpret.
     *
     * @param args the CLI's arguments, e.g. {@code "sample", "--run", "runs/quickstart-ddpm-…"}
     * @return e.g. {@code ./gen4j sample --run runs/quickstart-ddpm-20261201-120000}
     */
    public static String command(String... args) {
        StringBuilder sb = new StringBuilder(quote(name()));
        for (String a : args) {
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    /**
     * @param word any string
     * @return the word itself when the shell would read it literally, else single-quoted
     */
    static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
