package dev.engagement.gateway.engagement;

import java.util.ArrayList;
import java.util.List;

/**
 * A text the language model drafted for a reply or comment that came without one (routes/drafting.yaml): the text
 * as it will be posted, the model that wrote it, how long the model took, and, when the model overshot the
 * platform's limit, how long its answer was before it was shortened (null when it was not).
 */
public record Draft(String text, String model, long millis, Integer shortenedFrom, int limit, String platform) {

    /** The reason every drafted engagement carries: it waits for a reviewer, whatever its score. */
    public static final String RULE = "drafted_by_llm";
    /** The reason of a draft that was cut to fit the platform. */
    public static final String SHORTENED_RULE = RULE + ".shortened";

    /** The reasons the reviewer sees (no penalty: the text is scored like any other). */
    public List<Reason> reasons() {
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason(RULE, 0.0, "the text was drafted by the language model " + model
                + " (no agent wrote it): a reviewer reads it before it is posted"));
        if (shortenedFrom != null) {
            reasons.add(new Reason(SHORTENED_RULE, 0.0, "the model's draft was " + shortenedFrom + " characters by " + platform
                    + "'s counting, over its limit of " + limit + "; it was cut at the last sentence or word that fits"));
        }
        return List.copyOf(reasons);
    }
}
