package dev.dojo.junit;

import ai.djl.ndarray.NDManager;
import dev.dojo.engine.Engines;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test its own {@link NDManager} on the PyTorch engine and closes it after the test,
 * so no tensor outlives the test that made it. Use with {@code @ExtendWith(ScopedManager.class)}
 * and a test parameter {@code NDManager manager}.
 */
public final class ScopedManager implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ScopedManager.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NDManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("manager", key -> Engines.newManager(), NDManager.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        NDManager manager = context.getStore(NAMESPACE).remove("manager", NDManager.class);
        if (manager != null) {
            manager.close();
        }
    }
}
