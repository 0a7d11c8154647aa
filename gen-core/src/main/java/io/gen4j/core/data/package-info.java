/**
 * Data for gen4j models: image datasets held in memory as 8-bit pixels ({@link
 * io.gen4j.core.data.ImageDataset}), read from IDX files (MNIST, Fashion-MNIST), CIFAR-10 binary
 * batches, folders of PNG/JPEG images or DJL's basicdataset; a {@link
 * io.gen4j.core.data.DatasetResolver} that finds them (explicit path, environment, user cache,
 * system dataset directories, download) and explains what it tried; {@link
 * io.gen4j.core.data.ImageSource}, which resolves a user's image-data argument (a dataset name, an
 * IDX or CIFAR folder, a flat image folder or an ImageFolder tree) for every command, with an {@link
 * io.gen4j.core.data.ImagePreprocessing} of torchvision-like transforms (sub-package {@code
 * transform}); seeded, seekable batch sources
 * sharing one shuffling core ({@link io.gen4j.core.data.BatchOrder}) on gen4j's one seeded
 * Fisher–Yates sampler ({@link io.gen4j.core.data.Permutations}). Sub-packages hold the 2-D toys
 * with exact densities ({@code toy}), synthetic audio ({@code audio}) and image transforms ({@code
 * transform}).
 *
 * <p>Everything is plain Java; NDArrays appear only at the boundary ({@code toNDArray}, {@link
 * io.gen4j.core.data.BatchSource#next}). Corrupt files raise {@link
 * io.gen4j.core.data.DatasetFormatException} naming the file and the problem, never garbage tensors.
 */
package io.gen4j.core.data;
