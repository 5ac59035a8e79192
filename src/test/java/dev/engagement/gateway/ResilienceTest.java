package dev.engagement.gateway;

import dev.engagement.gateway.contract.Json;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxServer;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits, retries, circuit breakers and timeouts, shown with injected faults rather than assumed. */
class ResilienceTest {

    private static Map<String, String> fast(String... more) {
        Map<String, String> p = new HashMap<>(Map.of(
                "engagement.resilience.retry.initial-backoff-ms", "50",
                "engagement.resilience.retry.max-backoff-ms", "200"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static String like(String platform, String target) {
        return "{\"action\": \"like\", \"platform\": \"" + platform + "\", \"target\": \"" + target + "\"}";
    }

    @Test
    void aBurstTenTimesOverTheBudgetReachesThePlatformNoMoreThanTheBudgetAllows() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("burst"),
                fast("engagement.platforms.tiktok.rate-limit.calls", "5 per PT1H for comment,like,follow,share",
                        // the budget is what is under test here, not the bulkhead
                        "engagement.platforms.tiktok.resilience.bulkhead", "16", "engagement.http.worker-threads", "80"))) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String target = "video_burst_" + i;
                answers.add(pool.submit(() -> gateway.submit(like("tiktok", target))));
            }
            int ok = 0;
            int limited = 0;
            for (Future<Answer> f : answers) {
                Answer a = f.get().assertContract();
                if (a.status() == 200) {
                    ok++;
                } else {
                    assertEquals(429, a.status(), a.raw());
                    assertEquals("RATE_LIMIT_EXCEEDED", a.text("/error/code"));
                    assertEquals(true, a.body().at("/error/retryable").asBoolean());
                    long retryAfter = a.body().at("/error/retry_after").asLong();
                    assertTrue(retryAfter > 0 && retryAfter <= 3600, a.raw());
                    assertEquals(String.valueOf(retryAfter), a.header("Retry-After"));
                    limited++;
                }
            }
            pool.shutdown();
            assertEquals(5, ok);
            assertEquals(45, limited);
            assertEquals(5, gateway.ledger("tiktok").size(), "the platform saw only what the budget allows");
        }
    }

    @Test
    void aFlakyServerSucceedsAfterRetriesAndEveryAttemptIsAudited() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("flaky"), fast())) {
            gateway.post("/sandbox/faults?platform=threads", RunningGateway.REVIEWER, "{\"fail_next\": 2}");
            Answer a = gateway.submit(like("threads", "thread_flaky")).assertContract();
            assertEquals(200, a.status(), a.raw());
            assertEquals(1, gateway.ledger("threads").size());
            List<String> events = gateway.eventNames(a.text("/engagement_id"));
            assertEquals(2, events.stream().filter(e -> e.contains("attempt_failed")).count(), events.toString());
            // attempts noted before the decision wrote the row are written with it, after "received"
            assertEquals("received", events.get(0), events.toString());
            assertEquals("succeeded", events.get(events.size() - 1));
        }
    }

    @Test
    void retriesAreBoundedAndNeverSpentOnAnInvalidTarget() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("bounded"), fast())) {
            gateway.post("/sandbox/faults?platform=instagram", RunningGateway.REVIEWER, "{\"fail_next\": 10}");
            Answer failed = gateway.submit(like("instagram", "post_always_failing")).assertContract();
            assertEquals(502, failed.status(), failed.raw());
            assertEquals("PLATFORM_ERROR", failed.text("/error/code"));
            assertEquals(true, failed.body().at("/error/retryable").asBoolean());
            List<String> events = gateway.eventNames(failed.text("/engagement_id"));
            assertEquals(3, events.stream().filter(e -> e.contains("attempt_failed")).count(), "3 attempts: " + events);

            gateway.post("/sandbox/faults?platform=instagram", RunningGateway.REVIEWER, "{\"fail_next\": 0}");
            Answer invalid = gateway.submit(like("instagram", "post_deleted_1")).assertContract();
            assertEquals("INVALID_TARGET", invalid.text("/error/code"));
            List<String> invalidEvents = gateway.eventNames(invalid.text("/engagement_id"));
            assertEquals(1, invalidEvents.stream().filter(e -> e.contains("attempt_failed")).count(), "no retry: " + invalidEvents);
            assertEquals(List.of("received", "lookup_attempt_failed", "failed"), invalidEvents,
                    "refused before any decision, the engagement is still on record");
        }
    }

    @Test
    void aDeadServerOpensTheCircuitAndTheGatewayRecoversWhenItComesBack() throws Exception {
        ObjectMapper mapper = Json.newObjectMapper();
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        SandboxServer external = new SandboxServer(new Sandbox(mapper, json, new NetworkntSchemaValidator(mapper), 1000, 60), json);
        external.start("127.0.0.1", 0);
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("dead"), fast(
                "engagement.platforms.twitter.mcp.url", external.baseUrl() + "/mcp/twitter",
                "engagement.resilience.call-timeout-ms", "2000",
                "engagement.resilience.retry.max-redeliveries", "0",
                "engagement.resilience.circuit.minimum-calls", "2",
                "engagement.resilience.circuit.window", "4",
                "engagement.resilience.circuit.open-wait-seconds", "1",
                "engagement.mcp.reconnect-max-backoff-ms", "1000"))) {
            assertEquals(200, gateway.submit(like("twitter", "tweet_before_crash")).status());
            external.crash();

            boolean open = false;
            for (int i = 0; i < 8 && !open; i++) {
                Answer a = gateway.submit(like("twitter", "tweet_during_crash_" + i)).assertContract();
                assertEquals(503, a.status(), a.raw());
                assertEquals("PLATFORM_UNAVAILABLE", a.text("/error/code"));
                assertEquals(true, a.body().at("/error/retryable").asBoolean());
                open = a.text("/error/message").contains("circuit open");
            }
            assertTrue(open, "the circuit opened and calls fail fast");
            assertTrue(metrics(gateway).contains("resilience4j_circuitbreaker_state{name=\"twitter-lookup\",state=\"open\"} 1.0"),
                    "circuit state is a metric");

            external.restart();
            Answer recovered = null;
            long deadline = System.currentTimeMillis() + 20_000;
            // a fresh target per attempt, numbered: a clock's digits can hold "404", which the sandbox answers as not found
            for (int attempt = 1; System.currentTimeMillis() < deadline; attempt++) {
                recovered = gateway.submit(like("twitter", "tweet_after_restart_" + attempt)).assertContract();
                if (recovered.status() == 200) {
                    break;
                }
                Thread.sleep(300);
            }
            assertEquals(200, recovered.status(), "recovered without restarting the gateway: " + recovered.raw());
        } finally {
            external.close();
        }
    }

    @Test
    void aStdioServerWhoseProcessDiedIsStartedAgain() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = javaBin + " -cp " + System.getProperty("java.class.path")
                + " dev.engagement.gateway.EngagementGatewayApplication sandbox --stdio --platform threads";
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("stdio"), fast(
                "engagement.platforms.threads.mcp.command", command,
                // a dead stdio child shows only as a request timeout: keep it short here
                "engagement.resilience.call-timeout-ms", "2500",
                "engagement.resilience.retry.max-redeliveries", "0",
                // the stdio server's process starts with the gateway: the first request waits for it
                "engagement.mcp.connect-wait-ms", "30000",
                "engagement.resilience.circuit.open-wait-seconds", "1",
                "engagement.mcp.reconnect-max-backoff-ms", "1000"))) {
            assertEquals(200, gateway.submit(like("threads", "thread_stdio_1")).status());
            List<ProcessHandle> servers = ProcessHandle.current().descendants().filter(ResilienceTest::isStdioSandbox).toList();
            assertEquals(1, servers.size(), "one stdio sandbox process");
            servers.get(0).destroyForcibly();
            servers.get(0).onExit().get();

            Answer recovered = null;
            long deadline = System.currentTimeMillis() + 60_000;
            // numbered, not timed: a clock's digits can hold "404", which the sandbox answers as not found
            for (int attempt = 1; System.currentTimeMillis() < deadline; attempt++) {
                recovered = gateway.submit(like("threads", "thread_stdio_retry_" + attempt)).assertContract();
                if (recovered.status() == 200) {
                    break;
                }
                assertEquals("PLATFORM_UNAVAILABLE", recovered.text("/error/code"), recovered.raw());
                Thread.sleep(200);
            }
            assertEquals(200, recovered.status(), "a new stdio process serves: " + recovered.raw());
            assertTrue(ProcessHandle.current().descendants().anyMatch(p -> isStdioSandbox(p) && p.isAlive()));
        }
    }

    /** Reads /proc: ProcessHandle.Info leaves out command lines as long as this one's class path. */
    private static boolean isStdioSandbox(ProcessHandle p) {
        try {
            return Files.readString(java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "cmdline")).contains("--stdio");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aHungServerIsCutOffByTheTimeout() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("hung"), fast(
                "engagement.resilience.call-timeout-ms", "800",
                "engagement.resilience.retry.max-redeliveries", "0"))) {
            gateway.post("/sandbox/faults?platform=instagram", RunningGateway.REVIEWER, "{\"latency_ms\": 6000}");
            long start = System.nanoTime();
            Answer a = gateway.submit(like("instagram", "post_hung")).assertContract();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, a.status(), a.raw());
            assertEquals("PLATFORM_UNAVAILABLE", a.text("/error/code"));
            assertTrue(millis < 5000, "cut off after the timeout, not after the server's 6 s: " + millis + " ms");
        }
    }

    @Test
    void aPlatform429IsHonouredUntilItsResetTime() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("p429"), fast())) {
            gateway.post("/sandbox/faults?platform=twitter", RunningGateway.REVIEWER, "{\"rate_limited_for_seconds\": 120}");
            Answer first = gateway.submit(like("twitter", "tweet_429_a")).assertContract();
            assertEquals(429, first.status(), first.raw());
            assertTrue(first.body().at("/error/retry_after").asLong() >= 100, first.raw());

            gateway.post("/sandbox/faults?platform=twitter", RunningGateway.REVIEWER, "{\"rate_limited_for_seconds\": 0}");
            Answer second = gateway.submit(like("twitter", "tweet_429_b")).assertContract();
            assertEquals(429, second.status(), "the budget is held until the platform's reset: " + second.raw());
            assertTrue(second.body().at("/error/retry_after").asLong() >= 100, second.raw());
            assertEquals(0, gateway.ledger("twitter").size());
            // other budgets of the platform are not held
            assertEquals(202, gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_x\"}").status());
        }
    }

    @Test
    void limiterPermitsAndRetriesAreMetrics() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("metrics"), fast())) {
            gateway.submit(like("twitter", "tweet_metrics"));
            String metrics = metrics(gateway);
            assertTrue(metrics.contains("resilience4j_ratelimiter_available_permissions{name=\"twitter.likes\"} 49.0"), metrics);
            assertTrue(metrics.contains("resilience4j_circuitbreaker_state{name=\"twitter-execute\",state=\"closed\"} 1.0"), metrics);
            assertTrue(metrics.contains("resilience4j_bulkhead_available_concurrent_calls{name=\"twitter-execute\"} 4.0"), metrics);
            assertTrue(metrics.contains("resilience4j_timelimiter_calls_total{kind=\"successful\",name=\"twitter-execute\"} 1.0"), metrics);
        }
    }

    private static String metrics(RunningGateway gateway) throws Exception {
        return gateway.metrics();
    }
}
