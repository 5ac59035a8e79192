package dev.engagement.gateway.engagement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the platform's lookup tool said about a target (the post, comment, video or thread an
 * engagement acts on): its author and text, and the tool's whole answer, JSON nulls included (a real
 * platform sends them: Map.copyOf would refuse the answer).
 */
public record TargetInfo(String platform, String target, String tool, String author, String text, Map<String, Object> metadata) {

    /** The longest target text kept for the reviewers (the platforms' own limits are far shorter). */
    private static final int KEPT_TEXT = 4000;

    /**
     * What a reviewer sees of the target: author, text and, when the platform said, when it was posted
     * ({@code created_at}, or {@code timestamp}).
     */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("author", author);
        out.put("text", text == null || text.length() <= KEPT_TEXT ? text : text.substring(0, KEPT_TEXT));
        Object at = metadata.get("created_at") != null ? metadata.get("created_at") : metadata.get("timestamp");
        if (at != null) {
            out.put("created_at", String.valueOf(at));
        }
        return out;
    }

    public static TargetInfo from(String platform, String target, String tool, Map<String, Object> answer) {
        // a server that passes the platform's own answer on (X's {"data": {"text", "author_id"}}) is read there
        Map<?, ?> data = answer.get("data") instanceof Map<?, ?> d ? d : Map.of();
        Object author = answer.containsKey("author") ? answer.get("author") : data.get("author_id");
        Object text = answer.containsKey("text") ? answer.get("text") : data.get("text");
        return new TargetInfo(platform, target, tool, author == null ? null : String.valueOf(author),
                text == null ? null : String.valueOf(text), Collections.unmodifiableMap(new LinkedHashMap<>(answer)));
    }
}
