package dev.engagement.gateway.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up checks on tokens and the address the gateway answers on. */
class ExposureTest {

    private static final String OWN_AGENT = "a3f9c1d27be84f0e9a6c55d1";
    private static final String OWN_REVIEWER = "r7e2b9a04c1d4f8e8b3a66c2";

    @Test
    void theShippedDevelopmentTokensAreServedOnLoopbackOnly() {
        assertDoesNotThrow(() -> AccessGuard.checkExposure(List.of("dev-agent-token"), List.of("dev-reviewer-token"), List.of(), "127.0.0.1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessGuard.checkExposure(List.of(OWN_AGENT), List.of("dev-reviewer-token"), List.of(), "0.0.0.0"));
        assertTrue(e.getMessage().contains("engagement.auth.reviewer-tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("camel.server.host"), e.getMessage());
        assertDoesNotThrow(() -> AccessGuard.checkExposure(List.of(OWN_AGENT), List.of(OWN_REVIEWER), List.of(), "0.0.0.0"));
    }

    @Test
    void aTokenShorterThan24CharactersIsRefusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessGuard.checkExposure(List.of("hunter2-secret"), List.of(OWN_REVIEWER), List.of(), "127.0.0.1"));
        assertTrue(e.getMessage().contains("engagement.auth.agent-tokens"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), "the token itself is never shown: " + e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AccessGuard.checkExposure(List.of(OWN_AGENT), List.of(OWN_REVIEWER), List.of("short"), "127.0.0.1"));
    }
}
