package dev.engagement.gateway.engagement;

/** One reason behind a confidence score: the rule, how much it took off, and what triggered it. */
public record Reason(String rule, double penalty, String evidence) {
}
