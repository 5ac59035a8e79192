package dev.engagement.gateway.connector;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.Json;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which connectors exist, and what a missing credential says. */
class ConnectorsTest {

    @Test
    void tiktokHasNoConnectorAndSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Connectors.create("tiktok", new ConnectorSettings(n -> Optional.of("x")), Json.newObjectMapper()));
        assertTrue(e.getMessage().contains("no endpoint"), e.getMessage());
    }

    @Test
    void aMissingTokenStopsTheStartNamingTheVariable() {
        for (String[] c : new String[][] {{"x", "X_USER_ACCESS_TOKEN"}, {"threads", "THREADS_ACCESS_TOKEN"}, {"instagram", "INSTAGRAM_ACCESS_TOKEN"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Connectors.create(c[0], new ConnectorSettings(n -> Optional.empty()), Json.newObjectMapper()));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
