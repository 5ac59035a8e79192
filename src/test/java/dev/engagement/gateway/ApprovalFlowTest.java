package dev.engagement.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.SharedGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reviewer's half of the loop: the queue, approve (executes once), reject, and double decisions. */
class ApprovalFlowTest extends SharedGateway {


    private static String queueFollow(String platform, String user) throws Exception {
        Answer a = gateway.submit("{\"action\": \"follow\", \"platform\": \"" + platform + "\", \"target\": \"" + user
                + "\", \"persona_constraints\": [\"strategic\"]}").assertContract();
        assertEquals(202, a.status(), a.raw());
        return a.text("/engagement_id");
    }

    @Test
    void aReviewerSeesWhyAnItemWaitsAndApprovingExecutesIt() throws Exception {
        String id = queueFollow("twitter", "user_reviewed_once");

        Answer list = gateway.get("/approvals?status=pending", RunningGateway.REVIEWER);
        assertEquals(200, list.status(), list.raw());
        JsonNode item = find(list.body(), id);
        assertEquals("follow", item.at("/request/action").asText());
        assertEquals("user_reviewed_once", item.at("/request/target").asText());
        assertEquals(0.75, item.path("confidence").asDouble(), 0.001);
        assertTrue(item.path("reasons").size() > 0);
        assertTrue(item.path("created_at").isTextual());

        Answer approved = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"reviewer\": \"maria\", \"note\": \"fits the brand\"}").assertContract();
        assertEquals(200, approved.status(), approved.raw());
        assertEquals("success", approved.text("/status"));
        assertEquals(true, approved.body().at("/platform_response/following").asBoolean());
        assertEquals(1, calls(gateway.ledger("twitter"), "user_reviewed_once"));

