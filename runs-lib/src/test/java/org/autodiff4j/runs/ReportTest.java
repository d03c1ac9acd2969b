package org.autodiff4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path tmp;

    private static Report sample() {
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("train.loss", 100.0 / e);
            f.put("valid.loss", 110.0 / e);
            history.add(new EpochRecord(e, 10L * e, 1.5, f));
        }
        Tensor images = Tensor.rand(new Generator(1), DType.FLOAT32, 16, 28 * 28);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "784-500-20 <tanh>");
        config.put("epochs", 5);
        return new Report("A & B").config(config).results(Map.of("test loss", 21.5)).history(history)
                .picture("Samples", ImageGrid.png(images, 28, 28, 4, 2));
    }

    @Test
    void values_areWhatAPersonReads() {
        assertEquals("1014.67", Report.value(1014.6747));
        assertEquals("95.372", Report.value(95.37182));
        assertEquals("0.8804", Report.value(0.880412));
        assertEquals("0.5", Report.value(0.5));
        assertEquals("2", Report.value(2.0));
        assertEquals("1.234e-05", Report.value(1.2344e-5));
        assertEquals("0", Report.value(0.0));
        assertEquals("NaN", Report.value(Double.NaN));
        assertEquals("706, 1998, 558", Report.value(new int[] {706, 1998, 558}));
        assertEquals("0.25, 1.5", Report.value(new double[] {0.25, 1.5}));
        assertEquals("model: dcgan, latent: 100", Report.value(new java.util.LinkedHashMap<>(
                java.util.Map.of("model", "dcgan")) {{ put("latent", "100"); }}));
        assertEquals("1, 2.5", Report.value(List.of(1, 2.5)));
    }

    @Test
    void html_isOneSelfContainedPageWithTablesChartsAndPictures() {
        String html = sample().html();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
        assertTrue(html.contains("<title>A &amp; B</title>") && html.contains("784-500-20 &lt;tanh&gt;"), "escaped");
        assertTrue(html.contains("<figcaption>loss per epoch</figcaption>"), "a chart per figure");
        assertTrue(html.contains("<figcaption>Samples</figcaption>"));
        assertEquals(2, html.split("src=\"data:image/png;base64,", -1).length - 1, "one chart and one picture, embedded");
        assertTrue(!html.contains("src=\"http") && !html.contains("<link") && !html.contains("<script"), "nothing external");
        assertTrue(html.contains("<th>train.loss</th><th>valid.loss</th>"), "the epochs' table");
    }

    @Test
    void table_listsItsRowsAfterThePicturesAndBeforeTheEpochs() {
        String html = sample().table("Seeds", List.of("seed", "high <quality>"), List.of(List.of(0, "95.6%"), List.of(1, 0.25)))
                .html();
        assertTrue(html.contains("<h2>Seeds</h2>\n<table><tr><th>seed</th><th>high &lt;quality&gt;</th></tr>\n"
                + "<tr><td class=\"n\">0</td><td class=\"n\">95.6%</td></tr>\n<tr><td class=\"n\">1</td><td class=\"n\">0.25</td></tr>"),
                html);
        assertTrue(html.indexOf("<figcaption>Samples") < html.indexOf("<h2>Seeds") && html.indexOf("<h2>Seeds") < html.indexOf("<h2>Epochs"));
    }

    @Test
    void table_rejectsARowOfTheWrongLength() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Report("r").table("Seeds", List.of("a", "b"), List.of(List.of(1, 2), List.of(3))));
        assertEquals("report table 'Seeds': row 1 has 1 values for 2 columns", e.getMessage());
    }

    /** The page as a person sees it: headless Chromium renders it to a PNG that is neither empty nor blank. */
    @Test
    void page_rendersInHeadlessChromium() throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) { // said on the console too: surefire keeps a skip's reason in its XML
            System.err.println("ReportTest skipped: chromium is not installed here (Debian: apt-get install -y "
                    + "chromium); the page was not rendered");
        }
        assumeTrue(Files.isExecutable(chromium), "chromium is not installed here (Debian: apt-get install -y chromium); "
                + "the page was not rendered");
        Path page = sample().write(new RunFolder(tmp.resolve("run")));
        Path shot = tmp.resolve("shot.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("profile"), "--hide-scrollbars", "--window-size=1200,1600",
                "--screenshot=" + shot, page.toUri().toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish in 90 s");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        // the page shows dark text, a chart and a noise picture: many distinct grey levels, mostly white background
        int[] histogram = new int[256];
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                histogram[((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3]++;
            }
        }
        long levels = java.util.Arrays.stream(histogram).filter(c -> c > 0).count();
        int dark = java.util.Arrays.stream(histogram, 0, 100).sum();
        assertTrue(levels > 50 && dark > 500, "a blank or empty rendering: " + levels + " grey levels, " + dark + " dark pixels");
    }
}
