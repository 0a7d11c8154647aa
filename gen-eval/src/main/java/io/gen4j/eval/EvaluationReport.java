package io.gen4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@link MetricResult}s as JSON (machine-readable) and as a Markdown table (for report.md). */
public final class EvaluationReport {

    private EvaluationReport() {}

    /**
     * Writes the results atomically (temporary file, then rename).
     *
     * @param results the results
     * @param file target JSON file
     * @throws IOException when writing fails
     */
    public static void writeJson(List<MetricResult> results, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        byte[] json = mapper.writeValueAsBytes(results);
        io.gen4j.core.io.AtomicFiles.write(file, out -> out.write(json));
    }

    /**
     * @param results the results
     * @return a Markdown table: metric, value, std, floor, N_real, N_gen, and the provenance below it
     */
    public static String markdown(List<MetricResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| metric | value | std | real-vs-real floor (N_gen vs N_real) | N_real | N_gen |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (MetricResult r : results) {
            sb.append(String.format("| %s | %.6g | %s | %s | %d | %d |%n", r.name(), r.value(),
                    Double.isNaN(r.std()) ? "" : String.format("%.3g", r.std()),
                    Double.isNaN(r.floor()) ? "" : String.format("%.6g (%d vs %d)", r.floor(), r.floorN(), r.floorReferenceN()),
                    r.nReal(), r.nGen()));
        }
        if (!results.isEmpty()) {
            MetricResult r = results.get(0);
            sb.append("\nExtractor `").append(r.extractor()).append("` (sha256 ").append(r.extractorHash())
                    .append("); preprocessing: ").append(r.preprocessing()).append("; reference: ")
                    .append(r.referenceSplit()).append("; seed ").append(r.seed()).append(".\n");
        }
        return sb.toString();
    }
}
