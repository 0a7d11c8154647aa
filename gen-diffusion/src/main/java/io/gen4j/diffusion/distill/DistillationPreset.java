package io.gen4j.diffusion.distill;

import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import java.util.Objects;

/**
 * Rounds of progressive distillation (Salimans &amp; Ho 2022) and how each student trains: the students of
 * the course's topic 11-07 (docs/topics/11-07-guidance-sampling-evaluation.md). The first teacher samples
 * with DDIM on {@code teacherSteps} trailing steps ({@link #teacherGrid}); each round a student starts as a
 * copy of its teacher ({@link ProgressiveDistillation#initialiseFrom}) and learns one DDIM step = two of its
 * teacher's ({@link ProgressiveDistillation}), then becomes the next round's teacher: after {@code rounds}
 * rounds the student samples in teacherSteps / 2^rounds steps.
 *
 * @param teacherSteps DDIM steps of the first teacher, divisible by 2^rounds
 * @param rounds halvings, at least 1
 * @param training each round's steps, batch and AdamW's rate (the presets: constant), clip
 */
public record DistillationPreset(int teacherSteps, int rounds, TrainingRecipe training) {

    /** Validates. */
    public DistillationPreset {
        Objects.requireNonNull(training, "training");
        if (rounds < 1 || rounds > 30) {
            throw new IllegalArgumentException("rounds must be in [1, 30], got " + rounds);
        }
        if (teacherSteps < 2 || teacherSteps % (1 << rounds) != 0) {
            throw new IllegalArgumentException("teacherSteps must be a positive multiple of 2^rounds = " + (1 << rounds)
                    + ", got " + teacherSteps);
        }
    }

    /**
     * Students trained with AdamW at a constant rate and a gradient-norm clip of 1.
     *
     * @param teacherSteps DDIM steps of the first teacher
     * @param rounds halvings
     * @param stepsPerRound AdamW updates per round
     * @param batch examples per update
     * @param learningRate the constant rate
     * @return the preset
     */
    public static DistillationPreset of(int teacherSteps, int rounds, long stepsPerRound, int batch,
            double learningRate) {
        return new DistillationPreset(teacherSteps, rounds,
                TrainingRecipe.of(stepsPerRound, batch, learningRate, learningRate, 0, 1.0));
    }

    /**
     * @param diffusionSteps the teacher's T
     * @return the first teacher's DDIM grid: {@code teacherSteps} trailing steps
     */
    public TimeGrid teacherGrid(int diffusionSteps) {
        return TimeGrid.spaced(diffusionSteps, teacherSteps, Spacing.TRAILING);
    }

    /**
     * A student's training step: the objective, AdamW on {@link #training()}'s schedule and its clip; name
     * it, then {@code build()}.
     *
     * @param objective the round's {@link ProgressiveDistillation}
     * @return the builder
     */
    public ObjectiveStep.Builder step(Objective objective) {
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(AdamW.factory(training.schedule(), training.adam())).optClipNorm(training.maxGradNorm());
    }
}
