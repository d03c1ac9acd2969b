package org.autodiff4j.examples;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes a run's files (pictures, CSV, JSON) into its folder, each to a temporary name and then renamed. */
final class Outputs {
    private final Path dir;

    Outputs(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes bytes to {@code name} in the run folder atomically; returns the path. */
    Path write(String name, byte[] bytes) throws IOException {
        return AtomicFiles.write(dir.resolve(name), bytes);
    }

    Path writeText(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Tiles [n, height * width] images with values in [0, 1] into a grid of {@code columns} columns with a
     * one-pixel gap, white digits on black as in the papers' figures, scaled up {@code scale} times.
     */
    Path imageGrid(String name, Tensor images, int height, int width, int columns, int scale) throws IOException {
        int n = images.shape().dim(0);
        int rows = (n + columns - 1) / columns;
        int cellW = (width + 1) * scale;
        int cellH = (height + 1) * scale;
        BufferedImage img = new BufferedImage(columns * cellW + scale, rows * cellH + scale, BufferedImage.TYPE_BYTE_GRAY);
        float[] px = images.toFloatArray();
        for (int k = 0; k < n; k++) {
            int ox = (k % columns) * cellW + scale;
            int oy = (k / columns) * cellH + scale;
            for (int y = 0; y < height * scale; y++) {
                for (int x = 0; x < width * scale; x++) {
                    float v = px[k * height * width + (y / scale) * width + x / scale];
                    int g = Math.round(255 * Math.max(0f, Math.min(1f, v)));
                    img.getRaster().setSample(ox + x, oy + y, 0, g);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return write(name, out.toByteArray());
    }

    /** A scatter plot of named [n, 2] point sets, as PNG, with equal axis ranges [-lim, lim]. */
    Path scatter(String name, String title, double lim, List<String> names, List<Tensor> points,
                 List<java.awt.Color> colors) throws IOException {
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisMin(-lim).setXAxisMax(lim).setYAxisMin(-lim).setYAxisMax(lim);
        for (int i = 0; i < names.size(); i++) {
            double[] v = points.get(i).to(org.autodiff4j.tensor.DType.FLOAT64).toDoubleArray();
            double[] x = new double[v.length / 2];
            double[] y = new double[v.length / 2];
            for (int j = 0; j < x.length; j++) {
                x[j] = v[2 * j];
                y[j] = v[2 * j + 1];
            }
            chart.addSeries(names.get(i), x, y).setMarkerColor(colors.get(i)).setMarker(SeriesMarkers.CIRCLE);
        }
        return write(name, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * A line chart of named series over a shared x axis, as PNG. With more than 10 points the y axis
     * leaves out the first tenth of the run, whose large early values would flatten the rest; with more
     * than 40 points the markers are dropped.
     */
    Path lineChart(String name, String title, String xLabel, String yLabel, double[] x, List<String> names,
                   List<double[]> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        int n = x.length;
        if (n > 10) {
            int from = n / 10;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] ys : series) {
                for (int j = from; j < n; j++) {
                    lo = Math.min(lo, ys[j]);
                    hi = Math.max(hi, ys[j]);
                }
            }
            double margin = Math.max(1e-9, 0.05 * (hi - lo));
            chart.getStyler().setYAxisMin(lo - margin).setYAxisMax(hi + margin);
        }
        for (int i = 0; i < names.size(); i++) {
            chart.addSeries(names.get(i), x, series.get(i)).setMarker(n > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return write(name, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
