package dev.engagement.gateway.engagement;

import java.time.OffsetDateTime;

import dev.engagement.gateway.contract.EngagementResult;

/** An audit event that changes no state (e.g. one failed attempt of a retried platform call), and when it happened. */
public record NotedEvent(String type, EngagementResult result, Long executionMillis, String actor, OffsetDateTime at) {
}
