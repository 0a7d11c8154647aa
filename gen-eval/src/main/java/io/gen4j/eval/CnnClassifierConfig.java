package io.gen4j.eval;

/**
 * Architecture of the in-project evaluation classifier {@link CnnClassifier}.
 *
 * @param name extractor name used in metric names, e.g. {@code fmnist-cnn} gives {@code FID-fmnist-cnn}
 * @param channels input channels, 1 or 3
 * @param height input height, divisible by 4
 * @param width input width, divisible by 4
 * @param numClasses number of classes
 * @param conv1 filters of the first convolution
 * @param conv2 filters of the second convolution
 * @param featureDim width of the penultimate layer (the features for FID, KID, PR)
 */
public record CnnClassifierConfig(String name, int channels, int height, int width, int numClasses, int conv1,
        int conv2, int featureDim) {

    /** Validates the architecture. */
    public CnnClassifierConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height < 4 || height % 4 != 0 || width < 4 || width % 4 != 0) {
            throw new IllegalArgumentException(
                    "height and width must be positive multiples of 4, got " + height + "x" + width);
        }
        if (numClasses < 2 || conv1 < 1 || conv2 < 1 || featureDim < 1) {
            throw new IllegalArgumentException("numClasses must be >= 2 and widths >= 1, got classes " + numClasses
                    + ", conv " + conv1 + "/" + conv2 + ", features " + featureDim);
        }
    }

    /** @return the FashionMNIST / MNIST classifier: 1×28×28, 10 classes, 32/64 filters, 128 features */
    public static CnnClassifierConfig fashionMnist() {
        return new CnnClassifierConfig("fmnist-cnn", 1, 28, 28, 10, 32, 64, 128);
    }

    /** @return the CIFAR-10 classifier: 3×32×32, 10 classes, 32/64 filters, 128 features */
    public static CnnClassifierConfig cifar10() {
        return new CnnClassifierConfig("cifar10-cnn", 3, 32, 32, 10, 32, 64, 128);
    }
}
