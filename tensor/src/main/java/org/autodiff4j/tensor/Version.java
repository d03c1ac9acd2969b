package org.autodiff4j.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The library's version, as built (the same for every module of one release). */
public final class Version {
    private static final String VERSION = read();

    private Version() {
    }

    /**
     * The version this library was built as, e.g. {@code 0.2.0}.
     *
     * @return the Maven project version written into the jar at build time
     */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the autodiff4j-tensor jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties from the autodiff4j-tensor jar", e);
        }
    }
}
