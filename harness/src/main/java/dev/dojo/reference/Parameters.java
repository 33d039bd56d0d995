package dev.dojo.reference;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Named parameter tensors, as PyTorch's {@code named_parameters()} spells the names. */
public record Parameters(Map<String, NDArray> byName) {

    public Parameters {
        byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The parameter called {@code name}; an error that lists the names there are if it is missing. */
    public NDArray get(String name) {
        NDArray value = byName.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; there are " + byName.keySet());
        }
        return value;
    }

    /** The parameter called {@code name}, if there is one. */
    public Optional<NDArray> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The parameters under {@code prefix + "."}, with that prefix removed from their names. */
    public Parameters under(String prefix) {
        Map<String, NDArray> inner = new LinkedHashMap<>();
        byName.forEach((name, value) -> {
            if (name.startsWith(prefix + ".")) {
                inner.put(name.substring(prefix.length() + 1), value);
            }
        });
        if (inner.isEmpty()) {
            throw new IllegalArgumentException("no parameters under '" + prefix + "'; there are " + byName.keySet());
        }
        return new Parameters(inner);
    }
}
