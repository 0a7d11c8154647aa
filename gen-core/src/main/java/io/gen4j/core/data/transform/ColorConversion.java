package io.gen4j.core.data.transform;

import io.gen4j.core.data.ColorMode;
import java.util.Objects;
import java.util.Random;

/**
 * Converts an image to one channel or three, torchvision's {@code Grayscale} /
 * {@code Grayscale(num_output_channels=3)} in reverse: RGB to gray with the ITU-R BT.601 luma
 * {@code Y = round(0.299 R + 0.587 G + 0.114 B)} (the weights of PIL's {@code convert("L")}); gray
 * to RGB by copying the channel three times. An image already in the mode is returned as it is.
 *
 * @param mode the channels wanted
 */
public record ColorConversion(ColorMode mode) implements ImageTransform {

    /** Checks the mode. */
    public ColorConversion {
        Objects.requireNonNull(mode, "mode");
    }

    @Override
    public ByteImage apply(ByteImage image, Random random) {
        if (image.channels() == mode.channels()) {
            return image;
        }
        int plane = image.height() * image.width();
        byte[] in = image.pixels();
        if (mode == ColorMode.GRAYSCALE) {
            byte[] out = new byte[plane];
            for (int p = 0; p < plane; p++) {
                double y = 0.299 * (in[p] & 0xFF) + 0.587 * (in[plane + p] & 0xFF) + 0.114 * (in[2 * plane + p] & 0xFF);
                out[p] = (byte) Math.min(255, Math.round(y));
            }
            return new ByteImage(1, image.height(), image.width(), out);
        }
        byte[] out = new byte[3 * plane];
        for (int ch = 0; ch < 3; ch++) {
            System.arraycopy(in, 0, out, ch * plane, plane);
        }
        return new ByteImage(3, image.height(), image.width(), out);
    }

    @Override
    public String describe() {
        return mode == ColorMode.GRAYSCALE ? "grayscale" : "rgb";
    }
}
