package io.gen4j.core.data.toy;

import java.util.function.Supplier;

/**
 * The named 2-D toys with their default parameters, for command lines and example profiles
 * ({@code --toy eight-gaussians}).
 */
public enum Toy2dKind {
    /** {@link Moons#defaults()}. */
    MOONS(Moons::defaults),
    /** {@link EightGaussians#defaults()}. */
    EIGHT_GAUSSIANS(EightGaussians::defaults),
    /** {@link Checkerboard#defaults()}. */
    CHECKERBOARD(Checkerboard::defaults),
    /** {@link Rings#circles()}. */
    CIRCLES(Rings::circles),
    /** {@link TwoSpirals#defaults()}. */
    TWO_SPIRALS(TwoSpirals::defaults),
    /** {@link SwissRoll#defaults()}. */
    SWISS_ROLL(SwissRoll::defaults),
    /** {@link Rings#defaults()}. */
    RINGS(Rings::defaults);

    private final Supplier<Toy2d> factory;

    Toy2dKind(Supplier<Toy2d> factory) {
        this.factory = factory;
    }

    /** @return the toy with its default parameters */
    public Toy2d create() {
        return factory.get();
    }

    /** @return the kebab-case name, e.g. {@code eight-gaussians} */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a kebab-case or enum name.
     *
     * @param name e.g. {@code "two-spirals"} or {@code "TWO_SPIRALS"}
     * @return the kind
     */
    public static Toy2dKind parse(String name) {
        for (Toy2dKind k : values()) {
            if (k.id().equalsIgnoreCase(name) || k.name().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown toy '" + name + "', expected one of " + java.util.Arrays.stream(values())
                        .map(Toy2dKind::id).toList());
    }
}
