package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SaveableModel;

/**
 * A parameter-free, exactly invertible test codec (family {@code test-space-to-depth}): 2×2 pixel
 * blocks become channels, (C, H, W) ↔ (4C, H/2, W/2), times a scale. Lets gen-diffusion test latent
 * diffusion hermetically, without a family module.
 */
public record SpaceToDepthCodec(Spec spec, Block network) implements SaveableModel, LatentCodec {

    /** The spec: the images and a scale. */
    public record Spec(DataSpec data, double scale) implements ModelSpec {
        @Override
        public String family() {
            return "test-space-to-depth";
        }
    }

    /** Its family, registered in the test resources. */
    public static final class Family implements ModelFamily<Spec> {
        @Override
        public String name() {
            return "test-space-to-depth";
        }

        @Override
        public Class<Spec> specType() {
            return Spec.class;
        }

        @Override
        public SaveableModel create(Spec spec, NDManager manager) {
            return SpaceToDepthCodec.of(spec);
        }
    }

    static SpaceToDepthCodec of(Spec spec) {
        return new SpaceToDepthCodec(spec, new Empty());
    }

    @Override
    public NDArray encode(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(n, c, h / 2, 2, w / 2, 2).transpose(0, 1, 3, 5, 2, 4).reshape(n, 4 * c, h / 2, w / 2)
                .mul(spec.scale());
    }

    @Override
    public NDArray decode(NDArray z) {
        Shape s = z.getShape();
        long n = s.get(0), c = s.get(1) / 4, h = s.get(2), w = s.get(3);
        return z.div(spec.scale()).reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
    }

    @Override
    public Shape latentShape() {
        long[] d = spec.data().shape();
        return new Shape(4 * d[0], d[1] / 2, d[2] / 2);
    }

    /** No parameters. */
    static final class Empty extends AbstractBlock {
        Empty() {
            super((byte) 1);
            inputShapes = new Shape[0];
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}
    }
}
