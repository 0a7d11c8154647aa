package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The launcher script at the repository root exists, is an executable POSIX shell script that builds
 * the jar of the {@code cli-jar} profile, and every follow-up command the CLI prints starts with it.
 * Fast: it neither builds nor starts the jar.
 */
class LauncherTest {

    /** The repository root: the first ancestor of the working directory with the launcher and a pom. */
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("examples"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    private static Path script() {
        return root().resolve(Launcher.NAME.substring(2));
    }

    @Test
    void launcherScriptExistsAndIsExecutable() throws IOException {
        Path script = script();
        assertTrue(Files.isRegularFile(script), script + " is missing");
        assertTrue(Files.isExecutable(script), script + " is not executable (chmod +x)");
        assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"), "not a POSIX shell script");
    }

    @Test
    void launcherBuildsAndRunsTheJarOfTheCliJarProfile() throws IOException {
        String text = Files.readString(script());
        assertTrue(text.contains("mvn -q -B ${GEN4J_MAVEN_ARGS:-} -Pcli-jar -DskipTests package"), text);
        assertTrue(text.contains("examples/target/gen4j-examples-*-cli.jar"), text);
        assertTrue(text.contains("GEN4J_LAUNCHER=$invoked"), text);
        String pom = Files.readString(root().resolve("examples").resolve("pom.xml"));
        assertTrue(pom.contains("<id>cli-jar</id>"), "examples/pom.xml lost the cli-jar profile");
        assertTrue(pom.contains("<shadedClassifierName>cli</shadedClassifierName>"), "the shaded jar is not *-cli.jar");
    }

    @Test
    void launcherIsValidShellSyntax() throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh");
        Process p = new ProcessBuilder(sh.toString(), "-n", script().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void printedFollowUpCommandsStartWithTheLauncher() {
        assumeTrue(System.getenv(Launcher.ENV) == null, "started through the launcher");
        assertEquals(Launcher.NAME, Launcher.name());
        assertEquals("./gen4j sample --run runs/quickstart-ddpm-1", Launcher.command("sample", "--run", "runs/quickstart-ddpm-1"));

        CommandLine cli = Gen4jCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("topic", "no-such-topic"));
        assertTrue(err.toString().contains("; " + Launcher.NAME + " topic --list shows the topics"), err.toString());

        assertEquals(0, cli.execute("quickstart", "--help"));
        assertTrue(out.toString().replaceAll("\\s+", " ").contains("then '" + Launcher.NAME + " sample --run <dir>'"),
                out.toString());
    }

    @Test
    void argumentsAreQuotedSoTheShellReadsThemBack() throws Exception {
        Path sh = Path.of("/bin/sh");
        assumeTrue(Files.isExecutable(sh), "no /bin/sh");
        assertEquals("runs/quickstart-ddpm-20261201-120000", Launcher.quote("runs/quickstart-ddpm-20261201-120000"));
        for (String word : List.of("my runs/a b", "it's", "$HOME", "a\"b", "", "*")) {
            Process p = new ProcessBuilder(sh.toString(), "-c", "printf '%s' " + Launcher.quote(word)).start();
            String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(word, back, "quoted as " + Launcher.quote(word));
        }
    }
}
