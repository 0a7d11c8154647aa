/**
 * Training: the {@link io.gen4j.core.train.Objective} contract (a network and the {@link
 * io.gen4j.core.train.LossTerms} of a batch), {@link io.gen4j.core.train.ObjectiveStep} for one
 * objective and {@link io.gen4j.core.train.MultiPlayerStep} for several networks with their own
 * objectives, optimizers and update plans (GANs, energy models, distillation), the {@link
 * io.gen4j.core.train.TrainingStep} contract both implement (one optimisation step over a batch,
 * returning named metrics), the {@link io.gen4j.core.train.Fit} loop (per-step memory
 * scope, per-step seeding, listeners, periodic checkpoints and samples, NaN/Inf guard), optimizers
 * with saveable state ({@link io.gen4j.core.train.Adam}, {@link io.gen4j.core.train.AdamW}),
 * learning-rate schedules, global-norm gradient clipping, EMA of weights, a console progress bar
 * and CSV/JSONL metric logs.
 */
package io.gen4j.core.train;
