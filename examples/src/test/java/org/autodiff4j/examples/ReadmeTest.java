package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README shows the consumer project's program as it is, so the program CI compiles and runs is the one users read. */
class ReadmeTest {
    @Test
    void readme_showsTheConsumerProgramVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String program = Files.readString(Path.of("..", "consumer", "src", "main", "java", "example", "SpiralClassifier.java"));
        assertTrue(readme.contains("```java\n" + program + "```"),
                "README.md's program differs from consumer/src/main/java/example/SpiralClassifier.java");
        String pom = Files.readString(Path.of("..", "consumer", "pom.xml"));
        assertTrue(pom.contains("<artifactId>autodiff4j-bom</artifactId>") && pom.contains("<artifactId>autodiff4j-runs</artifactId>"),
                "consumer/pom.xml imports the BOM and depends on autodiff4j-runs, as the README says");
    }
}
