package dev.engagement.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.sandbox.SandboxPlatform;
import dev.engagement.gateway.support.GatewayProcess;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.StandaloneSandbox;
import dev.engagement.gateway.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engagement a crash leaves half-way on the HTTP path does not stay there: the gateway is killed
 * (SIGKILL) after the platform acted and before the gateway recorded it, and started again. Where the
 * platform's server honours idempotency keys the execution runs again and the platform acts once; where
 * it does not, the outcome is unknown until a reviewer settles it. The sandbox runs outside the gateway,
 * so its ledger outlives the crash.
 */
class CrashRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static StandaloneSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = new StandaloneSandbox();
    }

    /** A test that held the platform's answer back lets it go, whatever happened. */
    @AfterEach
    void answerAtOnce() {
        sandbox.platform("twitter").setAnswerDelayMs(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void anExecutionAKill9InterruptedRunsAgainUnderItsKeyAndThePlatformActsOnce() throws Exception {
        Path data = Files.createTempDirectory("gateway-recovery");
        String request = like("recovery-honoured", "tweet_recovery_honoured");
        killWhileThePlatformHoldsItsAnswer(data, request, Map.of(), "tweet_recovery_honoured");

        try (RunningGateway second = RunningGateway.start(data, restarted(Map.of()))) {
            // the agent asks again with the same request_id: executing until the timer takes it up, then success
            RunningGateway.Answer answer = awaitAnswer(second, request, "success");
            assertTrue(second.eventNames(answer.text("/engagement_id")).contains("execution_resumed"),
                    second.eventNames(answer.text("/engagement_id")).toString());
        }
        assertEquals(1, actionsOn("tweet_recovery_honoured"), "the platform acted once: " + sandbox.ledger("twitter"));
    }

    @Test
    void whereTheServerIgnoresKeysTheOutcomeIsUnknownUntilAReviewerSettlesIt() throws Exception {
        Path data = Files.createTempDirectory("gateway-recovery");
        Map<String, String> ignored = Map.of("engagement.platforms.twitter.mcp.idempotency-keys", "ignored");
        String request = like("recovery-ignored", "tweet_recovery_ignored");
        killWhileThePlatformHoldsItsAnswer(data, request, ignored, "tweet_recovery_ignored");

        try (RunningGateway second = RunningGateway.start(data, restarted(ignored))) {
            RunningGateway.Answer unknown = awaitAnswer(second, request, "pending");
            String id = unknown.text("/engagement_id");
            assertEquals("outcome_unknown", second.get("/engagements/" + id, RunningGateway.REVIEWER).text("/platform_response/state"));
            RunningGateway.Answer queue = second.get("/approvals?status=outcome_unknown", RunningGateway.REVIEWER);
            assertEquals(id, queue.text("/items/0/engagement_id"), queue.raw());
            assertEquals(1, actionsOn("tweet_recovery_ignored"), "not asked again: " + sandbox.ledger("twitter"));

            RunningGateway.Answer noOutcome = second.post("/approvals/" + id + "/settle", RunningGateway.REVIEWER, "{\"reviewer\": \"ann\"}");
            assertEquals(400, noOutcome.status(), noOutcome.raw());
            assertEquals("/outcome", noOutcome.text("/error/violations/0/pointer"), noOutcome.raw());

            RunningGateway.Answer settled = second.post("/approvals/" + id + "/settle", RunningGateway.REVIEWER,
                    "{\"reviewer\": \"ann\", \"outcome\": \"succeeded\", \"note\": \"the like shows on X\"}");
            assertEquals(200, settled.status(), settled.raw());
            assertEquals("success", settled.text("/status"), settled.raw());
            RunningGateway.Answer again = second.post("/approvals/" + id + "/settle", RunningGateway.REVIEWER,
                    "{\"reviewer\": \"bob\", \"outcome\": \"failed\"}");
            assertEquals(409, again.status(), again.raw());
            assertEquals("success", second.submit(request).text("/status"));
            assertTrue(second.eventNames(id).contains("settled"), second.eventNames(id).toString());
        }
        assertEquals(1, actionsOn("tweet_recovery_ignored"));
    }

    @Test
    void aWriteThePlatformDidNotAnswerInTimeIsAskedAgainUnderItsKeyNotFailed() throws Exception {
        String request = like("unanswered-honoured", "tweet_unanswered_honoured");
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gateway-unanswered"), restarted(Map.of()))) {
            RunningGateway.Answer first = submitUnanswered(gateway, request, false);
            assertEquals("executing", first.text("/platform_response/state"), first.raw());
            assertEquals(1, actionsOn("tweet_unanswered_honoured"));

            // the timer asks again under the same key: the platform answers what it did, without acting again
            RunningGateway.Answer done = awaitAnswer(gateway, request, "success");
            String id = done.text("/engagement_id");
            List<String> events = gateway.eventNames(id);
            assertTrue(events.contains("execution_unanswered") && events.contains("execution_resumed"), events.toString());
        }
        assertEquals(1, actionsOn("tweet_unanswered_honoured"), "the platform acted once: " + sandbox.ledger("twitter"));
    }

    @Test
    void aWriteStillUnansweredWhenAskedAgainWaitsForAReviewerRatherThanBeingAskedOnAndOn() throws Exception {
        String request = like("unanswered-twice", "tweet_unanswered_twice");
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gateway-unanswered"), restarted(Map.of()))) {
            RunningGateway.Answer first = submitUnanswered(gateway, request, true);
            assertEquals("executing", first.text("/platform_response/state"), first.raw());
            // the timer's second try under the same key is not answered in time either
            RunningGateway.Answer unknown = awaitAnswer(gateway, request, "pending");
            assertEquals("outcome_unknown", unknown.text("/platform_response/state"), unknown.raw());
            assertTrue(unknown.text("/platform_response/message").contains("second try"), unknown.raw());
        }
        assertEquals(1, actionsOn("tweet_unanswered_twice"), "acted once, answered the second time from its key: " + sandbox.ledger("twitter"));
    }

    @Test
    void aWriteUnansweredOnAServerThatIgnoresKeysWaitsForAReviewerNotForARetry() throws Exception {
        String request = like("unanswered-ignored", "tweet_unanswered_ignored");
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gateway-unanswered"),
                restarted(Map.of("engagement.platforms.twitter.mcp.idempotency-keys", "ignored")))) {
            RunningGateway.Answer first = submitUnanswered(gateway, request, false);
            assertEquals("outcome_unknown", first.text("/platform_response/state"), first.raw());
            assertTrue(first.text("/platform_response/message").contains("did not answer"), first.raw());
            String id = first.text("/engagement_id");
            RunningGateway.Answer queue = gateway.get("/approvals?status=outcome_unknown", RunningGateway.REVIEWER);
            assertEquals(id, queue.text("/items/0/engagement_id"), queue.raw());
            // the same request again is answered, not executed again; nor does the timer execute it
            assertEquals("outcome_unknown", gateway.submit(request).text("/platform_response/state"));
            Thread.sleep(4_000);
            assertEquals("outcome_unknown", gateway.get("/engagements/" + id, RunningGateway.REVIEWER).text("/platform_response/state"));
        }
        assertEquals(1, actionsOn("tweet_unanswered_ignored"), "asked once: " + sandbox.ledger("twitter"));
    }

    @Test
    void anApprovalACrashLeftBeforeItsExecutionIsExecuted() throws Exception {
        Path data = Files.createTempDirectory("gateway-recovery");
        String follow = "{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_recovery_approved\","
                + " \"request_id\": \"recovery-approved\"}";
        String id;
        try (RunningGateway first = RunningGateway.start(data, sandbox.gatewayOverrides())) {
            RunningGateway.Answer pending = first.submit(follow);
            assertEquals("pending", pending.text("/status"), pending.raw());
            id = pending.text("/engagement_id");
        }
        // what a crash right after the reviewer's approval leaves: approved, never started, a while ago
        try (Connection c = TestDatabase.connect(data);
             PreparedStatement ps = c.prepareStatement("UPDATE engagements SET status = 'approved', decided_by = 'ann', updated_at = ?"
                     + " WHERE engagement_id = ?")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10));
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        try (RunningGateway second = RunningGateway.start(data, restarted(Map.of()))) {
            awaitAnswer(second, follow, "success");
        }
        assertEquals(1, sandbox.ledger("twitter").stream().filter(e -> e.arguments().containsValue("user_recovery_approved")).count());
    }

    @Test
    void anIdleTimeShorterThanAnExecutionCanTakeIsRefusedAtStart() throws Exception {
        Map<String, String> props = new HashMap<>(sandbox.gatewayOverrides());
        props.put("engagement.recovery.idle-after-ms", "5000");
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> RunningGateway.start(Files.createTempDirectory("gateway-recovery"), props).close());
        Throwable t = refused;
        while (t.getCause() != null && !String.valueOf(t.getMessage()).contains("idle-after-ms")) {
            t = t.getCause();
        }
        assertTrue(String.valueOf(t.getMessage()).contains("engagement.recovery.idle-after-ms"), String.valueOf(t.getMessage()));
    }

    /**
     * Submits the like to a gateway in a process of its own while the platform holds back its answer, waits
     * until the platform has acted, and kills the gateway: the engagement is left executing.
     */
    private static void killWhileThePlatformHoldsItsAnswer(Path data, String request, Map<String, String> extra, String target)
            throws Exception {
        Map<String, String> props = new HashMap<>(sandbox.gatewayOverrides());
        props.putAll(extra);
        // the held answer must not time out before the kill
        props.put("engagement.resilience.call-timeout-ms", "60000");
        SandboxPlatform twitter = sandbox.platform("twitter");
        twitter.setAnswerDelayMs(120_000);
        try (GatewayProcess first = GatewayProcess.start(data, props, Path.of("target", "crash-recovery-gateway.log"))) {
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port() + "/engagements"))
                    .header("Authorization", "Bearer " + RunningGateway.AGENT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.discarding());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (actionsOn(target) == 0) {
                assertTrue(System.nanoTime() < deadline, "the platform never executed the like");
                Thread.sleep(50);
            }
            first.kill();
        } finally {
            twitter.setAnswerDelayMs(0);
        }
    }

    /**
     * Submits the request while the platform acts, then holds its answer past the 2-s call timeout (and goes on
     * holding it when {@code stillHeld}): answered 202 pending, not failed.
     */
    private static RunningGateway.Answer submitUnanswered(RunningGateway gateway, String request, boolean stillHeld) throws Exception {
        SandboxPlatform twitter = sandbox.platform("twitter");
        twitter.setAnswerDelayMs(4_000);
        RunningGateway.Answer first = gateway.submit(request).assertContract();
        if (!stillHeld) {
            twitter.setAnswerDelayMs(0);
        }
        assertEquals(202, first.status(), first.raw());
        assertEquals("pending", first.text("/status"), first.raw());
        return first;
    }

    /** The restarted gateway: short calls, so an engagement idle for 3 s counts as left by the crash. */
    private static Map<String, String> restarted(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(sandbox.gatewayOverrides());
        props.putAll(extra);
        props.putAll(RunningGateway.QUICK_RECOVERY);
        return props;
    }

    /** Submits the request again (same request_id) until its answer has this status. */
    private static RunningGateway.Answer awaitAnswer(RunningGateway gateway, String request, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RunningGateway.Answer answer;
        do {
            answer = gateway.submit(request);
            if (status.equals(answer.text("/status")) && !"executing".equals(answer.text("/platform_response/state"))) {
                return answer;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("never " + status + ": " + answer.raw());
    }

    private static String like(String requestId, String target) {
        return "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"" + target + "\", \"request_id\": \"" + requestId + "\"}";
    }

    private static long actionsOn(String target) {
        List<SandboxPlatform.LedgerEntry> ledger = sandbox.ledger("twitter");
        return ledger.stream().filter(e -> e.arguments().containsValue(target)).count();
    }
}
