package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.Map;
import java.util.Objects;

/**
 * The generator's {@link Objective}: {@link GanLoss#generatorLoss} of D's scores on a fresh
 * generated batch of the real batch's size (and labels). The backward runs through D to the generated
 * batch; in {@code MultiPlayerStep} D's parameters are detached in this pass, so D's own gradients are
 * not computed. Term: {@code fakeScore}.
 */
public final class GeneratorObjective implements Objective {

    private final Generator generator;
    private final Discriminator discriminator;
    private final GanLoss loss;
    private final double weightClip;

    /**
     * @param generator the generator this objective trains
     * @param discriminator the discriminator
     * @param loss the GAN loss
     * @param weightClip D's weight clip (re-applied before use), or 0
     */
    public GeneratorObjective(Generator generator, Discriminator discriminator, GanLoss loss, double weightClip) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.weightClip = weightClip;
    }

    @Override
    public Block network() {
        return generator;
    }

    @Override
    public NDList prepare(StepContext context, NDList batch) {
        DiscriminatorObjective.clipWeights(discriminator, weightClip);
        return batch;
    }

    @Override
    public LossTerms loss(StepContext ctx, NDList batch) {
        NDArray real = batch.head();
        NDArray labels = batch.size() > 1 ? batch.get(1) : null;
        NDArray fake = generator.generate(ctx.parameters(), latent(real, generator), labels, ctx.training());
        NDArray fakeScores = discriminator.score(ctx.parameters(), fake, labels, ctx.training());
        return new LossTerms(loss.generatorLoss(fakeScores), Map.of("fakeScore", fakeScores.mean()));
    }

    /** z ~ N(0, I) of the batch's size, from the engine's generator, in the batch's scope. */
    static NDArray latent(NDArray real, Generator generator) {
        return real.getManager().randomNormal(0, 1, new Shape(real.getShape().get(0), generator.latentDim()),
                real.getDataType());
    }
}
