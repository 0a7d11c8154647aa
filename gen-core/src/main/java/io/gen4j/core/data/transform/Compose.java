package io.gen4j.core.data.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Several {@link ImageTransform}s applied in order, torchvision's {@code transforms.Compose}.
 * Nested compositions are flattened; the empty composition is the identity.
 *
 * @param steps the steps, first applied first
 */
public record Compose(List<ImageTransform> steps) implements ImageTransform {

    /** Copies and flattens the steps. */
    public Compose {
        List<ImageTransform> flat = new ArrayList<>();
        for (ImageTransform t : steps) {
            if (t instanceof Compose c) {
                flat.addAll(c.steps());
            } else {
                flat.add(java.util.Objects.requireNonNull(t, "step"));
            }
        }
        steps = List.copyOf(flat);
    }

    /**
     * @param steps the steps in order
     * @return their composition
     */
    public static Compose of(ImageTransform... steps) {
        return new Compose(List.of(steps));
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        ByteImage out = image;
        for (ImageTransform t : steps) {
            out = t.apply(out, random);
        }
        return out;
    }

    /** @return the steps' descriptions joined by {@code " -> "}, or {@code "none"} */
    @Override
    public String describe() {
        return steps.isEmpty() ? "none"
                : steps.stream().map(ImageTransform::describe).collect(Collectors.joining(" -> "));
    }

    /** @return whether there is no step */
    public boolean isIdentity() {
        return steps.isEmpty();
    }
}
