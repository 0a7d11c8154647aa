package io.gen4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Player} with its optimizer and EMA made: runs one update (prepare, loss under autograd,
 * backward, clipping, optimizer, EMA). Shared by {@link ObjectiveStep} and {@link MultiPlayerStep}.
 */
final class PlayerUpdate {

    final Player player;
    final Block network;
    final ParameterOptimizer optimizer;
    final Ema ema;
    final DataParallel parallel;
    /** Parameters of the other players' networks, detached in this player's pass (identity set; empty: none). */
    private Set<Parameter> others = Set.of();

    PlayerUpdate(Player player) {
        this(player, null);
    }

    PlayerUpdate(Player player, DataParallel parallel) {
        this.player = player;
        this.parallel = parallel;
        this.network = player.objective().network();
        if (network == null || !network.isInitialized()) {
            throw new IllegalArgumentException(
                    "the network of player '" + player.name() + "' must be initialized");
        }
        this.optimizer = player.optimizer().create(network);
        if (optimizer == null) {
            throw new IllegalStateException("the optimizer factory of '" + player.name() + "' returned null");
        }
        this.ema = player.ema() == null ? null : new Ema(network, player.ema());
    }

    /**
     * The same player, optimizer and EMA (shared) with another device split.
     *
     * @param base the update whose parts are shared
     * @param parallel the devices, or null for one pass
     */
    PlayerUpdate(PlayerUpdate base, DataParallel parallel) {
        this.player = base.player;
        this.parallel = parallel;
        this.network = base.network;
        this.optimizer = base.optimizer;
        this.ema = base.ema;
    }

    /**
     * Detaches the given parameters in this player's single-device passes ({@link DetachingParameterStore}):
     * {@link MultiPlayerStep} passes the other players' parameters, whose gradients it would discard.
     *
     * @param parameters an identity set, not including this player's own parameters
     */
    void detach(Set<Parameter> parameters) {
        this.others = parameters;
    }

    /**
     * @return lr, loss, every term and (when clipping) gradNorm, unprefixed
     */
    Map<String, Double> update(NDList batch, long step) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("lr", optimizer.nextLearningRate());
        NDManager manager = batch.head().getManager();
        StepContext context = new StepContext(others.isEmpty() ? new ParameterStore(manager, false)
                : new DetachingParameterStore(manager, others), step, true);
        NDList prepared = player.objective().prepare(context, batch);
        if (parallel == null) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                LossTerms terms = player.objective().loss(context, prepared);
                gc.backward(terms.total());
                metrics.putAll(terms.metrics());
            }
        } else {
            metrics.putAll(parallelPass(prepared, step));
        }
        // clipped on the device; the norm is read for the log after the update, not between backward and update
        NDArray gradNorm = player.clipNorm() > 0
                ? Gradients.clipGlobalNorm(batch.head().getManager(), player.clipNorm(), network) : null;
        optimizer.update();
        if (ema != null) {
            ema.update();
        }
        if (gradNorm != null) {
            try (gradNorm; NDArray wide = gradNorm.toType(DataType.FLOAT64, false)) {
                metrics.put("gradNorm", wide.getDouble());
            }
        }
        return metrics;
    }

    /**
     * Forward and backward of each device's slice in one collector, slice i's loss weighted by
     * nᵢ/n; the server then sums the copies' gradients into the network's parameters.
     *
     * @return the metrics, each the nᵢ/n-weighted mean over the slices
     */
    private Map<String, Double> parallelPass(NDList prepared, long step) {
        ai.djl.ndarray.NDManager manager = prepared.head().getManager();
        ParameterStore store = parallel.store(network, manager);
        double n = prepared.head().getShape().get(0);
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            for (NDList slice : parallel.split(prepared)) {
                double weight = slice.head().getShape().get(0) / n;
                LossTerms terms = player.objective().loss(new StepContext(store, step, true), slice);
                gc.backward(Scalars.times(terms.total(), weight));
                terms.metrics().forEach((k, v) -> metrics.merge(k, weight * v, Double::sum));
            }
        }
        store.updateAllParameters();
        return metrics;
    }
}
