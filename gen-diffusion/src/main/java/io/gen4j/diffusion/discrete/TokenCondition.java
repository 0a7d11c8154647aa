package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Tokens held fixed while sampling: a prompt (prefix) or the known parts of an infilling task. The
 * samplers put them into the start and after every step (SEDD's "projection"), so the model fills
 * in only the free positions, conditioned on the fixed ones through its bidirectional attention.
 *
 * @param tokens the given tokens, (1, L) or (N, L), any value at free positions
 * @param fixed 1 where a token is given, 0 where it is drawn; same shape as tokens
 */
public record TokenCondition(NDArray tokens, NDArray fixed) {

    /** @return no fixed tokens */
    public static TokenCondition none() {
        return new TokenCondition(null, null);
    }

    /**
     * @param manager the manager of the arrays
     * @param given the tokens of one sequence of length L, negative where free
     * @return the condition, (1, L)
     */
    public static TokenCondition of(NDManager manager, int[] given) {
        long[] tokens = new long[given.length];
        long[] fixed = new long[given.length];
        for (int i = 0; i < given.length; i++) {
            tokens[i] = Math.max(0, given[i]);
            fixed[i] = given[i] >= 0 ? 1 : 0;
        }
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(1, given.length);
        return new TokenCondition(manager.create(tokens, shape), manager.create(fixed, shape));
    }

    /**
     * @param manager the manager of the arrays
     * @param prefix the first tokens
     * @param length the sequence length L
     * @return the first prefix.length positions fixed, the rest free
     */
    public static TokenCondition prefix(NDManager manager, int[] prefix, int length) {
        int[] given = new int[length];
        java.util.Arrays.fill(given, -1);
        System.arraycopy(prefix, 0, given, 0, Math.min(prefix.length, length));
        return of(manager, given);
    }

    /** @return whether nothing is fixed */
    public boolean isNone() {
        return tokens == null;
    }

    /**
     * @param x tokens (N, L)
     * @return x with the given tokens put in, INT64, in x's manager
     */
    public NDArray apply(NDArray x) {
        NDArray ids = Tokens.ids(x);
        if (isNone()) {
            return ids;
        }
        // ids first: the result stays in x's manager (docs/memory.md)
        return ids.add(ids.neg().add(tokens.toType(DataType.INT64, false)).mul(fixed.toType(DataType.INT64, false)));
    }
}
