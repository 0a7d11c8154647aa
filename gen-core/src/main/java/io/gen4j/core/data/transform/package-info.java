/**
 * Image preprocessing on 8-bit pixels, modelled on torchvision's transforms: the {@link
 * io.gen4j.core.data.transform.ImageTransform} contract on one {@link
 * io.gen4j.core.data.transform.ByteImage}, and its implementations {@link
 * io.gen4j.core.data.transform.Resize}, {@link io.gen4j.core.data.transform.CenterCrop}, {@link
 * io.gen4j.core.data.transform.RandomCrop}, {@link io.gen4j.core.data.transform.ColorConversion},
 * {@link io.gen4j.core.data.transform.HorizontalFlip}, composed with {@link
 * io.gen4j.core.data.transform.Compose}. {@link io.gen4j.core.data.ImagePreprocessing} says which
 * steps run once when images are read and which run on every training batch.
 */
package io.gen4j.core.data.transform;
