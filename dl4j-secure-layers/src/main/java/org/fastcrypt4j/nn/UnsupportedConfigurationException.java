package org.fastcrypt4j.nn;

import java.util.List;

/**
 * A configuration that cannot run on shares. The message lists every offending layer at once, by index and name,
 * with the reason, so that one run shows everything to change.
 */
public final class UnsupportedConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public UnsupportedConfigurationException(String what, List<String> problems) {
        super(what + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per offending layer setting: "layer 2 'bn' (BatchNormalization): ...". */
    public List<String> problems() {
        return problems;
    }
}
