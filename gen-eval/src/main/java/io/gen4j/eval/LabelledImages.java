package io.gen4j.eval;

/**
 * Images with their class labels, e.g. a classifier's training split.
 *
 * @param images the images
 * @param labels one class per image
 */
public record LabelledImages(ImageSet images, int[] labels) {

    /** Validates that there is one label per image. */
    public LabelledImages {
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
    }
}