        Answer again = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{\"reviewer\": \"li\"}").assertContract();
        assertEquals(409, again.status(), again.raw());
        assertEquals("CONFLICT", again.text("/error/code"));
        Answer reject = gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER, "{\"reviewer\": \"li\"}").assertContract();
        assertEquals(409, reject.status(), reject.raw());
        assertEquals(1, calls(gateway.ledger("twitter"), "user_reviewed_once"), "never executed twice");

        Answer state = gateway.get("/engagements/" + id, RunningGateway.AGENT).assertContract();
        assertEquals("success", state.text("/status"));
        assertTrue(gateway.get("/approvals", RunningGateway.REVIEWER).body().findValuesAsText("engagement_id").stream()
                .noneMatch(id::equals), "a decided item leaves the queue");
    }

    @Test
    void rejectingAnswersFailedRejectedByReviewerWithHttp200() throws Exception {
        String id = queueFollow("instagram", "user_not_for_us");
        Answer rejected = gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER,
                "{\"reviewer\": \"sam\", \"note\": \"off-brand\"}").assertContract();
        assertEquals(200, rejected.status(), rejected.raw());
        assertEquals("failed", rejected.text("/status"));
        assertEquals("REJECTED_BY_REVIEWER", rejected.text("/error/code"));
        assertTrue(rejected.text("/error/message").contains("sam"));
        assertEquals(0, calls(gateway.ledger("instagram"), "user_not_for_us"));

        Answer approve = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{}").assertContract();
        assertEquals(409, approve.status());
        assertEquals(0, calls(gateway.ledger("instagram"), "user_not_for_us"));
        Answer seenByAgent = gateway.get("/engagements/" + id, RunningGateway.AGENT);
        assertEquals("REJECTED_BY_REVIEWER", seenByAgent.text("/error/code"));
        // the agent learns the reviewer's name, not the fingerprint of the reviewer's token (that stays in the audit log)
        assertTrue(!seenByAgent.raw().contains("token"), seenByAgent.raw());
    }

    @Test
    void manyReviewersClickingAtOnceExecuteTheActionOnce() throws Exception {
        String id = queueFollow("threads", "user_race_target");
        int clicks = 100;
        ExecutorService pool = Executors.newFixedThreadPool(clicks);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            boolean approve = i % 4 != 0;
            int n = i;
            Callable<Answer> click = () -> {
                go.await();
                return gateway.post("/approvals/" + id + (approve ? "/approve" : "/reject"), RunningGateway.REVIEWER,
                        "{\"reviewer\": \"reviewer-" + n + "\"}");
            };
            answers.add(pool.submit(click));
        }
        go.countDown();
        int decided = 0;
        int conflicts = 0;
        for (Future<Answer> f : answers) {
            Answer a = f.get().assertContract();
            if (a.status() == 409) {
                conflicts++;
            } else {
                decided++;
            }
        }
        pool.shutdown();
        assertEquals(1, decided, "exactly one decision wins");
        assertEquals(clicks - 1, conflicts);
        assertTrue(calls(gateway.ledger("threads"), "user_race_target") <= 1, "at most one execution");
    }

    @Test
    void badDecisionsAreRefused() throws Exception {
        String id = queueFollow("tiktok", "user_dance_crew");
        Answer bad = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{\"reviewer\": 42}").assertContract();
        assertEquals(400, bad.status(), bad.raw());
        assertEquals("/reviewer", bad.text("/error/violations/0/pointer"));
        // the name is kept with the token's fingerprint in the approval row: too long is a 400, not a failed write
        Answer tooLong = gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER,
                "{\"reviewer\": \"" + "r".repeat(101) + "\"}").assertContract();
        assertEquals(400, tooLong.status(), tooLong.raw());
        assertEquals("/reviewer", tooLong.text("/error/violations/0/pointer"));
        Answer longest = gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER,
                "{\"reviewer\": \"" + "r".repeat(100) + "\"}").assertContract();
        assertEquals(200, longest.status(), longest.raw());
        assertEquals("REJECTED_BY_REVIEWER", longest.text("/error/code"));
        Answer unknown = gateway.post("/approvals/eng_00000000000000000000/approve", RunningGateway.REVIEWER, "{}").assertContract();
        assertEquals(404, unknown.status());
        Answer status = gateway.get("/approvals?status=whatever", RunningGateway.REVIEWER).assertContract();
        assertEquals(400, status.status());
    }

    @Test
    void theQueueComesAPageAtATimeAndFiltersByPlatformAndAction() throws Exception {
        java.util.Set<String> mine = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            mine.add(queueFollow("threads", "user_paged_" + i));
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        String previousCreated = null;
        do {
            Answer page = gateway.get("/approvals?status=pending&platform=threads&action=follow&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), RunningGateway.REVIEWER);
            assertEquals(200, page.status(), page.raw());
            assertTrue(page.body().path("items").size() <= 2, page.raw());
            for (JsonNode item : page.body().path("items")) {
                assertEquals("threads", item.at("/request/platform").asText(), page.raw());
                assertEquals("follow", item.at("/request/action").asText(), page.raw());
                String created = item.path("created_at").asText();
                assertTrue(previousCreated == null || created.compareTo(previousCreated) <= 0, "newest first: " + page.raw());
                previousCreated = created;
                seen.add(item.path("engagement_id").asText());
            }
            cursor = page.body().path("next_cursor").isTextual() ? page.body().path("next_cursor").asText() : null;
        } while (cursor != null);
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no item twice: " + seen);
        assertTrue(seen.containsAll(mine), seen + " holds " + mine);

        for (String bad : List.of("limit=0", "limit=501", "cursor=not-a-cursor", "platform=myspace", "action=poke")) {
            Answer refused = gateway.get("/approvals?" + bad, RunningGateway.REVIEWER).assertContract();
            assertEquals(400, refused.status(), bad + " -> " + refused.raw());
            assertEquals("VALIDATION_FAILED", refused.text("/error/code"));
        }
    }

    /** One agent token cannot flood the review queue; another agent's requests still wait for a reviewer. */
    @Test
    void anAgentTokenHasAtMostItsShareOfTheReviewQueue() throws Exception {
        try (RunningGateway own = RunningGateway.start(java.nio.file.Files.createTempDirectory("pending-limit"),
                java.util.Map.of("engagement.approvals.max-pending-per-agent", "2"))) {
            for (int i = 0; i < 2; i++) {
                Answer queued = own.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_flood_" + i + "\"}");
                assertEquals(202, queued.status(), queued.raw());
            }
            Answer third = own.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_flood_2\"}").assertContract();
            assertEquals(429, third.status(), third.raw());
            assertEquals("RATE_LIMIT_EXCEEDED", third.text("/error/code"));
            assertTrue(third.text("/error/message").contains("engagement.approvals.max-pending-per-agent"), third.raw());
            // what does not wait is not limited, and another agent token has its own share
            assertEquals(200, own.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_12345\"}").status());
            Answer other = own.post("/engagements", "second-agent-token-0123456789",
                    "{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_flood_3\"}");
            assertEquals(202, other.status(), other.raw());
            // once a reviewer decides one, the first agent may queue again
            String id = null;
            for (JsonNode item : own.get("/approvals?status=pending", RunningGateway.REVIEWER).body().path("items")) {
                if (item.at("/request/target").asText().equals("user_flood_0")) {
                    id = item.path("engagement_id").asText();
                }
            }
            assertEquals(200, own.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER, "{}").status());
            assertEquals(202, own.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_flood_4\"}").status());
        }
    }

    /** The item of an approval page ({"items": [...], "next_cursor"}) about this engagement. */
    static JsonNode find(JsonNode page, String id) {
        for (JsonNode item : page.path("items")) {
            if (id.equals(item.path("engagement_id").asText())) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    static int calls(JsonNode ledger, String target) {
        int n = 0;
        for (JsonNode entry : ledger) {
            if (entry.path("arguments").toString().contains("\"" + target + "\"")) {
                n++;
            }
        }
        return n;
    }
}
