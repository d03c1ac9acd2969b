package org.autodiff4j.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.autodiff4j.tensor.ConvolutionShape;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The oneDNN route against unfold + gemm, both float32, over generated shapes, strides, paddings (larger than the
 * kernel's half too) and dilations: the forward convolution and its two gradients agree to float32 rounding. The
 * gradients' own correctness (against float64 central differences, first and second order) is checked on the gemm
 * route in nn's FunctionalProperties; this shows the oneDNN route computes the same functions.
 */
class OneDnnRouteProperties {
    @AfterProperty
    void backToAuto() {
        Convolutions.setRoute("auto");
    }

    @Example
    void onTheClassPath_theRouteIsFoundAndTaken() {
        Convolutions.setRoute("auto");
        assertEquals("onednn", Convolutions.route());
        assertTrue(Convolutions.describe().startsWith("oneDNN 3.3.4"), Convolutions.describe());
    }

    @Example
    void anUnknownRoute_isRefusedNamingTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Convolutions.setRoute("mkl"));
        assertEquals("-Dautodiff4j.conv=mkl: expected one of auto, gemm, onednn", e.getMessage());
    }

    @Example
    void theDcganShapes_takeOneDnnsOwnKernels() {
        ConvolutionShape d2 = new ConvolutionShape(64, 64, 14, 14, 128, 4, 4, 1, 1, 1, 1, 2, 2);
        OneDnnRoute route = new OneDnnRoute();
        for (String kind : new String[] {"forward", "data", "weights"}) {
            String impl = route.implementation(d2, kind);
            assertTrue(impl != null && !impl.startsWith("ref"), kind + ": " + impl);
        }
        // the generator's last layer, the data gradient of a 1-channel convolution, takes the output gradient in
        // PyTorch's layout and oneDNN's gemm kernel (4x faster here than the blocked kernel, which pads C to 16)
        ConvolutionShape d1 = new ConvolutionShape(64, 1, 28, 28, 64, 4, 4, 1, 1, 1, 1, 2, 2);
        assertTrue(route.implementation(d1, "data").contains("gemm"), route.implementation(d1, "data"));
        assertFalse(route.implementation(d2, "data").contains("gemm"), route.implementation(d2, "data"));
        // and compute what unfold + gemm does there, images and gradients in oneDNN's blocked layouts
        Generator g = new Generator(11);
        // the DCGAN's four convolutions (the generator's as the data gradients of these): C to F channels, input size
        for (int[] cfs : new int[][] {{1, 64, 28}, {64, 128, 14}, {64, 1, 28}, {128, 64, 14}}) {
            int c = cfs[0];
            int f = cfs[1];
            int h = cfs[2] / 2;
            Tensor x = Tensor.uniform(g, -1, 1, DType.FLOAT32, 4, c, 2 * h, 2 * h);
            Tensor wt = Tensor.uniform(g, -1, 1, DType.FLOAT32, f, c, 4, 4);
            Tensor dy = Tensor.uniform(g, -1, 1, DType.FLOAT32, 4, f, h, h);
            int[] one = {1, 1};
            int[] two = {2, 2};
            String at = c + " to " + f + " channels, " + 2 * h + "x" + 2 * h;
            agree("forward " + at, () -> Convolutions.forward(x, wt, one, one, two));
            agree("data " + at, () -> Convolutions.backwardData(dy, wt, new int[] {2 * h, 2 * h}, one, one, two));
            agree("weights " + at, () -> Convolutions.backwardWeights(x, dy, new int[] {4, 4}, one, one, two));
            agree("backward, data " + at, () -> Convolutions.backward(x, wt, dy, one, one, two)[0]);
            agree("backward, weights " + at, () -> Convolutions.backward(x, wt, dy, one, one, two)[1]);
            agree("transposed backward, input " + at, () -> Convolutions.transposedBackward(x, wt, dy, one, one, two)[0]);
            agree("transposed backward, weights " + at,
                    () -> Convolutions.transposedBackward(x, wt, dy, one, one, two)[1]);
        }
    }

    @Example
    void aWeightChangedInPlace_isReadAgain_evenInOneValue() {
        Generator g = new Generator(5);
        int[] one = {1, 1};
        int[] two = {2, 2};
        // 32 channels: a blocked weight layout, which the route keeps between calls while the values are the same
        Tensor x = Tensor.uniform(g, -1, 1, DType.FLOAT32, 2, 32, 8, 8);
        Tensor dy = Tensor.uniform(g, -1, 1, DType.FLOAT32, 2, 32, 4, 4);
        Tensor w = Tensor.uniform(g, -1, 1, DType.FLOAT32, 32, 32, 4, 4);
        for (int round = 0; round < 3; round++) {
            agree("forward, round " + round, () -> Convolutions.forward(x, w, one, one, two));
            agree("data, round " + round, () -> Convolutions.backwardData(dy, w, new int[] {8, 8}, one, one, two));
            Convolutions.setRoute("onednn");
            Tensor before = Convolutions.forward(x, w, one, one, two);
            w.puti(round * 997, 3.0);       // one value, in place, as an optimiser step writes the same array
            Tensor after = Convolutions.forward(x, w, one, one, two);
            assertFalse(before.allClose(after, 0, 1e-3), "round " + round + ": the changed weight was not read");
            w.muli(0.5);
        }
    }

    @Property(tries = 300)
    void theThreeComputations_agreeWithUnfoldAndGemm(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll("channels") int c,
            @ForAll("channels") int f, @ForAll @IntRange(min = 1, max = 4) int kh,
            @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 2) int dh,
            @ForAll @IntRange(min = 0, max = 3) int ph, @ForAll @IntRange(min = 0, max = 2) int pw,
            @ForAll @IntRange(min = 1, max = 3) int sh, @ForAll @IntRange(min = 1, max = 2) int sw,
            @ForAll @IntRange(min = 3, max = 12) int h, @ForAll @IntRange(min = 3, max = 9) int w,
            @ForAll long seed) {
        ConvolutionShape s = new ConvolutionShape(n, c, h, w, f, kh, kw, dh, 1, ph, pw, sh, sw);
        Assume.that(s.oh() >= 1 && s.ow() >= 1);
        Generator g = new Generator(seed);
        Tensor x = Tensor.uniform(g, -1, 1, DType.FLOAT32, n, c, h, w);
        Tensor wt = Tensor.uniform(g, -1, 1, DType.FLOAT32, f, c, kh, kw);
        Tensor dy = Tensor.uniform(g, -1, 1, DType.FLOAT32, n, f, s.oh(), s.ow());
        int[] dil = {dh, 1};
        int[] pad = {ph, pw};
        int[] str = {sh, sw};
        agree("forward " + s, () -> Convolutions.forward(x, wt, dil, pad, str));
        agree("data " + s, () -> Convolutions.backwardData(dy, wt, new int[] {h, w}, dil, pad, str));
        agree("weights " + s, () -> Convolutions.backwardWeights(x, dy, new int[] {kh, kw}, dil, pad, str));
        // the two gradients in one call, the shared array prepared once
        agree("backward, data " + s, () -> Convolutions.backward(x, wt, dy, dil, pad, str)[0]);
        agree("backward, weights " + s, () -> Convolutions.backward(x, wt, dy, dil, pad, str)[1]);
        agree("transposed backward, input " + s, () -> Convolutions.transposedBackward(x, wt, dy, dil, pad, str)[0]);
        agree("transposed backward, weights " + s,
                () -> Convolutions.transposedBackward(x, wt, dy, dil, pad, str)[1]);
    }

    /** Channel counts below, at and off oneDNN's blocks of 8 and 16. */
    @Provide
    Arbitrary<Integer> channels() {
        return Arbitraries.of(1, 2, 3, 5, 8, 16, 17, 32);
    }

    private static void agree(String what, Supplier<Tensor> f) {
        Convolutions.setRoute("gemm");
        Tensor expected = f.get();
        Convolutions.setRoute("onednn");
        Tensor actual = f.get();
        assertEquals(expected.shape(), actual.shape(), what);
        double scale = Math.max(1, expected.abs().max(new int[] {0, 1, 2, 3}, false).item());
        assertTrue(expected.allClose(actual, 0, 1e-5 * scale), what + ": largest difference "
                + expected.sub(actual).abs().max(new int[] {0, 1, 2, 3}, false).item());
    }
}
