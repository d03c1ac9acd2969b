/**
 * Work spread past one process: a {@link org.autodiff4j.runs.jobs.Task} names a {@link org.autodiff4j.runs.jobs.TaskRunner}
 * and its arguments, a {@link org.autodiff4j.runs.jobs.TaskExecutor} runs many of them (in processes on this machine,
 * {@link org.autodiff4j.runs.jobs.LocalExecutor}, or as Apache Spark tasks with the {@code autodiff4j-spark} module), and
 * two kinds of work are built on them: a {@link org.autodiff4j.runs.jobs.Sweep} of training runs over a grid of flags
 * and seeds, and an evaluation split into shards whose result is
 * the same bit for bit for any number of shards.
 */
package org.autodiff4j.runs.jobs;
