package org.autodiff4j.runs.jobs;

import java.io.PrintStream;
import java.util.List;

/**
 * The code of a {@link Task}: a public class with a public no-argument constructor, so that any executor can make it
 * in any process (a child JVM, a Spark executor).
 */
public interface TaskRunner {
    /**
     * Does the work.
     *
     * @param args the task's arguments
     * @param log  where progress lines go
     * @return the result as JSON text (small: it travels back to the driver)
     * @throws Exception when the work fails; an {@link IllegalArgumentException} means bad input, not worth retrying
     */
    String run(List<String> args, PrintStream log) throws Exception;

    /**
     * Runs {@code task} in this process: makes its runner and calls it.
     *
     * @param task the task
     * @param log  where its progress lines go
     * @return its result
     * @throws Exception what the runner throws, or naming the class when it cannot be made
     */
    static String runHere(Task task, PrintStream log) throws Exception {
        System.setProperty("java.awt.headless", "true"); // pictures are drawn without a display
        Object runner;
        try {
            runner = load(task.runner()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("task " + task.id() + ": cannot make its runner " + task.runner() + ": " + e, e);
        }
        if (!(runner instanceof TaskRunner r)) {
            throw new IllegalStateException("task " + task.id() + ": " + task.runner() + " is not a TaskRunner");
        }
        return r.run(task.args(), log);
    }

    /**
     * A class by name, through the thread's context class loader when it has one (where Spark and application servers
     * put the application's jars), else this library's.
     *
     * @param name the class's binary name
     * @return the class
     * @throws ClassNotFoundException when neither loader finds it
     */
    static Class<?> load(String name) throws ClassNotFoundException {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return Class.forName(name, true, context != null ? context : TaskRunner.class.getClassLoader());
    }
}
