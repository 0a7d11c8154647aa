package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.NumpyArray;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSetsTest {

    @TempDir
    Path dir;

    @Test
    void pngFolderGrayAndRgb() throws IOException {
        Path gray = Files.createDirectory(dir.resolve("gray"));
        Path rgb = Files.createDirectory(dir.resolve("rgb"));
        for (int n = 0; n < 3; n++) {
            BufferedImage g = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage c = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 4; x++) {
                    g.getRaster().setSample(x, y, 0, 10 * n + x + 4 * y);
                    c.setRGB(x, y, (200 << 16) | ((n * 50) << 8) | (x + y));
                }
            }
            ImageIO.write(g, "png", gray.resolve(String.format("%03d.png", n)).toFile());
            ImageIO.write(c, "png", rgb.resolve(String.format("%03d.png", n)).toFile());
        }
        ImageSet gs = ImageSets.readImageFolder(gray);
        assertEquals(new ImageSet(3, 1, 2, 4, gs.pixels()), gs);
        assertEquals(25, gs.pixels()[8 * 2 + 1 + 4]); // image 2, y=1, x=1: 20 + 1 + 4
        ImageSet cs = ImageSets.readImageFolder(rgb);
        assertEquals(3, cs.channels());
        int base = 1 * 3 * 8; // image 1
        assertEquals((byte) 200, cs.pixels()[base]); // R
        assertEquals((byte) 50, cs.pixels()[base + 8]); // G
        assertEquals((byte) 1, cs.pixels()[base + 16 + 1]); // B at x=1
    }

    @Test
    void npzUint8ChannelsLastAndFloatSymmetric() throws IOException {
        try (NDManager manager = Managers.create()) {
            byte[] nhwc = new byte[2 * 2 * 2 * 3];
            for (int i = 0; i < nhwc.length; i++) {
                nhwc[i] = (byte) (i * 10);
            }
            NDArray a = manager.create(java.nio.ByteBuffer.wrap(nhwc), new Shape(2, 2, 2, 3), DataType.UINT8);
            Path file = dir.resolve("samples.npz");
            try (OutputStream out = Files.newOutputStream(file)) {
                new NDList(a).encode(out, NDList.Encoding.NPZ);
            }
            ImageSet s = ImageSets.read(file, PixelRange.ZERO_ONE, manager);
            assertEquals(3, s.channels());
            // NCHW (n=0, c=1, y=0, x=1) = NHWC (0, 0, 1, 1) = index 4 -> 40
            assertEquals((byte) 40, s.pixels()[4 + 1]);

            NDArray f = manager.create(new float[] {-1f, 0f, 1f, 0.5f}, new Shape(1, 1, 2, 2));
            Path floats = dir.resolve("floats.npz");
            try (OutputStream out = Files.newOutputStream(floats)) {
                new NDList(f).encode(out, NDList.Encoding.NPZ);
            }
            ImageSet fs = ImageSets.read(floats, PixelRange.MINUS_ONE_ONE, manager);
            assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 191}, fs.pixels());
        }
    }

    @Test
    void npyThroughTheCoreReaderIncludingBigEndian() throws IOException {
        try (NDManager manager = Managers.create()) {
            // what a user's sampler writes with gen-core: uint8 images, (N, C, H, W)
            NDArray images = manager.create(new float[] {-1f, 0f, 1f, 0.5f}, new Shape(1, 1, 2, 2));
            Path npy = dir.resolve("samples.npy");
            ArrayFiles.writeImages(npy, images, PixelRange.MINUS_ONE_ONE);
            assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 191},
                    ImageSets.read(npy, PixelRange.ZERO_ONE, manager).pixels());

            // a big-endian float file, which DJL's NDList.decode would have returned unswapped
            Path le = dir.resolve("le.npy");
            ArrayFiles.write(le, NumpyArray.of(new float[] {-1f, 0f, 1f, 0.5f}, new Shape(1, 1, 2, 2)));
            byte[] bytes = Files.readAllBytes(le);
            int descr = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("<f4");
            bytes[descr] = '>';
            for (int i = bytes.length - 16; i < bytes.length; i += 4) {
                byte t0 = bytes[i];
                byte t1 = bytes[i + 1];
                bytes[i] = bytes[i + 3];
                bytes[i + 1] = bytes[i + 2];
                bytes[i + 2] = t1;
                bytes[i + 3] = t0;
            }
            Path be = dir.resolve("be.npy");
            Files.write(be, bytes);
            assertArrayEquals(new byte[] {0, (byte) 128, (byte) 255, (byte) 191},
                    ImageSets.read(be, PixelRange.MINUS_ONE_ONE, manager).pixels());

            Path corrupt = dir.resolve("corrupt.npz");
            Files.write(corrupt, new byte[] {'P', 'K', 3});
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> ImageSets.read(corrupt, PixelRange.ZERO_ONE, manager));
            assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
        }
    }

    @Test
    void cifar10Binary() throws IOException {
        byte[] batch = new byte[10_000 * 3073];
        batch[0] = 7; // label of image 0
        batch[1] = (byte) 200; // R(0,0) of image 0
        batch[3073] = 3;
        batch[3073 + 1 + 1024] = 9; // G(0,0) of image 1
        Files.write(dir.resolve("test_batch.bin"), batch);
        LabelledImages test = ImageSets.readCifar10(dir, false);
        assertEquals(10_000, test.images().count());
        assertEquals(7, test.labels()[0]);
        assertEquals(3, test.labels()[1]);
        assertEquals((byte) 200, test.images().pixels()[0]);
        assertEquals(9, test.images().pixels()[3072 + 1024]);
        assertThrows(IOException.class, () -> ImageSets.readCifar10(dir, true));
    }

    @Test
    void idxGzipped() throws IOException {
        Path file = dir.resolve("x-images-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x803);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 255});
        }
        ImageSet s = ImageSets.read(file, PixelRange.ZERO_ONE, null);
        assertEquals(new ImageSet(2, 1, 2, 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 255}), s);
        try (NDManager manager = Managers.create()) {
            float[] batch = s.batch(manager, 1, 2).toFloatArray();
            assertEquals(1f, batch[5], 0f);
            assertEquals(7f / 255f, batch[0], 0f);
        }
        assertThrows(IOException.class, () -> ImageSets.read(dir.resolve("unknown.bin"), PixelRange.ZERO_ONE, null));
    }

    @Test
    void idxErrorsComeFromTheCoreReaderAndNameTheFile() throws IOException {
        Path labels = dir.resolve("y-labels-idx1-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x801);
            out.writeInt(3);
            out.write(new byte[] {4, 0, 9});
        }
        assertArrayEquals(new int[] {4, 0, 9}, ImageSets.readIdxLabels(labels));
        DatasetFormatException swapped = assertThrows(DatasetFormatException.class, () -> ImageSets.readIdx(labels));
        assertEquals(labels, swapped.file());
        Path truncated = dir.resolve("z-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(truncated))) {
            out.writeInt(0x803);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(2);
            out.write(new byte[] {1, 2, 3});
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> ImageSets.readIdx(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void fromCoreDatasetKeepsPixelsAndLabels() {
        byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8};
        ImageDataset d = new ImageDataset("toy", 1, 2, 2, pixels, new int[] {1, 0}, List.of("a", "b"));
        LabelledImages li = ImageSets.fromDataset(d);
        assertEquals(new ImageSet(2, 1, 2, 2, pixels), li.images());
        assertArrayEquals(new int[] {1, 0}, li.labels());
    }
}
