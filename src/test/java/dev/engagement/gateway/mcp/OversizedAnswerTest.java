package dev.engagement.gateway.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server's oversized answer is cut to its short fields, with a marker, before it is stored. */
class OversizedAnswerTest {

    private final McpToolInvoker invoker = new McpToolInvoker(null, Json.newObjectMapper(), new SimpleMeterRegistry(), 20_000, 900);

    @Test
    void anAnswerOverTheBoundKeepsItsShortFieldsAndSaysItWasCut() throws Exception {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", "1460323737035677698");
        answer.put("liked", true);
        answer.put("includes", "x".repeat(300_000));
        Map<String, Object> bounded = invoker.bounded(answer);
        assertEquals("1460323737035677698", bounded.get("id"));
        assertEquals(true, bounded.get("liked"));
        assertEquals(true, bounded.get("truncated"));
        assertTrue((Integer) bounded.get("original_chars") > 300_000, bounded.toString());
        assertTrue(Json.newObjectMapper().writeValueAsString(bounded).length() <= 20_000);
    }

    @Test
    void anAnswerWithinTheBoundIsKeptAsItIs() {
        Map<String, Object> answer = Map.of("id", "1", "text", "y".repeat(1_000));
        assertSame(answer, invoker.bounded(answer));
    }
}
