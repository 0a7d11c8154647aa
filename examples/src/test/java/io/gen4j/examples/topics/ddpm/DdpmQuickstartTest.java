package io.gen4j.examples.topics.ddpm;

import io.gen4j.examples.cli.Launcher;
import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The quickstart with a few steps, then {@code sample} from its saved model. */
class DdpmQuickstartTest {

    @TempDir
    Path out;

    @Test
    void quickstartThenSample() throws Exception {
        DdpmQuickstart.Result r = DdpmQuickstart.run(
                new DdpmQuickstart.Options(out, 3, 5, Optional.of(SubsetData.directory(out)), null));
        assertTrue(Files.size(r.samples()) > 100);
        assertTrue(Files.exists(r.runDirectory().resolve("model").resolve("unet.params")));
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        assertTrue(report.contains("`" + Launcher.name() + " sample --run "), report);
        assertTrue(Double.isFinite(r.finalLoss()));

        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new SampleCommand());
        cli.setOut(new PrintWriter(text));
        Path png = out.resolve("again.png");
        int code = cli.execute("--run", r.runDirectory().toString(), "-n", "4", "--steps", "3",
                "--out", png.toString());
        assertEquals(0, code, text.toString());
        assertTrue(Files.size(png) > 100);
        assertTrue(text.toString().contains("4 images, 3 steps"), text.toString());
    }

    @Test
    void sampleExplainsAMissingModel() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SampleCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--run", out.toString());
        assertTrue(code != 0);
        assertTrue(err.toString().contains("no saved model"), err.toString());
    }
}
