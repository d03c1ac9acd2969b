package org.autodiff4j.models.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Finds the named data sets {@code binarized-mnist} (splits train, valid, test), {@code mnist} and
 * {@code fashion-mnist} (train, test). Each split is looked for, in order, in the {@code --data-dir}
 * folder, the folder named by the {@code AUTODIFF4J_DATA} environment variable, and the per-user cache
 * ({@code $XDG_CACHE_HOME/autodiff4j} or {@code ~/.cache/autodiff4j}), each as {@code DIR/NAME/} and
 * {@code DIR/}; Fashion-MNIST also in Debian's {@code /usr/share/datasets/fashion-mnist}. When none
 * has it, it is downloaded from its public source into the cache and its SHA-256 checked.
 */
public final class Datasets {
    /** The environment variable naming a data folder. */
    public static final String ENV = "AUTODIFF4J_DATA";

    private static final String LAROCHELLE = "http://www.cs.toronto.edu/~larocheh/public/datasets/binarized_mnist/";
    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /** Published SHA-256 sums of the files each source serves. */
    private static final Map<String, String> SHA256 = Map.ofEntries(
            Map.entry("binarized_mnist_train.amat", "ad693b29f94c14277b095f5238ddefbbdaaae0939789dd2f4f0205278cee3e4d"),
            Map.entry("binarized_mnist_valid.amat", "1de3d397c40fe8eeb33dafd4099a1f665ec01e96d9be234aaeeac8a34930e2e2"),
            Map.entry("binarized_mnist_test.amat", "e6687bfea3f820c174f33b7865140b2a2dd2930ef786f35d45795fc193b5ab2c"),
            Map.entry("mnist/train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            Map.entry("mnist/train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            Map.entry("mnist/t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            Map.entry("mnist/t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
            Map.entry("fashion-mnist/train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            Map.entry("fashion-mnist/train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            Map.entry("fashion-mnist/t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            Map.entry("fashion-mnist/t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"));

    private final List<Path> roots;
    private final Path cache;
    private final URI mirror;
    private final Downloader downloader;

    /**
     * Data sets looked for under {@code roots} (each as {@code ROOT/NAME/} and {@code ROOT/}), then in
     * {@code cache}, then downloaded into {@code cache}; from {@code mirror} instead of the public
     * sources when it is not null (a base URL under which the file names are served).
     *
     * @param roots folders to look in first
     * @param cache the folder downloads go to (and are looked for in)
     * @param mirror a base URL to download from instead of the public sources, or null
     * @param timeout how long a connection or request may take
     */
    public Datasets(List<Path> roots, Path cache, URI mirror, Duration timeout) {
        this.roots = List.copyOf(roots);
        this.cache = cache;
        this.mirror = mirror;
        this.downloader = new Downloader(timeout);
    }

    /**
     * The standard search: {@code dataDir} (may be null), then $AUTODIFF4J_DATA, then the user cache.
     *
     * @param dataDir a folder to look in first, or null
     * @return the standard search
     */
    public static Datasets standard(Path dataDir) {
        List<Path> roots = new ArrayList<>();
        if (dataDir != null) {
            roots.add(dataDir);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            roots.add(Path.of(env));
        }
        return new Datasets(roots, defaultCache(), null, Duration.ofSeconds(30));
    }

    /**
     * The user cache: {@code -Dautodiff4j.cache=DIR} when set, else {@code $XDG_CACHE_HOME/autodiff4j}, else
     * {@code ~/.cache/autodiff4j}.
     *
     * @return the cache folder (may not exist yet)
     */
    public static Path defaultCache() {
        String property = System.getProperty("autodiff4j.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cacheRoot = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cacheRoot.resolve("autodiff4j");
    }

    /**
     * The folder downloads go to, and other derived files (such as trained evaluation classifiers) may be cached in.
     *
     * @return the cache folder (may not exist yet)
     */
    public Path cache() {
        return cache;
    }

    /**
     * The data set names this class knows.
     *
     * @return the data set names this class knows
     */
    public static List<String> names() {
        return List.of("binarized-mnist", "mnist", "fashion-mnist");
    }

    /**
     * Loads one split.
     *
     * @param name the data set, one of {@link #names()}
     * @param split train, valid or test
     * @return the images (and labels, where the set has them)
     * @throws IllegalArgumentException for an unknown name or split
     * @throws IOException in one sentence that says where it looked, why the download failed and where to put the files
     */
    public Dataset load(String name, String split) throws IOException {
        return switch (name) {
            case "binarized-mnist" -> binarizedMnist(split);
            case "mnist", "fashion-mnist" -> labelled(name, split);
            default -> throw new IllegalArgumentException("unknown data set '" + name + "' (allowed: "
                    + String.join(", ", names()) + ")");
        };
    }

    private Dataset binarizedMnist(String split) throws IOException {
        checkSplit("binarized-mnist", split, List.of("train", "valid", "test"));
        String idx = split + "-images-idx3-ubyte";
        String amat = "binarized_mnist_" + split + ".amat";
        Path file = locate("binarized-mnist", split, List.of(idx + ".gz", idx, amat, amat + ".gz"),
                amat, URI.create(LAROCHELLE + amat), SHA256.get(amat));
        String fn = file.getFileName().toString();
        Tensor images = checkImages(file, fn.contains(".amat") ? Amat.read(file) : Idx.readImages(file, 28, 28),
                "binarized MNIST");
        return new Dataset("binarized-mnist/" + split, images, null, 28, 28);
    }

    private Dataset labelled(String name, String split) throws IOException {
        checkSplit(name, split, List.of("train", "test"));
        String prefix = split.equals("train") ? "train" : "t10k";
        String base = name.equals("mnist") ? MNIST : FASHION;
        Path imagesFile = locateIdx(name, split, prefix + "-images-idx3-ubyte", base);
        Path labelsFile = locateIdx(name, split, prefix + "-labels-idx1-ubyte", base);
        Tensor images = checkImages(imagesFile, Idx.readImages(imagesFile, 28, 28), name);
        int[] labels = Idx.readLabels(labelsFile);
        if (labels.length != images.shape().dim(0)) {
            throw new IOException(labelsFile + ": " + labels.length + " labels for the " + images.shape().dim(0)
                    + " images of " + imagesFile);
        }
        return new Dataset(name + "/" + split, images, labels, 28, 28);
    }

    /** The images of {@code file} when there is at least one and each has 28x28 pixels. */
    private static Tensor checkImages(Path file, Tensor images, String what) throws IOException {
        if (images.shape().dim(0) == 0) {
            throw new IOException(file + ": holds no images");
        }
        if (images.shape().dim(1) != 784) {
            throw new IOException(file + ": images have " + images.shape().dim(1) + " pixels, " + what + " has 784 (28x28)");
        }
        return images;
    }

    private Path locateIdx(String name, String split, String stem, String base) throws IOException {
        String gz = stem + ".gz";
        return locate(name, split, List.of(gz, stem), gz, URI.create(base + gz), SHA256.get(name + "/" + gz));
    }

    private static void checkSplit(String name, String split, List<String> allowed) {
        if (!allowed.contains(split)) {
            throw new IllegalArgumentException(name + " has no split '" + split + "' (allowed: "
                    + String.join(", ", allowed) + ")");
        }
    }

    /** The first local candidate, or the download of {@code remote} into the cache. */
    private Path locate(String name, String split, List<String> candidates, String remote, URI source, String sha256)
            throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path root : roots) {
            dirs.add(root.resolve(name));
            dirs.add(root);
        }
        dirs.add(cache.resolve(name));
        if (name.equals("fashion-mnist")) {
            dirs.add(Path.of("/usr/share/datasets/fashion-mnist"));
        }
        for (Path dir : dirs) {
            for (String c : candidates) {
                Path p = dir.resolve(c);
                if (Files.isRegularFile(p)) {
                    return p;
                }
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    // there, but not a file that can be read: a FIFO, a device, a folder, a broken or looping link
                    throw new IOException(p + ": is not a regular file (" + (Files.isSymbolicLink(p)
                            ? "a symbolic link to nothing readable" : Files.isDirectory(p) ? "a folder"
                            : "a FIFO or a device") + "); put the data set's file there, or remove it");
                }
            }
        }
        URI url = mirror == null ? source : mirror.resolve(remote);
        Path target = cache.resolve(name).resolve(remote);
        try {
            downloader.fetch(url, sha256, target);
            return target;
        } catch (IOException e) {
            throw new IOException(name + "/" + split + " not found: looked for " + String.join(" or ", candidates)
                    + " in " + dirs + ", and the download failed (" + e.getMessage() + "); put the files in DIR/"
                    + name + "/ and pass --data-dir DIR, or set " + ENV + "=DIR", e);
        }
    }

    /**
     * Train, validation and test images of one data set.
     *
     * @param train the training images
     * @param valid the validation images, for model selection and early stopping
     * @param test  the test images, for the reported figures only
     */
    public record Splits(Dataset train, Dataset valid, Dataset test) {

        /**
         * A smoke-test subset: the first {@code trainSize} training images and {@code evalSize} validation and
         * test images spread over their sets.
         *
         * @param trainSize training images to keep
         * @param evalSize  validation and test images to keep
         * @return the smaller splits
         */
        public Splits subset(int trainSize, int evalSize) {
            return new Splits(train.head(trainSize), spread(valid, evalSize), spread(test, evalSize));
        }
    }

    /**
     * The standard splits of a data set: binarized MNIST's own train/valid/test; for MNIST and Fashion-MNIST
     * the last 10000 training images validate. With {@code binarize}, grayscale validation and test images are
     * binarized once, with generators derived from {@code seed} ({@code seed + 2} and {@code seed + 3}), so that
     * every evaluation of a run compares like with like (the training images are binarized anew each epoch
     * by the task).
     *
     * @param name     the data set, one of {@link #names()}
     * @param binarize whether grayscale validation and test images are binarized (for a Bernoulli decoder)
     * @param seed     the run's seed
     * @return the splits
     * @throws IOException when a file is missing or damaged
     */
    public Splits splits(String name, boolean binarize, long seed) throws IOException {
        if (name.equals("binarized-mnist")) {
            return new Splits(load(name, "train"), load(name, "valid"), load(name, "test"));
        }
        Dataset all = load(name, "train");
        Dataset test = load(name, "test");
        int cut = all.size() - 10_000;
        Dataset train = all.slice(0, cut);
        Dataset valid = all.slice(cut, all.size());
        return binarize ? new Splits(train, binarized(valid, seed + 2), binarized(test, seed + 3))
                : new Splits(train, valid, test);
    }

    private static Dataset binarized(Dataset d, long seed) {
        return new Dataset(d.name(), d.sampleBinarized(new Generator(seed)), d.labels(), d.height(), d.width());
    }

    /**
     * {@code n} examples spread evenly over {@code d} (rows {@code i * size / n}): an evaluation subset that
     * sees every class of a class-sorted test set, unlike its first {@code n} rows.
     *
     * @param d the data set
     * @param n how many examples to take; all of them when {@code n >= d.size()}
     * @return the subset, in the data set's order
     */
    public static Dataset spread(Dataset d, int n) {
        if (n >= d.size()) {
            return d;
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (int) ((long) i * d.size() / n);
        }
        int[] labels = null;
        if (d.labels() != null) {
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = d.labels()[rows[i]];
            }
        }
        return new Dataset(d.name(), d.images().indexRows(rows), labels, d.height(), d.width());
    }
}
