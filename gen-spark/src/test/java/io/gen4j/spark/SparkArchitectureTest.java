package io.gen4j.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark stays inside gen-spark: no other gen4j module on this class path (gen-core, gen-eval, a family)
 * touches Spark or Scala, and gen-spark itself reaches models only through gen-core's contracts (no
 * family import) and the engine only through DJL's API (the examples module's ArchitectureTest checks
 * the modules it depends on).
 */
class SparkArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() throws Exception {
        // Only the class-path entries that hold io/gen4j (not Spark's hundreds of jars).
        java.util.Set<com.tngtech.archunit.core.importer.Location> gen4j = new java.util.LinkedHashSet<>();
        java.util.Enumeration<java.net.URL> roots = SparkArchitectureTest.class.getClassLoader().getResources("io/gen4j");
        while (roots.hasMoreElements()) {
            gen4j.add(com.tngtech.archunit.core.importer.Location.of(roots.nextElement()));
        }
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importLocations(gen4j);
    }

    @Test
    void onlyGenSparkDependsOnSpark() {
        noClasses().that().resideOutsideOfPackage("io.gen4j.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
                .because("gen-core and the families stay free of Spark (docs/scaling.md)")
                .check(classes);
    }

    @Test
    void genSparkUsesModelsThroughCoreContractsAndTheEngineThroughDjlsApi() {
        noClasses().that().resideInAPackage("io.gen4j.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gen4j.autoencoders..", "io.gen4j.gans..",
                        "io.gen4j.diffusion..", "io.gen4j.flows..", "io.gen4j.score..", "io.gen4j.autoregressive..",
                        "ai.djl.pytorch..", "io.gen4j.examples..")
                .check(classes);
    }
}
