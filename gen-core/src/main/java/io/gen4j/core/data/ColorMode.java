package io.gen4j.core.data;

/** How the pixels of an image file become channels. */
public enum ColorMode {
    /**
     * One channel. Gray images are read as they are; colour images are converted with the ITU-R
     * BT.601 luma {@code Y = 0.299 R + 0.587 G + 0.114 B}.
     */
    GRAYSCALE(1),
    /** Three channels R, G, B; gray images are replicated into the three. */
    RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    /** @return the number of channels (1 or 3) */
    public int channels() {
        return channels;
    }
}
