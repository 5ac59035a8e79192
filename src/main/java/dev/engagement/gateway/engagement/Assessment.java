package dev.engagement.gateway.engagement;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The policy's verdict on one request: the effective confidence (already the minimum of the
 * agent's own and the policy score), the reasons, and whether a human must see it whatever the score.
 */
public record Assessment(
        double confidence,
        @JsonProperty("policy_score") double policyScore,
        @JsonProperty("needs_human") boolean needsHuman,
        List<Reason> reasons) {

    public String summary() {
        if (reasons.isEmpty()) {
            return "no rule lowered it";
        }
        StringBuilder sb = new StringBuilder();
        for (Reason r : reasons) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(r.rule()).append(" (-").append(String.format(java.util.Locale.ROOT, "%.2f", r.penalty()))
                    .append("): ").append(r.evidence());
        }
        return sb.toString();
    }
}
