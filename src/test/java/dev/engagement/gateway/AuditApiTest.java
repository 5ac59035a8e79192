package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reviewers query the audit log: filters, paging, one engagement's history, counts, and the API description. */
class AuditApiTest extends SharedGateway {

    @Test
    void theLogIsFilteredAndPagedNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(gateway.submit("{\"action\": \"like\", \"platform\": \"tiktok\", \"target\": \"video_page_" + i + "\"}")
                    .text("/engagement_id"));
        }
        gateway.submit("{\"action\": \"follow\", \"platform\": \"tiktok\", \"target\": \"user_page\"}");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = gateway.get("/engagements?platform=tiktok&action=like&status=success&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), RunningGateway.REVIEWER);
            assertEquals(200, page.status(), page.raw());
            for (JsonNode item : page.body().path("items")) {
                assertEquals("like", item.at("/request/action").asText());
                assertEquals("success", item.path("status").asText());
                seen.add(item.path("engagement_id").asText());
            }
            cursor = page.body().path("next_cursor").asText(null);
            pages++;
        } while (cursor != null && pages < 10);
        assertTrue(seen.containsAll(ids), seen + " should hold " + ids);
        assertEquals(seen.size(), seen.stream().distinct().count(), "no item twice across pages");
        List<String> ours = seen.stream().filter(ids::contains).toList();
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, ours, "newest first");
    }

    @Test
    void badQueryParametersAreNamed() throws Exception {
        Answer a = gateway.get("/engagements?platform=myspace&limit=9999&since=last%20week&cursor=zzz", RunningGateway.REVIEWER)
                .assertContract();
        assertEquals(400, a.status());
        String pointers = a.body().at("/error/violations").findValuesAsText("pointer").toString();
        for (String p : List.of("/platform", "/limit", "/since", "/cursor")) {
            assertTrue(pointers.contains(p), p + " in " + a.raw());
        }
        assertEquals(403, gateway.get("/engagements", RunningGateway.AGENT).status(), "the audit log is for reviewers");
    }

    @Test
    void oneEngagementsHistoryReadsLikeItsLife() throws Exception {
        String id = gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_history\"}")
                .text("/engagement_id");
        gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER, "{\"reviewer\": \"kim\", \"note\": \"no\"}");
        Answer events = gateway.get("/engagements/" + id + "/events", RunningGateway.REVIEWER);
        assertEquals(200, events.status(), events.raw());
        List<String> names = new ArrayList<>();
        events.body().forEach(e -> names.add(e.path("event").asText()));
        assertEquals(List.of("received", "queued_for_review", "rejected"), names);
        JsonNode rejected = events.body().get(2);
        assertTrue(rejected.path("actor").asText().startsWith("kim [token "), rejected.toString());
        assertEquals("REJECTED_BY_REVIEWER", rejected.path("error_code").asText());
        assertEquals("user_history", rejected.path("target").asText());
        assertEquals(404, gateway.get("/engagements/eng_nope/events", RunningGateway.REVIEWER).status());
    }

    @Test
    void statsCountByPlatformActionAndStatus() throws Exception {
        gateway.submit("{\"action\": \"like\", \"platform\": \"threads\", \"target\": \"thread_stats_1\"}");
        gateway.submit("{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"user_stats\"}");
        Answer stats = gateway.get("/engagements/stats?since=1h", RunningGateway.REVIEWER);
        assertEquals(200, stats.status(), stats.raw());
        assertTrue(stats.body().at("/by_platform/threads").asLong() >= 2);
        assertTrue(stats.body().at("/by_status/success").asLong() >= 1);
        assertTrue(stats.body().at("/by_status/pending").asLong() >= 1);
        assertTrue(stats.body().path("total").asLong() >= 2);
        assertNotNull(stats.text("/since"));
        Answer empty = gateway.get("/engagements/stats?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z", RunningGateway.REVIEWER);
        assertEquals(0, empty.body().path("total").asLong());
    }

    @Test
    void theOpenApiDocumentDescribesTheApiWithTheContractsSchemas() throws Exception {
        Answer doc = gateway.get("/openapi.json", null);
        assertEquals(200, doc.status());
        assertEquals("3.1.0", doc.text("/openapi"));
        JsonNode contract = RunningGateway.json(Files.readString(Path.of("contract.json")));
        JsonNode schemas = doc.body().at("/components/schemas");
        contract.path("$defs").fieldNames().forEachRemaining(name -> assertTrue(schemas.has(name), name));
        assertEquals(contract.at("/$defs/ErrorCode/enum"), schemas.at("/ErrorCode/enum"));
        assertFalse(doc.raw().contains("#/$defs/"), "every $ref points into components");
        for (String path : List.of("/engagements", "/engagements/{engagement_id}", "/approvals", "/approvals/{engagement_id}/approve",
                "/approvals/{engagement_id}/reject", "/engagements/stats", "/engagements/{engagement_id}/events")) {
            assertTrue(doc.body().path("paths").has(path), path);
        }
    }

    @Test
    void anOversizedBodyIsRefusedInTheContractsShape() throws Exception {
        Answer a = gateway.submit("{\"content\": \"" + "x".repeat(1_100_000) + "\"}").assertContract();
        assertEquals(413, a.status());
        assertEquals("PAYLOAD_TOO_LARGE", a.text("/error/code"));
    }

    @Test
    void pendingApprovalsExpire() throws Exception {
        try (RunningGateway quick = RunningGateway.start(Files.createTempDirectory("expiry"),
                Map.of("engagement.approvals.expire-after", "PT1S", "engagement.approvals.expiry-check-interval-ms", "200"))) {
            String swept = quick.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_slow_1\"}")
                    .text("/engagement_id");
            long deadline = System.currentTimeMillis() + 15_000;
            Answer state;
            do {
                Thread.sleep(300);
                state = quick.get("/engagements/" + swept, RunningGateway.AGENT).assertContract();
            } while (!"failed".equals(state.text("/status")) && System.currentTimeMillis() < deadline);
            assertEquals("APPROVAL_EXPIRED", state.text("/error/code"), state.raw());
            Answer late = quick.post("/approvals/" + swept + "/approve", RunningGateway.REVIEWER, "{}").assertContract();
            assertEquals(409, late.status(), late.raw());
            assertEquals(0, quick.ledger("twitter").size(), "an expired engagement is never executed");
            List<String> events = quick.eventNames(swept);
            assertTrue(events.contains("expired"), events.toString());
        }
    }
}
