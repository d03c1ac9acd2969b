package org.autodiff4j.models;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** The shared data sets beside the repository ({@code ../shared/data}), as Maven passes them to tests. */
public final class SharedData {
    private SharedData() {
    }

    /** The data folder; the test is skipped (with the reason) when it is absent. */
    public static Path dir() {
        String p = System.getProperty("autodiff4j.test.data", "../../shared/data");
        Path dir = Path.of(p).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("binarized-mnist")),
                "shared data not found at " + dir + " (set -Dautodiff4j.test.data=DIR)");
        return dir;
    }
}
