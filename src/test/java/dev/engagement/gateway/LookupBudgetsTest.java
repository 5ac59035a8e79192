package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Target lookups spend a read budget of their own, "not found" is remembered briefly, a server's wait is capped. */
class LookupBudgetsTest {

    private static double lookups(RunningGateway gateway) throws Exception {
        String metrics = gateway.metrics();
        return metrics.lines().filter(l -> l.startsWith("engagement_mcp_call_seconds_count") && l.contains("tool=\"get_tweet\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String like(String target) {
        return "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"" + target + "\"}";
    }

    @Test
    void aTargetThePlatformDidNotFindIsNotLookedUpAgainRightAway() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("not-found"), Map.of())) {
            double before = lookups(gateway);
            for (int i = 0; i < 3; i++) {
                Answer a = gateway.submit(like("tweet_missing_77")).assertContract();
                assertEquals(422, a.status(), a.raw());
                assertEquals("INVALID_TARGET", a.text("/error/code"));
            }
            assertEquals(1, lookups(gateway) - before, 0.001, "one lookup for three tries");
        }
    }

    @Test
    void lookupsHaveTheirOwnReadBudget() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("read-budget"),
                Map.of("engagement.platforms.twitter.targets.read-limit", "2 per PT1H"))) {
            assertEquals(200, gateway.submit(like("tweet_reads_1")).status());
            assertEquals(200, gateway.submit(like("tweet_reads_2")).status());
            Answer third = gateway.submit(like("tweet_reads_3")).assertContract();
            assertEquals(429, third.status(), third.raw());
            assertEquals("RATE_LIMIT_EXCEEDED", third.text("/error/code"));
            assertTrue(third.text("/error/message").contains("twitter.reads"), third.raw());
            assertTrue(third.body().at("/error/retry_after").asLong() > 0, third.raw());
            // the other platforms read on
            assertEquals(200, gateway.submit("{\"action\": \"like\", \"platform\": \"instagram\", \"target\": \"post_67890\"}").status());
        }
    }

    @Test
    void aServersRetryAfterIsCapped() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("retry-cap"), Map.of())) {
            gateway.post("/sandbox/faults?platform=twitter", RunningGateway.REVIEWER, "{\"rate_limited_for_seconds\": 86400}");
            Answer a = gateway.submit(like("tweet_12345")).assertContract();
            assertEquals(429, a.status(), a.raw());
            long retryAfter = a.body().at("/error/retry_after").asLong();
            assertTrue(retryAfter > 0 && retryAfter <= 900, "a day's wait is believed up to 15 minutes: " + a.raw());
        }
    }
}
