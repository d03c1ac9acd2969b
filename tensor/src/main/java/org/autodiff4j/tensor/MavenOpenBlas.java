package org.autodiff4j.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The OpenBLAS that arrives with the library from Maven Central ({@code org.bytedeco:openblas}, its
 * {@code linux-x86_64} natives), for machines without a system OpenBLAS: its shared libraries are copied once out of
 * the jar into the user cache ({@code ~/.cache/autodiff4j/native/}, or {@code -Dautodiff4j.cache=DIR}), and netlib's
 * JNI binding is pointed at them, so products run on it with the arrays pinned, not copied, as on the system route.
 */
final class MavenOpenBlas {
    /** The Maven version of {@code org.bytedeco:openblas} the build depends on. */
    static final String VERSION = "0.3.31-1.5.13";
    /** netlib's system property naming the library its JNI binding opens. */
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    private static final String PLATFORM = "linux-x86_64";
    /** The libraries, each beside the others (OpenBLAS finds its Fortran runtime through {@code $ORIGIN}). */
    private static final List<String> FILES = List.of("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0",
            "libgcc_s.so.1");
    private static final String RESOURCES = "org/bytedeco/openblas/" + PLATFORM + "/";

    private MavenOpenBlas() {
    }

    /**
     * Why the Maven OpenBLAS cannot serve here, or null when it can.
     *
     * @return the reason, or null
     */
    static String unavailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the Maven OpenBLAS in this build is for " + PLATFORM + ", this is " + os + " " + arch
                    + " (add org.bytedeco:openblas:" + VERSION + " with your platform's classifier)";
        }
        if (MavenOpenBlas.class.getClassLoader().getResource(RESOURCES + FILES.get(0)) == null) {
            return "org.bytedeco:openblas:" + VERSION + ":" + PLATFORM + " is not on the class path";
        }
        return null;
    }

    /**
     * Points netlib's JNI binding at this OpenBLAS when the route asks for it ({@code maven}) or, for {@code auto}, when
     * no optimised system BLAS is installed; leaves netlib alone when its library is set by its own properties.
     *
     * @param wanted the route asked for: auto, native, maven, jblas or java
     * @return null when netlib now opens this OpenBLAS, else why not
     */
    static String pointNetlib(String wanted) {
        if (System.getProperty(NETLIB_PATH) != null || System.getProperty("dev.ludovic.netlib.blas.nativeLib") != null) {
            return "netlib's library is set by -D" + NETLIB_PATH + " or nativeLib";
        }
        if (!wanted.equals("maven") && !(wanted.equals("auto") && !systemBlasInstalled())) {
            return "a system BLAS was chosen";
        }
        String why = unavailable();
        if (why != null) {
            return why;
        }
        try {
            System.setProperty(NETLIB_PATH, library().toString());
            return null;
        } catch (IOException e) {
            return "its libraries could not be copied into the cache (" + e.getMessage() + ")";
        }
    }

    /**
     * The OpenBLAS library, copied out of the jar into the cache on first use (whole or not at all: into a
     * temporary folder that is then renamed).
     *
     * @return the path of {@code libopenblas.so.0}
     * @throws IOException when the libraries cannot be read or written
     */
    static Path library() throws IOException {
        Path dir = cache().resolve("native").resolve("openblas-" + VERSION + "-" + PLATFORM);
        if (!complete(dir)) {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".");
            try {
                for (String f : FILES) {
                    try (InputStream in = MavenOpenBlas.class.getClassLoader().getResourceAsStream(RESOURCES + f)) {
                        if (in == null) {
                            throw new IOException(RESOURCES + f + " is missing from the class path");
                        }
                        Files.copy(in, tmp.resolve(f));
                    }
                }
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                    if (!complete(dir)) { // another process did not finish it either: replace what is there
                        throw new IOException(dir + " holds an incomplete copy of OpenBLAS; remove it", e);
                    }
                }
            } finally {
                if (Files.exists(tmp)) {
                    try (var files = Files.list(tmp)) {
                        for (Path p : files.toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return dir.resolve(FILES.get(0));
    }

    /** Whether every library is in {@code dir} with the size of its resource. */
    private static boolean complete(Path dir) throws IOException {
        for (String f : FILES) {
            Path p = dir.resolve(f);
            var url = MavenOpenBlas.class.getClassLoader().getResource(RESOURCES + f);
            if (!Files.isRegularFile(p) || url == null) {
                return false;
            }
            long size;
            try (InputStream in = url.openStream()) {
                size = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (Files.size(p) != size) {
                return false;
            }
        }
        return true;
    }

    /** The user cache: {@code -Dautodiff4j.cache}, else {@code $XDG_CACHE_HOME/autodiff4j}, else ~/.cache/autodiff4j. */
    private static Path cache() {
        String property = System.getProperty("autodiff4j.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return root.resolve("autodiff4j");
    }

    /**
     * Whether the dynamic linker would find an optimised system BLAS as {@code libblas.so.3} (what netlib opens): the
     * file in a library folder the linker searches, resolving to OpenBLAS, MKL, BLIS or ATLAS rather than the
     * reference BLAS.
     *
     * @return whether a fast system BLAS is installed
     */
    static boolean systemBlasInstalled() {
        List<String> dirs = new java.util.ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        dirs.addAll(List.of("/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64",
                "/usr/lib", "/lib"));
        for (String d : dirs) {
            if (d.isBlank()) {
                continue;
            }
            Path p = Path.of(d, "libblas.so.3");
            if (Files.exists(p)) {
                try {
                    String real = p.toRealPath().toString().toLowerCase(Locale.ROOT);
                    return real.contains("openblas") || real.contains("mkl") || real.contains("blis")
                            || real.contains("atlas");
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
