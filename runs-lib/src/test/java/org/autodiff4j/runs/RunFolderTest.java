package org.autodiff4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder's rules: a new run needs an empty one; a resume reads back the arguments the run recorded. */
class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void recordedArguments_comeBackWithoutTheOutput_forTheirOwnCommandOnly() throws IOException {
        RunFolder run = new RunFolder(tmp.resolve("run"));
        run.requireNew("checkpoint.safetensors");
        run.recordArguments(RunFolder.argumentsMetadata("gan-mixture",
                List.of("--steps", "300", "--output", "somewhere", "--output=elsewhere", "--seed", "2")));
        assertEquals(List.of("--steps", "300", "--seed", "2"), run.argumentsToResume("checkpoint.safetensors", "gan-mixture"));
        IOException other = assertThrows(IOException.class, () -> run.argumentsToResume("checkpoint.safetensors", "train-vae"));
        assertEquals(run.dir().resolve(RunFolder.ARGUMENTS) + ": not a checkpoint of a train-vae run (it records "
                + "'gan-mixture')", other.getMessage());
        IllegalArgumentException started = assertThrows(IllegalArgumentException.class,
                () -> run.requireNew("checkpoint.safetensors"));
        assertEquals("--output " + run.dir() + " holds a run stopped before its first checkpoint; --resume starts it "
                + "again from the beginning with its settings, or choose another folder", started.getMessage());
        RunFolder empty = new RunFolder(tmp.resolve("empty"));
        Files.createDirectories(empty.dir());
        assertThrows(IllegalArgumentException.class, () -> empty.argumentsToResume("checkpoint.safetensors", "gan-mixture"));
    }
}
