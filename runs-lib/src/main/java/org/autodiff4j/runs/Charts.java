package org.autodiff4j.runs;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line and scatter charts as PNG, rendered headless with XChart. */
public final class Charts {
    static {
        // PNGs are encoded in memory: ImageIO's default file cache registers a delete-on-exit file, which throws
        // "Shutdown in progress" when Ctrl-C arrives while an epoch's pictures are drawn
        javax.imageio.ImageIO.setUseCache(false);
    }

    private Charts() {
    }

    /**
     * A line chart of named series over a shared x axis, its y axis fitting every point; with more than 40 points
     * the markers are dropped.
     *
     * @param title  the chart's title
     * @param xLabel the x axis's title
     * @param yLabel the y axis's title
     * @param x      the x values
     * @param names  the series' names
     * @param series the series' y values, each as long as {@code x}
     * @return the chart as PNG bytes
     */
    public static byte[] line(String title, String xLabel, String yLabel, double[] x, List<String> names,
                              List<double[]> series) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        if (countsPastThousand(x)) {
            // NOTE: XChart spaces the ticks for short labels: past 999 epochs or steps, level, they run into
            // each other ("1,0281,107"), so they are written without grouping and slanted
            chart.getStyler().setXAxisDecimalPattern("#").setXAxisLabelRotation(45);
        }
        legible(chart);
        int n = x.length;
        // NOTE: every point fits; a logarithmic axis for a loss's steep first epochs was tried and labels only
        // decades (one tick, "100", for 95-400 nats), so the later epochs' figures are read in the report's table
        double[] range = yRange(series, 0);
        chart.getStyler().setYAxisMin(range[0]).setYAxisMax(range[1]);
        for (int i = 0; i < names.size(); i++) {
            chart.addSeries(names.get(i), x, series.get(i)).setMarker(n > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return png(chart);
    }

    /** Type large enough to read at a report page's width (the defaults are about 10 points on an 800-pixel chart). */
    private static void legible(XYChart chart) {
        var styler = chart.getStyler();
        styler.setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 20));
        styler.setAxisTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 17));
        styler.setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 15));
        styler.setLegendFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 15));
    }

    /** Whether the x values are whole numbers (epochs, steps) reaching four digits. */
    static boolean countsPastThousand(double[] x) {
        return Arrays.stream(x).allMatch(v -> v == Math.rint(v)) && Arrays.stream(x).anyMatch(v -> v >= 1000);
    }

    /**
     * The y axis's range for the points from {@code from} on: their extent plus 5% either side; a flat
     * series (a constant learning rate) gets 5% of its value either side, not an axis labelled in
     * millionths.
     */
    static double[] yRange(List<double[]> series, int from) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] ys : series) {
            for (int j = from; j < ys.length; j++) {
                lo = Math.min(lo, ys[j]);
                hi = Math.max(hi, ys[j]);
            }
        }
        double margin = 0.05 * (hi - lo);
        if (!(margin > 0)) {
            margin = Math.max(0.05 * Math.max(Math.abs(lo), Math.abs(hi)), 1e-9);
        }
        return new double[] {lo - margin, hi + margin};
    }

    /**
     * A scatter plot of named [n, 2] point sets with equal axis ranges [-lim, lim].
     *
     * @param title  the chart's title
     * @param lim    the half-width of both axes
     * @param names  the sets' names
     * @param points the sets, each [n, 2]
     * @param colors the sets' colours
     * @return the chart as PNG bytes
     */
    public static byte[] scatter(String title, double lim, List<String> names, List<Tensor> points, List<Color> colors) {
        XYChart chart = new XYChartBuilder().width(700).height(700).title(title).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisMin(-lim).setXAxisMax(lim).setYAxisMin(-lim).setYAxisMax(lim);
        for (int i = 0; i < names.size(); i++) {
            double[] v = points.get(i).to(DType.FLOAT64).toDoubleArray();
            double[] x = new double[v.length / 2];
            double[] y = new double[v.length / 2];
            for (int j = 0; j < x.length; j++) {
                x[j] = v[2 * j];
                y[j] = v[2 * j + 1];
            }
            chart.addSeries(names.get(i), x, y).setMarkerColor(colors.get(i)).setMarker(SeriesMarkers.CIRCLE);
        }
        return png(chart);
    }

    private static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // unreachable: rendering to memory
        }
    }
}
