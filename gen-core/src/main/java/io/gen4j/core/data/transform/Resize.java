package io.gen4j.core.data.transform;

import java.util.Random;

/**
 * Scales an image so that its shorter side becomes {@code size} pixels, keeping the aspect ratio:
 * torchvision's {@code Resize(size)} with bilinear interpolation and antialiasing. The longer side
 * becomes {@code floor(size * long / short)}.
 *
 * <p>Each output pixel {@code i} of a side of length {@code in -> out} (scale {@code s = in / out})
 * is centred at {@code c = (i + 1/2) s} in input coordinates and is the normalised, triangle-weighted
 * mean of the input pixels {@code j} with weight {@code max(0, 1 - |j + 1/2 - c| / max(s, 1))}
 * (PIL's bilinear filter: plain bilinear interpolation with half-pixel centres when enlarging, a
 * triangle {@code s} pixels wide when shrinking, so that no input pixel is skipped). Rows and
 * columns are filtered separably in double precision and rounded once to the nearest level.
 *
 * @param size the length of the shorter side after resizing, at least 1
 */
public record Resize(int size) implements ImageTransform {

    /** Validates the size. */
    public Resize {
        if (size < 1) {
            throw new IllegalArgumentException("resize size must be >= 1, got " + size);
        }
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        int h = image.height();
        int w = image.width();
        int outH;
        int outW;
        if (h <= w) {
            outH = size;
            outW = (int) ((long) size * w / h);
        } else {
            outW = size;
            outH = (int) ((long) size * h / w);
        }
        outH = Math.max(1, outH);
        outW = Math.max(1, outW);
        if (outH == h && outW == w) {
            return image;
        }
        return resize(image, outH, outW);
    }

    /**
     * Resizes to exactly {@code outH x outW} with the filter described above.
     *
     * @param image the image
     * @param outH the new height, at least 1
     * @param outW the new width, at least 1
     * @return the resized image
     */
    public static ByteImage resize(ByteImage image, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("resize target must be >= 1x1, got " + outH + "x" + outW);
        }
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        Taps cols = taps(w, outW);
        Taps rows = taps(h, outH);
        byte[] out = new byte[c * outH * outW];
        double[] tmp = new double[h * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < outW; x++) {
                    double v = 0;
                    for (int k = 0; k < cols.weights[x].length; k++) {
                        v += cols.weights[x][k] * image.get(ch, y, cols.first[x] + k);
                    }
                    tmp[y * outW + x] = v;
                }
            }
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double v = 0;
                    for (int k = 0; k < rows.weights[y].length; k++) {
                        v += rows.weights[y][k] * tmp[(rows.first[y] + k) * outW + x];
                    }
                    long level = Math.round(v);
                    out[(ch * outH + y) * outW + x] = (byte) Math.max(0, Math.min(255, level));
                }
            }
        }
        return new ByteImage(c, outH, outW, out);
    }

    /** The input pixels and normalised weights of every output pixel of one side. */
    private record Taps(int[] first, double[][] weights) {}

    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double width = Math.max(scale, 1.0);
        int[] first = new int[out];
        double[][] weights = new double[out][];
        for (int i = 0; i < out; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - width + 0.5));
            int hi = Math.min(in, (int) Math.floor(center + width + 0.5));
            double[] w = new double[Math.max(0, hi - lo)];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                double t = Math.max(0, 1 - Math.abs(j + 0.5 - center) / width);
                w[j - lo] = t;
                sum += t;
            }
            for (int k = 0; k < w.length; k++) {
                w[k] /= sum;
            }
            first[i] = lo;
            weights[i] = w;
        }
        return new Taps(first, weights);
    }

    @Override
    public String describe() {
        return "resize(" + size + ")";
    }
}
