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
        // the README's Maven snippet, verbatim, is consumer/pom.xml's body: CI builds the program with it
        int start = readme.indexOf("```xml\n") + "```xml\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        String pom = Files.readString(Path.of("..", "consumer", "pom.xml"));
        assertTrue(pom.contains(snippet) && pom.contains("<artifactId>autodiff4j-bom</artifactId>"),
                "consumer/pom.xml does not hold the README's Maven snippet as it stands");
    }
}
