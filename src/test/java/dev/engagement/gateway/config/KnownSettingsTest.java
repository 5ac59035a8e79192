package dev.engagement.gateway.config;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A setting nobody reads is an error at start, named, not silently ignored. */
class KnownSettingsTest {

    private static final List<String> PLATFORMS = List.of("twitter", "instagram", "tiktok", "threads");
    private static final List<String> ACTIONS = List.of("reply", "comment", "like", "follow", "share");

    @Test
    void shippedKeysAndTheirVariantsForOtherPlatformsAndActionsAreKnown() {
        Set<String> shipped = KnownSettings.shipped();
        assertDoesNotThrow(() -> KnownSettings.check(List.of(
                "engagement.platforms.threads.lookup.reply",                      // a twitter-only key, for another platform
                "engagement.platforms.tiktok.actions.reply",                      // an action tiktok does not ship
                "engagement.platforms.twitter.rate-limit.bursts",                 // a budget of the integrator's own naming
                "engagement.policy.persona.rule.witty",                           // a persona constraint of their own
                "engagement.policy.penalty.gambling",                             // a category of sensitive content of their own
                "engagement.platforms.threads.resilience.call-timeout-ms",        // a platform's own resilience value
                "engagement.policy.thresholds.threads.reply.auto-execute-above",  // a platform and action threshold
                "engagement.policy.thresholds.follow.review-at-or-above",
                "engagement.log.format"), shipped, PLATFORMS, ACTIONS));                    // read by log4j2 (README)
    }

    @Test
    void aTypoIsRefusedWithItsName() {
        Set<String> shipped = KnownSettings.shipped();
        for (String typo : List.of("engagement.policy.thresholds.thread.reply.auto-execute-above",
                "engagement.resilience.call-timeout", "engagement.platforms.twiter.mcp.url", "engagement.kafka.broker")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KnownSettings.check(List.of(typo), shipped, PLATFORMS, ACTIONS));
            assertTrue(e.getMessage().contains(typo), e.getMessage());
        }
    }

    @Test
    void theGatewayDoesNotStartWithAnUnknownSetting() throws Exception {
        Exception e = assertThrows(Exception.class, () -> RunningGateway.start(Files.createTempDirectory("typo"),
                Map.of("engagement.policy.thresholds.thread.reply.auto-execute-above", "0.95")).close());
        Throwable root = e;
        while (root.getCause() != null && !root.getMessage().contains("Unknown setting")) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("engagement.policy.thresholds.thread.reply.auto-execute-above"), root.getMessage());
    }
}
