package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned vector per class label: a (K, d) table indexed by labels of shape (N), giving (N, d).
 *
 * <p>With {@code withNullClass} the table has K + 1 rows and label K means "no label": the
 * unconditional embedding that classifier-free guidance trains by dropping labels (Ho &amp; Salimans
 * 2022). Rows are initialised N(0, 1) as in PyTorch's {@code nn.Embedding}. The lookup is a one-hot
 * matrix product, so gradients reach exactly the rows that were used.
 */
public class LabelEmbedding extends AbstractBlock {

    private final int numClasses;
    private final int dim;
    private final boolean nullClass;
    private final Parameter table;

    /**
     * @param numClasses number of real classes K, at least 1
     * @param dim embedding size d, at least 1
     * @param withNullClass add the extra "no label" row K
     */
    public LabelEmbedding(int numClasses, int dim, boolean withNullClass) {
        if (numClasses < 1 || dim < 1) {
            throw new IllegalArgumentException(
                    "numClasses and dim must be >= 1, got " + numClasses + " and " + dim);
        }
        this.numClasses = numClasses;
        this.dim = dim;
        this.nullClass = withNullClass;
        this.table = addParameter(Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows(), dim))
                .optInitializer(new NormalInitializer(1f))
                .build());
    }

    private int rows() {
        return numClasses + (nullClass ? 1 : 0);
    }

    /** @return the label that means "no label" */
    public int nullLabel() {
        if (!nullClass) {
            throw new IllegalStateException("this embedding was built without a null class");
        }
        return numClasses;
    }

    /**
     * The functional twin.
     *
     * @param labels integer labels (N), each in [0, rows)
     * @param table (rows, d)
     * @return (N, d) in the manager of {@code labels}
     */
    public static NDArray lookup(NDArray labels, NDArray table) {
        int rows = (int) table.getShape().get(0);
        return labels.oneHot(rows, table.getDataType()).matMul(table);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray labels = inputs.head();
        NDArray t = ps.getValue(table, labels.getDevice(), training);
        return new NDList(lookup(labels, t));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
