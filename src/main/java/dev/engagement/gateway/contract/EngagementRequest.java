package dev.engagement.gateway.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** $defs.EngagementRequest: what an agent asks for. Only built from input that passed the schema. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngagementRequest(
        String action,
        String platform,
        String target,
        String content,
        @JsonProperty("persona_constraints") List<String> personaConstraints,
        @JsonProperty("request_id") String requestId,
        Double confidence) {

    public List<String> constraints() {
        return personaConstraints == null ? List.of() : personaConstraints;
    }

    /** The same request with this text as its content (a draft, a reviewer's edit). */
    public EngagementRequest withContent(String text) {
        return new EngagementRequest(action, platform, target, text, personaConstraints, requestId, confidence);
    }

    public boolean hasContent() {
        return content != null && !content.isBlank();
    }
}
