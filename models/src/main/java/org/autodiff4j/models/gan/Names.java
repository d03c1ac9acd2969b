package org.autodiff4j.models.gan;

import java.util.List;

/** The lookup behind the GAN enums' {@code named}: a name's position in the constants' names, or one clear error. */
final class Names {
    private Names() {
    }

    /**
     * The position of {@code name} in {@code names}.
     *
     * @param names the allowed names, in the order of the enum's constants
     * @param name the name to look up
     * @param unknown the error's start, e.g. {@code "GAN loss: unknown"}
     * @return the index of the constant
     * @throws IllegalArgumentException {@code unknown 'name' (allowed: a, b, c)}
     */
    static int indexOf(List<String> names, String name, String unknown) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(unknown + " '" + name + "' (allowed: " + String.join(", ", names) + ")");
        }
        return i;
    }
}
