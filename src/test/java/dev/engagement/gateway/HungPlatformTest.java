package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SilentServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One platform's server hangs (accepts connections, never answers) or crawls: only that platform's
 * requests are affected. Health, reviewers, the console and the other platforms answer as usual,
 * every request to the hung platform gets a contract answer within its call timeout, and once its
 * circuit is open the next ones fail at once.
 */
class HungPlatformTest {

    private static final String REVIEWER = RunningGateway.REVIEWER;

    private static String like(String platform, String target) {
        return "{\"action\": \"like\", \"platform\": \"" + platform + "\", \"target\": \"" + target + "\"}";
    }

    /** An answer and how long it took, in ms. */
    private record Timed(Answer answer, long millis) {
    }

    private static Timed timed(java.util.concurrent.Callable<Answer> call) throws Exception {
        long start = System.nanoTime();
        Answer a = call.call();
        return new Timed(a, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void aHungTwitterServerAffectsOnlyTwitterRequests() throws Exception {
        try (SilentServer hung = new SilentServer();
             RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("hung"), Map.of(
                     "engagement.platforms.twitter.mcp.url", hung.url()))) {
            // the shipped call timeout is the bound every twitter request is answered within
            long callTimeout = 10_000;
            ExecutorService pool = Executors.newFixedThreadPool(40);
            List<Future<Timed>> twitter = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String target = "tweet_hung_" + i;
                twitter.add(pool.submit(() -> timed(() -> gateway.submit(like("twitter", target)))));
            }
            Thread.sleep(300); // the 40 are in flight

            Timed health = timed(() -> gateway.get("/observe/health", null));
            Timed approvals = timed(() -> gateway.get("/approvals", REVIEWER));
            long consoleStart = System.nanoTime();
            int consoleStatus = gateway.statusOf("/console");
            long consoleMillis = (System.nanoTime() - consoleStart) / 1_000_000;
            Timed instagram = timed(() -> gateway.submit(like("instagram", "post_67890")));
            assertEquals(200, health.answer().status(), health.answer().raw());
            assertEquals(200, approvals.answer().status(), approvals.answer().raw());
            assertEquals(200, consoleStatus);
            assertTrue(consoleMillis < 1000, "the console answers while twitter hangs: " + consoleMillis + " ms");
            assertEquals(200, instagram.answer().assertContract().status(), instagram.answer().raw());
            for (Timed t : List.of(health, approvals, instagram)) {
                assertTrue(t.millis() < 1000, "answered as fast as usual while twitter hangs: " + t.millis() + " ms");
            }

            for (Future<Timed> f : twitter) {
                Timed t = f.get();
                Answer a = t.answer().assertContract();
                assertEquals(503, a.status(), a.raw());
                assertEquals("PLATFORM_UNAVAILABLE", a.text("/error/code"));
                assertEquals(true, a.body().at("/error/retryable").asBoolean(), a.raw());
                assertEquals("twitter", a.text("/error/platform"));
                assertTrue(t.millis() < callTimeout, "answered within the call timeout: " + t.millis() + " ms");
            }
            pool.shutdown();

            // the circuit is open now: the next twitter requests fail at once
            for (int i = 0; i < 5; i++) {
                Timed late = timed(() -> gateway.submit(like("twitter", "tweet_after_" + System.nanoTime() % 1000)));
                assertEquals(503, late.answer().status(), late.answer().raw());
                assertTrue(late.answer().text("/error/message").contains("circuit open"), late.answer().raw());
                assertTrue(late.millis() < 1000, "fails fast once the circuit is open: " + late.millis() + " ms");
            }
            assertTrue(hung.connections() > 0, "the gateway did reach the hung server");
            String metrics = gateway.metrics();
            assertTrue(metrics.contains("resilience4j_circuitbreaker_state{name=\"twitter-lookup\",state=\"open\"} 1.0"), metrics);
        }
    }

    @Test
    void aBurstBeyondTheBulkheadIsAnsweredBusyAfterAShortWait() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("busy"), Map.of(
                "engagement.platforms.tiktok.resilience.bulkhead", "2",
                "engagement.platforms.tiktok.resilience.bulkhead-wait-ms", "100"))) {
            // a slow server: two calls hold the slots; the others wait 100 ms for one, then are told it is busy
            gateway.post("/sandbox/faults?platform=tiktok", REVIEWER, "{\"latency_ms\": 1500}");
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<Timed>> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String target = "video_burst_" + i;
                burst.add(pool.submit(() -> timed(() -> gateway.submit(like("tiktok", target)))));
            }
            int busy = 0;
            for (Future<Timed> f : burst) {
                Timed t = f.get();
                Answer a = t.answer().assertContract();
                if (a.status() == 200) {
                    continue; // one of the two that had a slot
                }
                assertEquals(503, a.status(), a.raw());
                if (a.text("/error/message").contains("bulkhead full")) {
                    assertEquals(1, a.body().at("/error/retry_after").asInt(), a.raw());
                    assertTrue(t.millis() < 1000, "busy is answered after the bulkhead's wait, not the server's: " + t.millis() + " ms");
                    busy++;
                }
            }
            pool.shutdown();
            assertTrue(busy >= 8, busy + " of 12 answered busy");
        }
    }

    @Test
    void aServerThatAnswersButTooSlowlyHitsTheCallTimeoutAndItsSlowCallsOpenTheCircuit() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("slow"), Map.of(
                "engagement.platforms.threads.resilience.call-timeout-ms", "3000",
                "engagement.platforms.threads.resilience.circuit.slow-call-seconds", "1",
                "engagement.platforms.threads.resilience.circuit.minimum-calls", "3",
                "engagement.platforms.threads.resilience.circuit.window", "3"))) {
            // slow but within the timeout: the calls succeed, and each one counts as slow
            gateway.post("/sandbox/faults?platform=threads", REVIEWER, "{\"latency_ms\": 1500}");
            for (int i = 0; i < 3; i++) {
                Answer a = gateway.submit(like("threads", "thread_slow_" + i)).assertContract();
                assertEquals(200, a.status(), a.raw());
            }
            Timed open = timed(() -> gateway.submit(like("threads", "thread_slow_after")));
            assertEquals(503, open.answer().assertContract().status(), open.answer().raw());
            assertTrue(open.answer().text("/error/message").contains("circuit open"), open.answer().raw());
            assertTrue(open.millis() < 1000, open.millis() + " ms");

            // slower than the call timeout: cut off at the timeout, not when the server answers
            try (RunningGateway other = RunningGateway.start(Files.createTempDirectory("slower"), Map.of(
                    "engagement.platforms.tiktok.resilience.call-timeout-ms", "2000"))) {
                other.post("/sandbox/faults?platform=tiktok", REVIEWER, "{\"latency_ms\": 8000}");
                Timed cut = timed(() -> other.submit(like("tiktok", "video_slow")));
                assertEquals(503, cut.answer().assertContract().status(), cut.answer().raw());
                assertTrue(cut.millis() < 3500, "cut off after the 2-s call timeout, not the server's 8 s: " + cut.millis() + " ms");
            }
        }
    }
}
