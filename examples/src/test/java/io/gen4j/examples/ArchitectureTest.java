package io.gen4j.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes of every module: a family
 * never imports another family, gen-core imports no family, library code never touches the PyTorch
 * engine directly (it depends on ai.djl:api only), and nothing but the examples imports the examples.
 */
class ArchitectureTest {

    private static final List<String> FAMILIES = List.of(
            "autoencoders", "gans", "diffusion", "flows", "score", "autoregressive", "eval");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.gen4j");
    }

    @Test
    void familiesDoNotImportEachOther() {
        for (String family : FAMILIES) {
            for (String other : FAMILIES) {
                if (!family.equals(other)) {
                    noClasses().that().resideInAPackage("io.gen4j." + family + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.gen4j." + other + "..")
                            .because("family modules depend on gen-core only (docs/architecture.md)")
                            .allowEmptyShould(true)
                            .check(classes);
                }
            }
        }
    }

    @Test
    void coreImportsNoFamilyAndNoExample() {
        for (String family : FAMILIES) {
            noClasses().that().resideInAPackage("io.gen4j.core..")
                    .should().dependOnClassesThat().resideInAPackage("io.gen4j." + family + "..")
                    .because("gen-core is the bottom of the module graph")
                    .check(classes);
        }
        noClasses().that().resideOutsideOfPackage("io.gen4j.examples..")
                .should().dependOnClassesThat().resideInAPackage("io.gen4j.examples..")
                .check(classes);
    }

    @Test
    void libraryCodeUsesOnlyTheDjlApi() {
        noClasses().that().resideOutsideOfPackage("io.gen4j.examples..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl.pytorch..")
                .because("library modules depend on ai.djl:api; the engine is chosen at run time")
                .check(classes);
    }
}
