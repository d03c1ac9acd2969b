package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;

import org.autodiff4j.tensor.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command-line entry: {@code autodiff4j <command> [options]}; {@code --help} on each. */
@Command(name = "autodiff4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Train and evaluate generative models with autodiff4j.",
        subcommands = {TrainVae.class, TrainGan.class, Sample.class, Evaluate.class, GanMixture.class, Info.class,
                CommandLine.HelpCommand.class})
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
                "a command is needed (train-vae, train-gan, sample, evaluate, gan-mixture, info, help)");
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(System.out, args));
    }

    /** Runs the command line; returns 0 on success, 2 for bad arguments or input, 1 for other failures. */
    static int run(PrintStream out, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == TrainVae.class) {
                    return cls.cast(new TrainVae(out));
                } else if (cls == TrainGan.class) {
                    return cls.cast(new TrainGan(out));
                } else if (cls == GanMixture.class) {
                    return cls.cast(new GanMixture(out));
                } else if (cls == Sample.class) {
                    return cls.cast(new Sample(out));
                } else if (cls == Evaluate.class) {
                    return cls.cast(new Evaluate(out));
                } else if (cls == Info.class) {
                    return cls.cast(new Info(out));
                } else if (cls == Main.class) {
                    return cls.cast(new Main(null));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cli = new CommandLine(Main.class, factory);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new VersionProvider()));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof IOException || e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }
}
