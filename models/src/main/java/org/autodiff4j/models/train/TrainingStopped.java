package org.autodiff4j.models.train;

import java.nio.file.Path;

/** Training stopped on request (Ctrl-C, SIGTERM, {@link TrainLoop#requestStop()}) after writing its checkpoint. */
public final class TrainingStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path checkpoint;

    TrainingStopped(Path checkpoint, int epoch, int step) {
        this(checkpoint, "training stopped at epoch " + epoch + ", step " + step);
    }

    TrainingStopped(Path checkpoint, String what) {
        super(what + (checkpoint == null ? "" : "; resume from " + checkpoint));
        this.checkpoint = checkpoint;
    }

    /**
     * The checkpoint written before stopping.
     *
     * @return the file to resume from, or null when the loop wrote no checkpoints
     */
    public Path checkpoint() {
        return checkpoint;
    }
}
