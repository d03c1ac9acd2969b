package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

import org.autodiff4j.runs.jobs.CommandLineProgram;
import org.autodiff4j.tensor.BinaryRows;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Parallelism;
import org.autodiff4j.tensor.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command-line entry: {@code autodiff4j <command> [options]}; {@code --help} on each. */
@Command(name = "autodiff4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Train and evaluate generative models with autodiff4j.",
        subcommands = {TrainVae.class, TrainGan.class, Sample.class, Evaluate.class, GanMixture.class, SweepCommand.class,
                Info.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private final CommandLine.Model.CommandSpec spec;

    /** {@code --version}: the library's version as built. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"autodiff4j " + Version.get()};
        }
    }

    private Main(CommandLine.Model.CommandSpec spec) {
        this.spec = spec;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec == null ? new CommandLine(this) : spec.commandLine(),
                "a command is needed (train-vae, train-gan, sample, evaluate, gan-mixture, sweep, info, help)");
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(System.out, args));
    }

    /** The command line as a {@link CommandLineProgram}, for a sweep's trials (in a task's process). */
    public static final class Program implements CommandLineProgram {
        /** Makes the program; executors make it by reflection. */
        public Program() {
        }

        @Override
        public int run(PrintStream out, String... args) {
            return Main.run(out, args);
        }
    }

    /** The command line's parser, its commands writing to {@code out}. */
    static CommandLine commandLine(PrintStream out) {
        Map<Class<?>, Supplier<Object>> commands = Map.of(TrainVae.class, () -> new TrainVae(out),
                TrainGan.class, () -> new TrainGan(out), GanMixture.class, () -> new GanMixture(out),
                Sample.class, () -> new Sample(out), Evaluate.class, () -> new Evaluate(out),
                SweepCommand.class, () -> new SweepCommand(out), Info.class, () -> new Info(out),
                Main.class, () -> new Main(null));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                Supplier<Object> make = commands.get(cls);
                return make != null ? cls.cast(make.get()) : CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cli = new CommandLine(Main.class, factory);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new VersionProvider()));
        CommandLine.Model.CommandSpec mixture = cli.getSubcommands().get("gan-mixture").getCommandSpec();
        mixture.remove(mixture.findOption("--data-dir")); // the training commands' option; the mixture's points are drawn
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Runs the command line; returns 0 on success, 2 for bad arguments or input, 1 for other failures. */
    static int run(PrintStream out, String... args) {
        CommandLine cli = commandLine(out);
        cli.setParameterExceptionHandler((e, ignored) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(cmd.getCommandName() + ": " + oneLine(e.getMessage()) + " (see ./"
                    + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof org.autodiff4j.runs.jobs.TaskFailedException ? 1
                    : e instanceof IOException || e instanceof IllegalArgumentException ? 2 : 1;
        });
        String settings = checkSettings();
        if (settings != null) {
            cli.getErr().println("autodiff4j: " + settings);
            return 2;
        }
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            cli.getErr().println("autodiff4j: out of memory (this JVM may use " + Flags.gigabytes(Runtime.getRuntime().maxMemory())
                    + "); give it more with AUTODIFF4J_JAVA_OPTS=-Xmx..., or make the model or batch smaller");
            return 2;
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            cli.getErr().println("autodiff4j: " + oneLine(String.valueOf(cause.getMessage())));
            return cause instanceof IllegalArgumentException ? 2 : 1;
        }
    }

    /**
     * The library's settings from system properties ({@code -Dautodiff4j.threads}, {@code -Dautodiff4j.blas},
     * {@code -Dautodiff4j.sparse.maxDensity}),
     * checked before any command runs: the problem in one line, or null when they are fine.
     */
    static String checkSettings() {
        try {
            Parallelism.threads();
            BinaryRows.maxDensity();
            if (System.getProperty("autodiff4j.blas") != null) {
                Blas.ensureLoaded();
            }
            return null;
        } catch (ExceptionInInitializerError e) {
            return oneLine(String.valueOf((e.getCause() == null ? e : e.getCause()).getMessage()));
        } catch (NoClassDefFoundError e) { // a class whose initialisation failed before
            return oneLine(String.valueOf(e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return oneLine(e.getMessage());
        }
    }

    /** A message on one line: picocli's and the JVM's can span several. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
