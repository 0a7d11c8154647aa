/**
 * Flow matching (Lipman et al. 2023) with the straight and VP paths and the minibatch-OT coupling
 * (Tong et al. 2024), rectified flow and reflow (Liu et al. 2023), and the flow-matching model family.
 */
package io.gen4j.score.flow;
