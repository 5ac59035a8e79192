package dev.engagement.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /approvals/decisions: many decisions in one call, each with its own result, each engagement decided once. */
class BulkDecisionsTest extends SharedGateway {

    private static String queueFollow(String platform, String user) throws Exception {
        Answer a = gateway.submit("{\"action\": \"follow\", \"platform\": \"" + platform + "\", \"target\": \"" + user + "\"}");
        assertEquals(202, a.status(), a.raw());
        return a.text("/engagement_id");
    }

    private static String item(String id, String decision) {
        return "{\"engagement_id\": \"" + id + "\", \"decision\": \"" + decision + "\"}";
    }

    private static Answer decide(String reviewer, List<String> items) throws Exception {
        return gateway.post("/approvals/decisions", RunningGateway.REVIEWER,
                "{\"reviewer\": \"" + reviewer + "\", \"decisions\": [" + String.join(", ", items) + "]}");
    }

    @Test
    void aReviewerDecidesSeveralAtOnceAndEachGetsItsOwnResultInOrder() throws Exception {
        String first = queueFollow("twitter", "user_bulk_one");
        String second = queueFollow("twitter", "user_bulk_two");
        String third = queueFollow("twitter", "user_bulk_three");
        String decided = queueFollow("twitter", "user_bulk_decided");
        assertEquals(200, gateway.post("/approvals/" + decided + "/reject", RunningGateway.REVIEWER, "{}").status());

        Answer answer = decide("maria", List.of(item(first, "approve"), item(second, "approve"),
                "{\"engagement_id\": \"" + third + "\", \"decision\": \"reject\", \"note\": \"not our audience\"}",
                item("eng_00000000000000000000", "approve"), item(decided, "approve")));
        assertEquals(200, answer.status(), answer.raw());
        JsonNode results = answer.body();
        assertEquals(5, results.size(), answer.raw());
        for (JsonNode r : results) {
            assertEquals(List.of(), contractViolations(r), r.toString());
        }
        assertEquals("success", results.get(0).path("status").asText(), answer.raw());
        assertEquals(first, results.get(0).path("engagement_id").asText());
        assertEquals("success", results.get(1).path("status").asText(), answer.raw());
        assertEquals("REJECTED_BY_REVIEWER", results.get(2).at("/error/code").asText(), answer.raw());
        assertTrue(results.get(2).at("/error/message").asText().contains("not our audience"), answer.raw());
        assertEquals("NOT_FOUND", results.get(3).at("/error/code").asText(), answer.raw());
        assertEquals("CONFLICT", results.get(4).at("/error/code").asText(), answer.raw());

        JsonNode ledger = gateway.ledger("twitter");
        assertEquals(1, ApprovalFlowTest.calls(ledger, "user_bulk_one"));
        assertEquals(1, ApprovalFlowTest.calls(ledger, "user_bulk_two"));
        assertEquals(0, ApprovalFlowTest.calls(ledger, "user_bulk_three"));
        assertEquals(0, ApprovalFlowTest.calls(ledger, "user_bulk_decided"));
        assertTrue(gateway.get("/engagements/" + first + "/events", RunningGateway.REVIEWER).raw().contains("maria"),
                "the envelope's reviewer decided each item");
    }

    @Test
    void twoBulkCallsRacingOnTheSameItemsDecideEachOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(queueFollow("threads", "user_bulk_race_" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> calls = new ArrayList<>();
        for (String decision : List.of("approve", "reject")) {
            List<String> items = ids.stream().map(id -> item(id, decision)).toList();
            calls.add(pool.submit(() -> {
                go.await();
                return decide("racer-" + decision, items);
            }));
        }
        go.countDown();
        List<JsonNode> answers = new ArrayList<>();
        for (Future<Answer> f : calls) {
            Answer a = f.get();
            assertEquals(200, a.status(), a.raw());
            answers.add(a.body());
        }
        pool.shutdown();
        JsonNode ledger = gateway.ledger("threads");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode approved = answers.get(0).get(i);
            JsonNode rejected = answers.get(1).get(i);
            boolean approvedWon = !"CONFLICT".equals(approved.at("/error/code").asText());
            boolean rejectedWon = !"CONFLICT".equals(rejected.at("/error/code").asText());
            assertTrue(approvedWon ^ rejectedWon, "exactly one decision on " + ids.get(i) + ": " + approved + " / " + rejected);
            assertEquals(approvedWon ? 1 : 0, ApprovalFlowTest.calls(ledger, "user_bulk_race_" + i),
                    "executed once when approved, never when rejected: " + ids.get(i));
        }
    }

    @Test
    void aMalformedBulkIsOneValidationFailureAndDecidesNothing() throws Exception {
        String id = queueFollow("instagram", "user_bulk_untouched");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(item("eng_" + i, "approve"));
        }
        Answer big = decide("x", tooMany).assertContract();
        assertEquals(400, big.status(), big.raw());
        assertEquals("/decisions", big.text("/error/violations/0/pointer"));

        Answer twice = decide("x", List.of(item(id, "approve"), item(id, "reject"))).assertContract();
        assertEquals(400, twice.status(), twice.raw());
        assertEquals("/decisions/1/engagement_id", twice.text("/error/violations/0/pointer"));

        Answer unknownVerdict = decide("x", List.of(item(id, "maybe"))).assertContract();
        assertEquals(400, unknownVerdict.status(), unknownVerdict.raw());
        assertEquals("/decisions/0/decision", unknownVerdict.text("/error/violations/0/pointer"));

        Answer byAgent = gateway.post("/approvals/decisions", RunningGateway.AGENT,
                "{\"decisions\": [" + item(id, "approve") + "]}").assertContract();
        assertEquals(403, byAgent.status(), byAgent.raw());

        assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("instagram"), "user_bulk_untouched"));
        assertEquals("pending", gateway.get("/engagements/" + id, RunningGateway.REVIEWER).text("/status"));
    }

    private static List<?> contractViolations(JsonNode result) throws Exception {
        return new dev.engagement.gateway.contract.ContractValidator(dev.engagement.gateway.contract.Json.newObjectMapper())
                .violations("EngagementResult", result);
    }
}
