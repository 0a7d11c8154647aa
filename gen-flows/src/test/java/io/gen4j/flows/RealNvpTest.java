package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The image config's builder and JSON form. */
class RealNvpTest {

    @Test
    void imageConfigBuilderDefaultsAndJsonRoundTrip() throws Exception {
        assertEquals(new RealNvp.ImageConfig(1, 28, 28, 2, 3, 64, 2, 8, 1e-6), RealNvp.ImageConfig.defaults());
        RealNvp.ImageConfig c = RealNvp.ImageConfig.builder().setImageShape(3, 32, 32).optScales(3).optCouplings(4)
                .optHidden(96).optResBlocks(3).optGroups(16).optLogitAlpha(0.05).build();
        assertEquals(new RealNvp.ImageConfig(3, 32, 32, 3, 4, 96, 3, 16, 0.05), c);
        assertEquals(c, c.toBuilder().build());
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(c);
        assertEquals("{\"channels\":3,\"height\":32,\"width\":32,\"scales\":3,\"couplings\":4,\"hidden\":96,"
                + "\"resBlocks\":3,\"groups\":16,\"logitAlpha\":0.05}", text);
        assertEquals(c, json.readValue(text, RealNvp.ImageConfig.class));
    }
}
