package org.autodiff4j.runs.jobs;

import java.io.IOException;
import java.util.List;

/** Tasks that failed for good (after their executor's retries); the others' results are kept where they write them. */
public final class TaskFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The ids of the tasks that failed. */
    private final List<String> failed;

    /**
     * A failure of the tasks {@code failed}.
     *
     * @param failed  the ids of the tasks that failed
     * @param message one line: how many failed, the first and why
     */
    public TaskFailedException(List<String> failed, String message) {
        super(message);
        this.failed = List.copyOf(failed);
    }

    /**
     * The ids of the tasks that failed.
     *
     * @return the ids of the tasks that failed
     */
    public List<String> failed() {
        return failed;
    }
}
