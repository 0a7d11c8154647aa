/**
 * Training: the {@link io.gen4j.core.train.TrainingStep} contract (one optimisation step over a
 * batch, returning named metrics), the {@link io.gen4j.core.train.Fit} loop (per-step memory
 * scope, per-step seeding, listeners, periodic checkpoints and samples, NaN/Inf guard), optimizers
 * with saveable state ({@link io.gen4j.core.train.Adam}, {@link io.gen4j.core.train.AdamW}),
 * learning-rate schedules, global-norm gradient clipping, EMA of weights, a console progress bar
 * and CSV/JSONL metric logs.
 */
package io.gen4j.core.train;
