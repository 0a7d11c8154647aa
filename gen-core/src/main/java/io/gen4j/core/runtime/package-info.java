/**
 * Start-up concerns: which device to run on, how many threads, how to make runs repeatable, and the
 * convolution guard with its engine canary (docs/known-issues.md §1).
 */
package io.gen4j.core.runtime;
