package io.gen4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir
    Path dir;

    private static String ascii(byte[] b, int from) {
        return new String(b, from, 4, StandardCharsets.US_ASCII);
    }

    @Test
    void headerFieldsAndSamples() throws IOException {
        Path file = dir.resolve("a/tone.wav");
        WavWriter.writeMono16(new float[] {0f, 0.5f, -1f, 2f, Float.NaN}, 16000, file);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 10, b.length);
        assertEquals("RIFF", ascii(b, 0));
        assertEquals(b.length - 8, le.getInt(4));
        assertEquals("WAVE", ascii(b, 8));
        assertEquals("fmt ", ascii(b, 12));
        assertEquals(16, le.getInt(16));
        assertEquals(1, le.getShort(20)); // PCM
        assertEquals(1, le.getShort(22)); // mono
        assertEquals(16000, le.getInt(24));
        assertEquals(32000, le.getInt(28));
        assertEquals(2, le.getShort(32));
        assertEquals(16, le.getShort(34));
        assertEquals("data", ascii(b, 36));
        assertEquals(10, le.getInt(40));
        assertEquals(0, le.getShort(44));
        assertEquals(16384, le.getShort(46)); // round(0.5 * 32767)
        assertEquals(-32767, le.getShort(48));
        assertEquals(32767, le.getShort(50)); // clipped
        assertEquals(0, le.getShort(52)); // NaN -> silence
    }

    @Test
    void javaSoundReadsIt() throws IOException, UnsupportedAudioFileException {
        float[] tone = new float[8000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.8 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        Path file = dir.resolve("tone.wav");
        try (NDManager m = NDManager.newBaseManager()) {
            WavWriter.writeMono16(m.create(tone), 8000, file);
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(8000f, f.getSampleRate());
            assertEquals(16, f.getSampleSizeInBits());
            assertEquals(1, f.getChannels());
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
            assertEquals(8000, in.getFrameLength());
        }
        assertThrows(IllegalArgumentException.class,
                () -> WavWriter.writeMono16(new float[1], 0, file));
    }
}
