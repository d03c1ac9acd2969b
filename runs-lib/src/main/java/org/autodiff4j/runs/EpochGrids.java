package org.autodiff4j.runs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.tensor.Tensor;

/**
 * Sample grids at the first, middle and last epoch ({@code samples-epoch-NNN.png}), written into the run
 * folder and kept for the run's report.
 */
final class EpochGrids implements TrainListener {
    private final RunFolder out;
    private final Supplier<Tensor> images;
    private final int height;
    private final int width;
    private final int epochs;
    private final Map<Integer, byte[]> grids = new LinkedHashMap<>();

    /**
     * @param images draws the grid's images (values in [0, 1]) at the end of an epoch
     */
    EpochGrids(RunFolder out, Supplier<Tensor> images, int height, int width, int epochs) {
        this.out = out;
        this.images = images;
        this.height = height;
        this.width = width;
        this.epochs = epochs;
    }

    @Override
    public void epochDone(EpochRecord r) throws IOException {
        int e = r.epoch();
        if (e == 1 || e == (epochs + 1) / 2 || e == epochs) {
            byte[] png = ImageGrid.png(images.get(), height, width, 8, 2);
            out.write(String.format(Locale.ROOT, "samples-epoch-%03d.png", e), png);
            grids.put(e, png);
        }
    }

    /**
     * Adds the grids to the report, captioned {@code caption + " after epoch N"}: those drawn in this session,
     * and those an earlier session of a resumed run left in the folder.
     */
    void addTo(Report report, String caption) throws IOException {
        for (int e : new java.util.TreeSet<>(java.util.List.of(1, (epochs + 1) / 2, epochs))) {
            byte[] png = grids.get(e);
            java.nio.file.Path file = out.dir().resolve(String.format(Locale.ROOT, "samples-epoch-%03d.png", e));
            if (png == null && java.nio.file.Files.exists(file)) {
                png = java.nio.file.Files.readAllBytes(file);
            }
            if (png != null) {
                report.picture(caption + " after epoch " + e, png);
            }
        }
    }
}
