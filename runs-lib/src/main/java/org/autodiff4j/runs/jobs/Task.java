package org.autodiff4j.runs.jobs;

import java.util.List;

/**
 * One unit of work an executor runs anywhere: a {@link TaskRunner} class, made with its no-argument constructor where
 * the task runs, and its arguments. A task must give the same result wherever and however often it runs.
 *
 * @param id     a name for logs and errors, unique within a job (letters, digits, {@code .-_=})
 * @param runner the {@link TaskRunner} class's binary name
 * @param args   its arguments
 */
public record Task(String id, String runner, List<String> args) {
    /**
     * Checks the id and copies the arguments.
     *
     * @param id     a name for logs and errors, unique within a job
     * @param runner the {@link TaskRunner} class's binary name
     * @param args   its arguments
     */
    public Task {
        if (!id.matches("[A-Za-z0-9._=-]+")) {
            throw new IllegalArgumentException("task id '" + id + "': use letters, digits and .-_= only");
        }
        args = List.copyOf(args);
    }
}
