package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** {@link InPlaceOps#composed()}: each operation computes a new array and copies it into place with {@code set}. */
final class ComposedInPlaceOps implements InPlaceOps {
    static final ComposedInPlaceOps INSTANCE = new ComposedInPlaceOps();
    private static final NDIndex ALL = new NDIndex("...");

    private ComposedInPlaceOps() {}

    @Override
    public boolean takes(NDArray... arrays) {
        return false;
    }

    @Override
    public void addmm(NDArray out, NDArray addend, NDArray a, NDArray b) {
        InPlaceOps.checkAddmm(out, addend, a, b);
        try (NDArray product = a.matMul(b); NDArray sum = product.add(addend)) {
            out.set(ALL, sum);
        }
    }

    @Override
    public void sigmoid(NDArray x) {
        try (NDArray s = x.getNDArrayInternal().sigmoid()) {
            x.set(ALL, s);
        }
    }

    @Override
    public void relu(NDArray x) {
        try (NDArray r = x.getNDArrayInternal().relu()) {
            x.set(ALL, r);
        }
    }

    @Override
    public void mul(NDArray x, NDArray y) {
        InPlaceOps.checkSameShape("mul", x, y);
        x.muli(y);
    }

    @Override
    public void copy(NDArray out, NDArray src) {
        InPlaceOps.checkSameShape("copy", out, src);
        out.set(ALL, src);
    }

    @Override
    public String toString() {
        return "composed in-place operations";
    }
}
