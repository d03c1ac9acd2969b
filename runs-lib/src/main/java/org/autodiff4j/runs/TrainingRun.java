package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.RunState;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;

/** The training part the bundled experiments share: resume when asked, then the loop with a progress bar. */
final class TrainingRun {
    private TrainingRun() {
    }

    /**
     * Runs {@code loop} to its end, first continuing from {@code resumeFrom} when it is not null, with a progress bar
     * of {@code epochs} epochs and, in anomaly mode, every op checked.
     */
    static List<EpochRecord> run(TrainLoop loop, Path resumeFrom, Path dir, boolean detectAnomaly, int epochs,
                                 Function<EpochRecord, String> epochLine, TrainListener pictures, PrintStream log,
                                 java.util.Map<String, String> data)
            throws IOException {
        try (Anomaly ignored = detectAnomaly ? Anomaly.detect() : null;
             ProgressListener progress = new ProgressListener(log, epochs).withEpochLine(epochLine)) {
            if (resumeFrom != null) {
                requireSameData(resumeFrom, data);
                RunState saved = loop.load(resumeFrom);
                log.printf("resuming %s after %d epochs and %d steps%s%n", dir, saved.history().size(),
                        saved.step(), saved.finished() ? " (training had finished: evaluating)" : "");
            }
            return loop.run(TrainListener.all(progress, pictures));
        }
    }

    /** The checkpoint metadata key of a split's {@link org.autodiff4j.models.data.Dataset#fingerprint}. */
    static String dataKey(String split) {
        return "data." + split;
    }

    /**
     * Stops a resume on other data than the run's: each {@code data.SPLIT} fingerprint the checkpoint records must be
     * the one of the data given now (a checkpoint from before fingerprints records none and is not checked).
     */
    static void requireSameData(Path checkpoint, java.util.Map<String, String> data) throws IOException {
        java.util.Map<String, String> saved = org.autodiff4j.nn.Checkpoint.read(checkpoint).metadata();
        for (var e : data.entrySet()) {
            String before = saved.get(e.getKey());
            if (before != null && !before.equals(e.getValue())) {
                throw new IllegalArgumentException("--resume: the run trained on " + before + ", the data found now is "
                        + e.getValue() + "; resume with the run's data (--data-dir)");
            }
        }
    }
}
