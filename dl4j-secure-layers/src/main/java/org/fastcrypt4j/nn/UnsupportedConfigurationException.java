package org.fastcrypt4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration that cannot run on shares. The message lists every problem at once, grouped by cause, each cause
 * with the layers it concerns (by index and name), so that one run shows everything to change and a cause shared by
 * many layers (an updater set for the whole network, say) takes one line.
 */
public final class UnsupportedConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** One problem: where (a layer: "layer 2 'bn' (BatchNormalization)", or the configuration) and the cause. */
    public record Problem(String where, String cause) {
        @Override
        public String toString() {
            return where + ": " + cause;
        }
    }

    private final List<Problem> problems;

    public UnsupportedConfigurationException(String what, List<Problem> problems) {
        super(message(what, problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(String what, List<Problem> problems) {
        Map<String, List<String>> byCause = group(problems);
        StringBuilder b = new StringBuilder(what).append(" (").append(byCause.size())
                .append(byCause.size() == 1 ? " cause" : " causes");
        if (problems.size() != byCause.size()) {
            b.append(", ").append(problems.size()).append(" problems");
        }
        b.append("):");
        byCause.forEach((cause, where) -> b.append("\n  ").append(cause).append(": ").append(String.join(", ", where)));
        return b.toString();
    }

    private static Map<String, List<String>> group(List<Problem> problems) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Problem p : problems) {
            out.computeIfAbsent(p.cause(), c -> new ArrayList<>()).add(p.where());
        }
        return out;
    }

    /** One line per offending layer setting: "layer 2 'bn' (BatchNormalization): ...". */
    public List<String> problems() {
        return problems.stream().map(Problem::toString).toList();
    }

    /** The causes, each with the places it concerns, in the order first met. */
    public Map<String, List<String>> causes() {
        Map<String, List<String>> g = group(problems);
        g.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(g);
    }
}
