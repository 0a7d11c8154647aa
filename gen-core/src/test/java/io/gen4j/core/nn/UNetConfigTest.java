package io.gen4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The builder's defaults and validation, and the record as a JSON value (config.json, model.json). */
class UNetConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void builderDefaultsAreTheDocumentedOnes() {
        UNetConfig expected = new UNetConfig(3, 3, 32, new int[] {1, 2, 2}, 1, new int[] {2}, 1, 8, 0f, 0, 0, true);
        assertEquals(expected, UNetConfig.builder().setImageChannels(3).build());
        assertEquals(expected, UNetConfig.defaults(3));
    }

    @Test
    void attentionDefaultsToTheLowestResolution() {
        assertArrayEquals(new int[] {1},
                UNetConfig.builder().setImageChannels(1).optChannelMultipliers(1, 2).build().attentionLevels());
        assertArrayEquals(new int[] {3}, UNetConfig.builder().setImageChannels(1)
                .optChannelMultipliers(1, 2, 2, 2).build().attentionLevels());
        assertArrayEquals(new int[0],
                UNetConfig.builder().setImageChannels(1).optAttentionLevels().build().attentionLevels());
    }

    @Test
    void everyFieldCanBeSetAndToBuilderKeepsThem() {
        UNetConfig c = UNetConfig.builder()
                .setImageChannels(3).optOutChannels(6).optBaseChannels(64).optChannelMultipliers(1, 2, 4)
                .optBlocksPerLevel(2).optAttentionLevels(1, 2).optHeads(4).optGroups(16).optDropout(0.1f)
                .optClasses(10).optContextDim(32).optZeroInitOutput(false).build();
        assertEquals(new UNetConfig(3, 6, 64, new int[] {1, 2, 4}, 2, new int[] {1, 2}, 4, 16, 0.1f, 10, 32, false), c);
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.withGroups(8), c.toBuilder().optGroups(8).build());
        UNetConfig gray = c.toBuilder().setImageChannels(1).build();
        assertEquals(1, gray.inChannels());
        assertEquals(6, gray.outChannels(), "an explicit output width survives a new image width");
        UNetConfig same = UNetConfig.defaults(3).toBuilder().setImageChannels(1).build();
        assertEquals(1, same.outChannels(), "out follows in when it was not set");
    }

    @Test
    void builderIsACopyNotAView() {
        int[] multipliers = {1, 2};
        UNetConfig.Builder b = UNetConfig.builder().setImageChannels(1).optChannelMultipliers(multipliers);
        multipliers[1] = 0;
        assertArrayEquals(new int[] {1, 2}, b.build().channelMultipliers());
    }

    @Test
    void errorsNameTheBadValueAndTheRange() {
        assertMessage(() -> UNetConfig.builder().build(), "imageChannels must be set to a value >= 1, got 0");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optGroups(5).build(),
                "divisible by groups (5), got 32");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optGroups(0).build(), "groups must be >= 1, got 0");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optAttentionLevels(3).build(),
                "attention levels must be in [0, 2], got 3");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optDropout(1f).build(),
                "dropout must be in [0, 1), got 1.0");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optHeads(3).build(), "heads 3 must divide");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optChannelMultipliers(1, 0).build(),
                "must be >= 1, got [1, 0]");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optChannelMultipliers().build(),
                "channelMultipliers needs at least one level");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optBlocksPerLevel(0).build(),
                "blocksPerLevel must be >= 1, got 0");
        assertMessage(() -> UNetConfig.builder().setImageChannels(1).optClasses(-1).build(), "got -1, 0");
    }

    private static void assertMessage(Executable build, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void jsonRoundTripGivesAnEqualRecord() throws Exception {
        for (UNetConfig c : List.of(UNetConfig.defaults(1),
                UNetConfig.builder().setImageChannels(3).optOutChannels(6).optBaseChannels(16)
                        .optChannelMultipliers(1, 2).optAttentionLevels().optHeads(2).optGroups(4)
                        .optDropout(0.25f).optClasses(10).optContextDim(8).optZeroInitOutput(false).build())) {
            String json = JSON.writeValueAsString(c);
            assertEquals(c, JSON.readValue(json, UNetConfig.class), json);
            assertTrue(json.startsWith("{\"inChannels\":"), json);
            assertTrue(!json.contains("builder") && !json.contains("levels\":") , json);
        }
    }

    @Test
    void readsTheJsonOfEarlierRuns() throws Exception {
        // config.json / model.json as written before the builder existed (the quickstart's network)
        String earlier = "{\"inChannels\":1,\"outChannels\":1,\"baseChannels\":16,\"channelMultipliers\":[1,2,2],"
                + "\"blocksPerLevel\":1,\"attentionLevels\":[2],\"heads\":1,\"groups\":8,\"dropout\":0.0,"
                + "\"numClasses\":0,\"contextDim\":0,\"zeroInitOutput\":true}";
        UNetConfig read = JSON.readValue(earlier, UNetConfig.class);
        assertEquals(UNetConfig.builder().setImageChannels(1).optBaseChannels(16).build(), read);
        assertEquals(earlier, JSON.writeValueAsString(read));
    }
}
