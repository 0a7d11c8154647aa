package io.gen4j.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.elements.ClassesShouldConjunction;
import io.gen4j.core.math.Scalars;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled classes of every module: a family
 * never imports another family, gen-core imports no family, library code never touches the PyTorch
 * engine directly (it depends on ai.djl:api only; gen-pytorch, the engine's kernels, is the exception), nothing but the examples imports the examples, and
 * main code does arithmetic with a Java number only through {@link Scalars} (known-issues §5).
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
                .and().resideOutsideOfPackage("io.gen4j.pytorch..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl.pytorch..")
                .because("library modules depend on ai.djl:api; the engine is chosen at run time, and"
                        + " engine-specific kernels live in gen-pytorch (io.gen4j.core.kernels SPI)")
                .check(classes);
    }

    /**
     * DJL 0.36's {@code x.mul(Number)} and its kin keep the number in a tensor over a Java buffer that
     * they close at once, while autograd still reads it in the backward pass: after a garbage collection
     * the gradient is multiplied by freed memory. Tests may keep raw calls.
     */
    @Test
    void arithmeticWithANumberGoesThroughScalars() {
        ClassesShouldConjunction rule = null;
        for (String op : List.of("mul", "div", "pow", "maximum", "minimum", "muli", "divi", "powi")) {
            rule = rule == null
                    ? noClasses().that().resideInAPackage("io.gen4j..")
                            .and().doNotBelongToAnyOf(Scalars.class)
                            .should().callMethod(NDArray.class, op, Number.class)
                    : rule.orShould().callMethod(NDArray.class, op, Number.class);
            rule = rule.orShould().callMethod(NDArrays.class, op, NDArray.class, Number.class);
        }
        // NDArrays.op(Number, x) swaps to x.op(Number) for these; its div and pow are DJL's safe rdiv and rpow
        for (String op : List.of("mul", "maximum", "minimum", "muli")) {
            rule = rule.orShould().callMethod(NDArrays.class, op, Number.class, NDArray.class);
        }
        rule.because("DJL 0.36 frees the number's memory before the backward pass reads it: use "
                        + "io.gen4j.core.math.Scalars (times, dividedBy, power, max, min, timesInPlace, "
                        + "dividedByInPlace) instead; docs/known-issues.md §5")
                .check(classes);
    }

    /**
     * DJL 0.36's {@code x.clip(min, max)} makes each bound an array on x's device and reads it back with
     * {@code item()}: on a GPU every clip waits for the queued work (per sampler step, per training step).
     */
    @Test
    void clippingWithNumbersGoesThroughScalars() {
        noClasses().that().resideInAPackage("io.gen4j..").and().doNotBelongToAnyOf(Scalars.class)
                .should().callMethod(NDArray.class, "clip", Number.class, Number.class)
                .because("DJL 0.36's clip reads its bounds back to the host (a GPU synchronisation): use "
                        + "io.gen4j.core.math.Scalars.clip; docs/known-issues.md")
                .check(classes);
    }
}
