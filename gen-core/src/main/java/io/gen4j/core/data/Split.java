package io.gen4j.core.data;

/** Which part of a dataset with a fixed train/test partition to read. */
public enum Split {
    /** The training part (60 000 images for MNIST-likes, 50 000 for CIFAR-10). */
    TRAIN,
    /** The held-out test part (10 000 images for all three). */
    TEST
}
