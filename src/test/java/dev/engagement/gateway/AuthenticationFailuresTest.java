package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client guessing tokens is answered 429 after 20 failures in a minute, without its guesses being compared. */
class AuthenticationFailuresTest {

    @Test
    void repeatedFailedAuthenticationsFromOneClientAreSlowedDown() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("auth-failures"), Map.of())) {
            for (int i = 0; i < 20; i++) {
                Answer a = gateway.get("/approvals", "guess-" + i).assertContract();
                assertEquals(401, a.status(), a.raw());
            }
            Answer slowed = gateway.get("/approvals", "guess-20").assertContract();
            assertEquals(429, slowed.status(), slowed.raw());
            assertEquals("RATE_LIMIT_EXCEEDED", slowed.text("/error/code"));
            long retryAfter = slowed.body().at("/error/retry_after").asLong();
            assertTrue(retryAfter >= 1 && retryAfter <= 60, slowed.raw());
            // while it lasts even a right token is not looked at from that client
            assertEquals(429, gateway.get("/approvals", RunningGateway.REVIEWER).status());
        }
    }
}
