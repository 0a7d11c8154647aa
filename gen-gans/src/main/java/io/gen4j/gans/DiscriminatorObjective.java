package io.gen4j.gans;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The discriminator's {@link Objective}: {@link GanLoss#discriminatorLoss} on a real batch and on
 * as many generated examples (the generator detached), plus an optional {@link CriticPenalty}.
 * With a weight clip c (WGAN, Arjovsky et al. 2017) every trainable parameter of D is clipped to
 * [−c, c] in {@link #prepare}, i.e. before every use of D in a step (the generator's objective clips
 * too), which is where the constraint has to hold.
 *
 * <p>Batches are {@code (x)} or {@code (x, labels)}; generated examples get the real batch's
 * labels. Terms: {@code realScore} and {@code fakeScore} (the means of D(x) and D(G(z))), the
 * penalty under its name.
 */
public final class DiscriminatorObjective implements Objective {

    private final Generator generator;
    private final Discriminator discriminator;
    private final GanLoss loss;
    private final CriticPenalty penalty;
    private final double weightClip;

    /**
     * @param generator the generator
     * @param discriminator the discriminator this objective trains
     * @param loss the GAN loss
     * @param penalty a penalty, or null
     * @param weightClip clip D's weights to [−c, c], or 0 for no clipping
     */
    public DiscriminatorObjective(Generator generator, Discriminator discriminator, GanLoss loss,
            CriticPenalty penalty, double weightClip) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.penalty = penalty;
        if (!(weightClip >= 0) || Double.isInfinite(weightClip)) {
            throw new IllegalArgumentException("weightClip must be finite and >= 0 (0 = none), got " + weightClip);
        }
        this.weightClip = weightClip;
    }

    @Override
    public Block network() {
        return discriminator;
    }

    @Override
    public NDList prepare(StepContext context, NDList batch) {
        clipWeights(discriminator, weightClip);
        return batch;
    }

    @Override
    public LossTerms loss(StepContext ctx, NDList batch) {
        NDArray real = batch.head();
        NDArray labels = batch.size() > 1 ? batch.get(1) : null;
        NDArray z = GeneratorObjective.latent(real, generator);
        NDArray fake = generator.generate(ctx.parameters(), z, labels, ctx.training()).stopGradient();
        NDArray realScores = discriminator.score(ctx.parameters(), real, labels, ctx.training());
        NDArray fakeScores = discriminator.score(ctx.parameters(), fake, labels, ctx.training());
        NDArray total = loss.discriminatorLoss(realScores, fakeScores);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("realScore", realScores.mean());
        terms.put("fakeScore", fakeScores.mean());
        if (penalty != null) {
            NDArray p = penalty.penalty(discriminator, ctx.parameters(), real, fake, labels, ctx.training());
            terms.put(penalty.name(), p);
            total = total.add(p);
        }
        return new LossTerms(total, terms);
    }

    /**
     * Clips every trainable parameter of a block to [−c, c] in place (outside autograd).
     *
     * @param block the block
     * @param c the bound; 0 does nothing
     */
    static void clipWeights(Block block, double c) {
        if (c == 0) {
            return;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray w = p.getValue().getArray();
            try (NDManager scope = w.getManager().newSubManager()) {
                scope.tempAttachAll(w);
                Scalars.clip(w, -c, c).copyTo(w);
            }
        }
    }
}
