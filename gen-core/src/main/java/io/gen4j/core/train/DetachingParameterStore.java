package io.gen4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Set;

/**
 * A parameter store that hands out the given parameters detached from autograd: the same memory, so a forward
 * pass computes the same values (and in-place updates such as batch normalisation's running statistics land in
 * the parameters), but a backward pass neither computes nor accumulates their gradients. {@link MultiPlayerStep}
 * gives each player one that detaches the other players' parameters: their gradients from a player's pass were
 * zeroed and discarded anyway, so the discriminator's weight gradients in a GAN's generator pass and the
 * generator's graph in the discriminator's pass are no longer computed (docs/performance.md, session 18).
 */
final class DetachingParameterStore extends ParameterStore {

    private final Set<Parameter> detached;

    /**
     * @param manager the step's manager: the detached views are attached to it and closed with it
     * @param detached the parameters to detach (an identity set)
     */
    DetachingParameterStore(NDManager manager, Set<Parameter> detached) {
        super(manager, false);
        this.detached = detached;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (!detached.contains(parameter) || !value.hasGradient()) {
            return value;
        }
        NDArray view = value.stopGradient(); // lands in the parameter's manager: move it to the step's
        view.attach(getManager());
        return view;
    }
}
