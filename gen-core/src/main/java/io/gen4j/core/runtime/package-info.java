/**
 * Start-up concerns: which device to run on, how many threads, how to make runs repeatable, the
 * convolution guard with its engine canary (docs/known-issues.md §1), and the environment and log
 * threshold of the native libraries ({@link io.gen4j.core.runtime.NativeEnvironment}, {@link
 * io.gen4j.core.runtime.NativeLogging}).
 */
package io.gen4j.core.runtime;
