package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void get_isTheBuiltVersion() {
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Version.get());
    }

    /** The BOM has no parent, so its versions are written out: they must follow the project's. */
    @Test
    void bom_pinsEveryLibraryModuleAtThisVersion() throws IOException {
        String bom = Files.readString(Path.of("..", "bom", "pom.xml"));
        Matcher own = Pattern.compile("<artifactId>autodiff4j-bom</artifactId>\\s*(<!--.*?-->\\s*)?<version>([^<]+)</version>",
                Pattern.DOTALL).matcher(bom);
        assertTrue(own.find(), "no version of autodiff4j-bom in bom/pom.xml");
        assertEquals(Version.get(), own.group(2), "bom/pom.xml's own version");
        for (String module : new String[] {"tensor", "autograd", "nn", "models", "runs"}) {
            Matcher m = Pattern.compile("<artifactId>autodiff4j-" + module + "</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(bom);
            assertTrue(m.find(), "bom/pom.xml does not pin autodiff4j-" + module);
            assertEquals(Version.get(), m.group(1), "bom/pom.xml's version of autodiff4j-" + module);
        }
    }
}
