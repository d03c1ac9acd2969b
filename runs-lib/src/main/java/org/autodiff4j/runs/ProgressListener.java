package org.autodiff4j.runs;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;

/**
 * Shows a {@link org.autodiff4j.models.train.TrainLoop} run: on a terminal one progress bar for the whole
 * run (its ETA is the run's) with the epoch, the epoch's own ETA, the step's figures and the speed beside
 * it; after every epoch one line of its figures, on a terminal or not.
 */
public final class ProgressListener implements TrainListener, AutoCloseable {
    private final PrintStream log;
    private final int epochs;
    private final boolean interactive;
    private Function<EpochRecord, String> epochLine = ProgressListener::defaultEpochLine;
    private ProgressBar bar;
    private long sessionStart;
    private long sessionSteps;
    private long epochStart;
    private int epochStepsDone;

    /**
     * A listener that prints epoch lines to {@code log} and shows a bar when standard output is a terminal.
     *
     * @param log    where epoch lines go
     * @param epochs the run's epochs, for the bar's total
     */
    public ProgressListener(PrintStream log, int epochs) {
        this(log, epochs, System.console() != null);
    }

    /**
     * A listener that shows the bar or not as told.
     *
     * @param log         where epoch lines go
     * @param epochs      the run's epochs, for the bar's total
     * @param interactive whether to draw the progress bar (on standard error)
     */
    public ProgressListener(PrintStream log, int epochs, boolean interactive) {
        this.log = log;
        this.epochs = epochs;
        this.interactive = interactive;
    }

    /**
     * Sets how an epoch's line reads.
     *
     * @param format the line for an epoch's record
     * @return this listener
     */
    public ProgressListener withEpochLine(Function<EpochRecord, String> format) {
        this.epochLine = format;
        return this;
    }

    @Override
    public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
        long now = System.nanoTime();
        if (sessionStart == 0) {
            sessionStart = now;
        }
        if (context.stepInEpoch() == 1 || epochStart == 0) {
            epochStart = now;
            epochStepsDone = 0;
        }
        sessionSteps++;
        epochStepsDone++;
        if (!interactive) {
            return;
        }
        long total = (long) epochs * context.stepsInEpoch();
        long done = (long) (context.epoch() - 1) * context.stepsInEpoch() + context.stepInEpoch();
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate()
                    .startsFrom(done - 1, Duration.ofNanos(now - sessionStart)).build();
        }
        bar.maxHint(Math.max(total, done));
        bar.stepTo(done);
        double perStep = (now - epochStart) / 1e9 / epochStepsDone;
        bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d, %s, %.0f ex/s, epoch ETA %s", context.epoch(), epochs,
                figures(result.figures()), examplesPerSecond,
                clock(perStep * (context.stepsInEpoch() - context.stepInEpoch()))));
    }

    @Override
    public void epochDone(EpochRecord record) {
        close();
        log.println(epochLine.apply(record));
    }

    /** Takes the bar off the terminal (the next step draws it again). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /**
     * The default epoch line: the epoch, every figure, the seconds.
     *
     * @param r the epoch's record
     * @return e.g. {@code epoch   3  train.loss 101.23  valid.loss 102.01  4.1 s}
     */
    public static String defaultEpochLine(EpochRecord r) {
        return String.format(Locale.ROOT, "epoch %3d  %s  %.1f s", r.epoch(), figures(r.figures()).replace(", ", "  "),
                r.seconds());
    }

    private static String figures(Map<String, Double> f) {
        StringBuilder b = new StringBuilder();
        f.forEach((name, v) -> b.append(b.length() == 0 ? "" : ", ").append(name).append(' ').append(number(v)));
        return b.toString();
    }

    private static String number(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, a >= 100 ? "%.2f" : "%.4f", v);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
