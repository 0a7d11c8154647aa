package io.gen4j.core.data.toy;

/**
 * An axis-aligned rectangle {@code [xMin, xMax] x [yMin, yMax]}: the region where a {@link Toy2d}
 * puts all but a negligible part of its mass (used for density grids, plots and integration tests).
 *
 * @param xMin left edge
 * @param xMax right edge, greater than {@code xMin}
 * @param yMin bottom edge
 * @param yMax top edge, greater than {@code yMin}
 */
public record Box(double xMin, double xMax, double yMin, double yMax) {

    /** Validates the edges. */
    public Box {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException(
                    "box must have xMin < xMax and yMin < yMax, got [" + xMin + ", " + xMax + "] x ["
                            + yMin + ", " + yMax + "]");
        }
    }

    /**
     * A square centred at the origin.
     *
     * @param halfSide half the side, positive
     * @return {@code [-halfSide, halfSide]^2}
     */
    public static Box centred(double halfSide) {
        return new Box(-halfSide, halfSide, -halfSide, halfSide);
    }

    /** @return the width {@code xMax - xMin} */
    public double width() {
        return xMax - xMin;
    }

    /** @return the height {@code yMax - yMin} */
    public double height() {
        return yMax - yMin;
    }

    /** @return the area */
    public double area() {
        return width() * height();
    }
}
