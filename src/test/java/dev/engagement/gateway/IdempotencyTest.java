package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same request_id is one engagement, executed once, also across a restart on the same data folder. */
class IdempotencyTest {

    private static final String LIKE = """
            {"action": "like", "platform": "twitter", "target": "tweet_31337", "request_id": "agent-7:like-31337"}""";

    @Test
    void aRepeatedRequestIdAnswersTheSameEngagementAndRunsOnce() throws Exception {
        try (RunningGateway gateway = RunningGateway.start()) {
            Answer first = gateway.submit(LIKE).assertContract();
            Answer second = gateway.submit(LIKE).assertContract();
            assertEquals(200, first.status(), first.raw());
            assertEquals(200, second.status(), second.raw());
            assertEquals(first.text("/engagement_id"), second.text("/engagement_id"));
            assertEquals("agent-7:like-31337", second.text("/request_id"));
            assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_31337"));

            Answer reused = gateway.submit(LIKE.replace("tweet_31337", "tweet_31338")).assertContract();
            assertEquals(409, reused.status(), "a request_id reused for another request is a conflict");
            assertEquals("CONFLICT", reused.text("/error/code"));
        }
    }

    @Test
    void concurrentSubmissionsOfOneRequestIdAreOneEngagementExecutedOnce() throws Exception {
        String like = LIKE.replace("tweet_31337", "tweet_31339").replace("like-31337", "like-31339");
        try (RunningGateway gateway = RunningGateway.start()) {
            // more at once than the database pool has connections (10)
            ExecutorService pool = Executors.newFixedThreadPool(24);
            try {
                List<Future<Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    answers.add(pool.submit(() -> gateway.submit(like).assertContract()));
                }
                Set<String> ids = new HashSet<>();
                for (Future<Answer> f : answers) {
                    Answer a = f.get();
                    // the first to be written executes (200); the others answer it as it stands (200, or 202 while executing)
                    assertTrue(a.status() == 200 || a.status() == 202, a.raw());
                    ids.add(a.text("/engagement_id"));
                }
                assertEquals(1, ids.size(), "one engagement: " + ids);
                assertEquals(1, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_31339"), "executed once");
                assertEquals("success", gateway.get("/engagements/" + ids.iterator().next(), RunningGateway.REVIEWER)
                        .assertContract().text("/status"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void everythingSurvivesARestartOnTheSameDataFolder() throws Exception {
        Path data = Files.createTempDirectory("gateway-restart");
        String engagementId;
        String pendingId;
        try (RunningGateway gateway = RunningGateway.start(data, Map.of())) {
            engagementId = gateway.submit(LIKE).assertContract().text("/engagement_id");
            pendingId = gateway.submit("""
                    {"action": "follow", "platform": "twitter", "target": "user_after_restart", "request_id": "f-1"}""")
                    .assertContract().text("/engagement_id");
        }
        try (RunningGateway gateway = RunningGateway.start(data, Map.of())) {
            Answer again = gateway.submit(LIKE).assertContract();
            assertEquals(engagementId, again.text("/engagement_id"));
            assertEquals("success", again.text("/status"));
            // the sandbox started afresh with this gateway: nothing was sent to it again
            assertEquals(0, gateway.ledger("twitter").size());

            Answer state = gateway.get("/engagements/" + pendingId, RunningGateway.REVIEWER).assertContract();
            assertEquals("pending", state.text("/status"));
            Answer approved = gateway.post("/approvals/" + pendingId + "/approve", RunningGateway.REVIEWER,
                    "{\"reviewer\": \"night shift\"}").assertContract();
            assertEquals("success", approved.text("/status"), approved.raw());

            Answer fresh = gateway.submit(LIKE.replace("agent-7:like-31337", "agent-7:like-new")).assertContract();
            assertNotEquals(engagementId, fresh.text("/engagement_id"));
        }
    }
}
