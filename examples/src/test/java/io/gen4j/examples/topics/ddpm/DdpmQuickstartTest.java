package io.gen4j.examples.topics.ddpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.io.Npz;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.examples.cli.Gen4jCli;
import io.gen4j.examples.cli.Launcher;
import io.gen4j.examples.testing.StopAfter;
import io.gen4j.examples.testing.SubsetData;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The quickstart with a few steps, resumed after a kill, then {@code sample} from its saved model. */
class DdpmQuickstartTest {

    @TempDir
    Path out;

    private static String[] cli(String... args) {
        CommandLine cli = Gen4jCli.commandLine();
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(text));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), text.toString(), err.toString()};
    }

    private TopicOptions options(String folder) {
        return TopicOptions.of(Profile.CPU, out.resolve(folder), 5, Optional.of(SubsetData.directory(out)))
                .withCheckpointEvery(2);
    }

    @Test
    void quickstartResumeAndSample() throws Exception {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        DdpmQuickstart.Result r;
        try {
            System.setErr(new java.io.PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8));
            r = DdpmQuickstart.run(new DdpmQuickstart.Options(options("whole"), 5, 12));
        } finally {
            System.setErr(stderr);
        }
        // the progress of every phase that takes a while is on stderr: training, then the report's samples
        String lines = progress.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(lines.contains("step 5/5 [") && lines.contains("quality samples 12/12 [")
                && lines.contains("quality samples: 12 in "), lines);
        assertTrue(Files.size(r.samples()) > 100);
        assertTrue(Files.exists(r.runDirectory().resolve("model").resolve("model.json")));
        assertTrue(Files.size(r.runDirectory().resolve("images").resolve("training_loss.png")) > 100);
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        assertTrue(report.contains(Launcher.NAME + " sample --run"), report);
        assertTrue(report.contains("FID-fashion-mnist-cnn = "), report);
        assertTrue(Double.isFinite(r.finalLoss()));
        assertTrue(Double.isFinite(r.quality().fid()) && r.quality().fid() > r.quality().floor(),
                r.quality().summary());

        // killed after 3 steps (checkpoint at 2), then resumed: the same model as the whole run
        TopicOptions killed = options("killed");
        assertThrows(StopAfter.Stopped.class, () -> DdpmQuickstart.run(
                new DdpmQuickstart.Options(killed.withListeners(List.of(new StopAfter(3))), 5, 12)));
        Path runDir;
        try (Stream<Path> dirs = Files.list(out.resolve("killed"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        String[] resumed = cli("quickstart", "--resume", runDir.toString(), "--data",
                SubsetData.directory(out).toString(), "--checkpoint-every", "2", "--quality-samples", "12");
        assertEquals("0", resumed[0], resumed[1] + resumed[2]);
        assertTrue(resumed[1].contains("resuming " + runDir + " (seed 5, 5 steps)"), resumed[1]);
        assertEquals(Files.readString(r.runDirectory().resolve("model").resolve("model.json")),
                Files.readString(runDir.resolve("model").resolve("model.json")));
        assertEquals(Files.readString(r.runDirectory().resolve("metrics.csv")),
                Files.readString(runDir.resolve("metrics.csv")));

        // sample: a grid, a PNG folder and an .npz, which eval reads
        String[] grid = cli("sample", "--run", r.runDirectory().toString(), "-n", "4", "--steps", "3");
        assertEquals("0", grid[0], grid[1] + grid[2]);
        assertTrue(grid[1].contains("4 samples of ddpm"), grid[1]);
        assertTrue(Files.size(r.runDirectory().resolve("samples-1.png")) > 100);
        Path folder = out.resolve("pngs");
        String[] pngs = cli("sample", "--run", r.runDirectory().toString(), "-n", "5", "--steps", "2",
                "--format", "png", "--out", folder.toString(), "--chunk", "2");
        assertEquals("0", pngs[0], pngs[1] + pngs[2]);
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(5, files.count());
        }
        Path npz = out.resolve("s.npz");
        String[] arrays = cli("sample", "--run", r.runDirectory().resolve("model").toString(), "-n", "3",
                "--steps", "2", "--format", "npz", "--out", npz.toString());
        assertEquals("0", arrays[0], arrays[1] + arrays[2]);
        NumpyArray a = Npz.readSingle(npz);
        assertEquals("(3, 1, 28, 28)", a.shape().toString());
        String[] again = cli("sample", "--run", r.runDirectory().toString(), "-n", "3", "--format", "npz",
                "--out", npz.toString());
        assertEquals("2", again[0]);
        assertTrue(again[2].contains("--force"), again[2]);
        String[] eval = cli("eval", "--real", SubsetData.directory(out).resolve("t10k-images-idx3-ubyte.gz").toString(),
                "--fake", folder.toString(), "--metrics", "fid", "--no-floor", "--extractor", "classifier",
                "--classifier", r.quality().classifier().toString());
        assertEquals("0", eval[0], eval[1] + eval[2]);
    }

    @Test
    void sampleExplainsAMissingModel() {
        String[] r = cli("sample", "--run", out.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("no saved model"), r[2]);
    }
}
