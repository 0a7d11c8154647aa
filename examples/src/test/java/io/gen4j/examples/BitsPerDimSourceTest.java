package io.gen4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nats become bits (per dimension) only in gen-core's {@code Likelihoods}: the main sources of every
 * module are scanned for a hand-written ln 2 ({@code Math.log(2)}, {@code Math.log(2.0)}, a constant
 * named {@code LN2}/{@code LN_2}/{@code LOG2}). ArchUnit cannot see this (the argument of a call), so
 * the test reads the sources of the checkout it runs in.
 */
class BitsPerDimSourceTest {

    private static final Pattern LN2 = Pattern.compile(
            "Math\\.log\\(\\s*2(\\.0*)?\\s*\\)|\\bLN_?2\\b|\\bLOG_?2\\b(?!PI)");

    /** Files allowed to hold ln 2, each with the reason. */
    private static final Set<String> ALLOWED = Set.of(
            // the conversion itself
            "gen-core/src/main/java/io/gen4j/core/model/Likelihoods.java",
            // the entropy of a 2-D toy in bits (not per dimension, no dequantization): Estimate.bits()
            "gen-core/src/main/java/io/gen4j/core/data/toy/OracleEntropy.java");

    @Test
    void onlyLikelihoodsConvertsNatsToBits() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("gen-core")),
                "run from the examples module of a gen4j checkout, got " + root);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        scanned++;
                        String relative = root.relativize(file).toString().replace('\\', '/');
                        if (ALLOWED.contains(relative)) {
                            continue;
                        }
                        List<String> lines = read(file);
                        for (int i = 0; i < lines.size(); i++) {
                            String code = lines.get(i).replaceFirst("//.*", "");
                            if (!code.trim().startsWith("*") && LN2.matcher(code).find()) {
                                offenders.add(relative + ":" + (i + 1) + ": " + lines.get(i).trim());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 100, "scanned only " + scanned + " files");
        assertEquals(List.of(), offenders, "convert with io.gen4j.core.model.Likelihoods instead");
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
