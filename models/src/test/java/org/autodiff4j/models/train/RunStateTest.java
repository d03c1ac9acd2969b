package org.autodiff4j.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A damaged run state in a checkpoint: every out-of-range or mistyped entry is one error naming the entry. */
class RunStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode valid() throws Exception {
        RunState s = new RunState();
        s.epoch = 2;
        s.stepInEpoch = 3;
        s.step = 13;
        s.current = new Generator(1).state();
        s.epochStart = new Generator(2).state();
        s.sums.put("loss", 12.5);
        s.weight = 3;
        s.best = 1.5;
        return (ObjectNode) JSON.readTree(s.toMetadata("t").get(RunState.KEY));
    }

    private static String rejected(ObjectNode o, Map<String, Tensor> tensors) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunState.fromCheckpoint(Map.of(RunState.KEY, o.toString()), tensors, "t"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aValidState_roundTrips() throws Exception {
        RunState s = RunState.fromCheckpoint(Map.of(RunState.KEY, valid().toString()), Map.of(), "t");
        assertEquals(13, s.step());
        assertEquals(3, s.stepInEpoch);
    }

    @Test
    void outOfRangeOrMistypedEntries_areRejectedByName() throws Exception {
        Object[][] cases = {
            {"epoch", 0}, {"epoch", -3}, {"epoch", 1.5}, {"epoch", "2"}, {"step_in_epoch", -1},
            {"step_in_epoch", 99999999999L}, {"since_best", -2}, {"step", -1}, {"step", 2.5}, {"step", 2},
            {"weight", -1.0}, {"weight", "NaN"}, {"seconds", -5.0}, {"best", "Infinity"},
        };
        for (Object[] c : cases) {
            ObjectNode o = valid();
            o.set((String) c[0], JSON.valueToTree(c[1]));
            String m = rejected(o, Map.of());
            assertTrue(m.contains(c[0].equals("step") ? "step" : (String) c[0]), c[0] + "=" + c[1] + ": " + m);
        }
        ObjectNode o = valid();
        ((ObjectNode) o.get("sums")).put("loss", Double.NaN);
        assertTrue(rejected(o, Map.of()).contains("sums.loss"));
        assertTrue(rejected(valid(), Map.of("curve", Tensor.zeros(DType.FLOAT64, 4))).contains("'curve' has shape [4]"));
    }
}
