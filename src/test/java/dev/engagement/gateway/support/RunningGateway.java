package dev.engagement.gateway.support;

import dev.engagement.gateway.contract.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;

import dev.engagement.gateway.EngagementGatewayApplication;
import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.Violation;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real gateway, started in this JVM exactly as {@code java -jar} starts it (same Main, same
 * application.properties and routes), on a free port and its own data folder, spoken to over HTTP.
 */
public final class RunningGateway implements AutoCloseable {

    public static final String AGENT = "test-agent-token-0123456789";
    public static final String REVIEWER = "test-reviewer-token-0123456789";
    /**
     * Short platform calls and a quick recovery timer: a call unanswered for 2 s fails at once (no retry, 200 ms for a
     * bulkhead slot), and an engagement idle for 3 s is taken up again within half a second.
     */
    public static final Map<String, String> QUICK_RECOVERY = Map.of(
            "engagement.resilience.call-timeout-ms", "2000",
            "engagement.resilience.retry.max-redeliveries", "0",
            "engagement.resilience.bulkhead-wait-ms", "200",
            "engagement.recovery.idle-after-ms", "3000",
            "engagement.recovery.first-check-delay-ms", "200",
            "engagement.recovery.check-interval-ms", "500");

    private static final ObjectMapper MAPPER = Json.newObjectMapper();
    private static final ContractValidator CONTRACT = new ContractValidator(MAPPER);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main;
    private final int port;
    private final Path dataDir;

    private RunningGateway(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static RunningGateway start() throws Exception {
        return start(Files.createTempDirectory("gateway-data"), Map.of());
    }

    public static RunningGateway start(Path dataDir, Map<String, String> overrides) throws Exception {
        return start(dataDir, overrides, null);
    }

    /**
     * The gateway as an integrator runs it after editing its files: application.properties and routes/
     * (with routes/sql/) from {@code home} instead of the project's own.
     */
    public static RunningGateway startEdited(Path home, Map<String, String> overrides) throws Exception {
        return start(Files.createTempDirectory("gateway-data"), overrides, home);
    }

    private static RunningGateway start(Path dataDir, Map<String, String> overrides, Path home) throws Exception {
        int port = freePort();
        Map<String, String> props = new HashMap<>();
        props.put("camel.server.port", String.valueOf(port));
        props.put("engagement.data-dir", dataDir.toString());
        props.put("engagement.auth.agent-tokens", AGENT + ",second-agent-token-0123456789");
        props.put("engagement.auth.reviewer-tokens", REVIEWER);
        props.putAll(TestDatabase.overridesFor(dataDir));
        if (home != null) {
            props.put("camel.main.routes-include-pattern", "file:" + home.resolve("routes") + "/*.yaml");
            props.put("engagement.queries", "file:" + home.resolve("routes").resolve("sql"));
        }
        props.putAll(overrides);
        Main main = EngagementGatewayApplication.newMain(props);
        if (home != null) {
            main.setPropertyPlaceholderLocations("file:" + home.resolve("application.properties"));
        }
        main.start();
        RunningGateway gateway = new RunningGateway(main, port, dataDir);
        gateway.awaitHealthy();
        return gateway;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return port;
    }

    public Main main() {
        return main;
    }

    private void awaitHealthy() throws Exception {
        // generous: the CI machine is shared, and a start-up on PostgreSQL under load has taken over 30 s
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                Answer health = send("GET", "/observe/health", null, null);
                if (health.status() == 200) {
                    return;
                }
                last = health.status() + " " + health.raw();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway did not become healthy on port " + port + "; last answer: " + last);
    }

    /** One HTTP answer: status, headers, and the body as JSON. */
    public record Answer(int status, Map<String, List<String>> headers, JsonNode body, String raw) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String text(String pointer) {
            return body.at(pointer).asText(null);
        }

        /** Asserts the body is a valid EngagementResult of contract.json and returns this. */
        public Answer assertContract() {
            List<Violation> v = CONTRACT.violations("EngagementResult", body);
            assertEquals(List.of(), v, "answer must validate against EngagementResult: " + raw);
            return this;
        }
    }

    public Answer submit(String json) throws Exception {
        return send("POST", "/engagements", AGENT, json);
    }

    public Answer get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    public Answer post(String path, String token, String json) throws Exception {
        return send("POST", path, token, json);
    }

    public Answer send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body() == null || r.body().isBlank() ? MAPPER.nullNode() : MAPPER.readTree(r.body());
        return new Answer(r.statusCode(), r.headers().map(), body, r.body());
    }

    /** GET /observe/metrics: the Prometheus text (open: no metrics token is configured in tests). */
    public String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The HTTP status of a GET whose answer is not JSON (the console's page). */
    public int statusOf(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The bundled sandbox's ledger of executed actions for a platform. */
    public JsonNode ledger(String platform) throws Exception {
        Answer a = get("/sandbox/actions?platform=" + platform, REVIEWER);
        assertEquals(200, a.status(), a.raw());
        return a.body();
    }

    /** The names of an engagement's events, oldest first (GET /engagements/{id}/events). */
    public List<String> eventNames(String engagementId) throws Exception {
        Answer a = get("/engagements/" + engagementId + "/events", REVIEWER);
        assertEquals(200, a.status(), a.raw());
        List<String> names = new java.util.ArrayList<>();
        a.body().forEach(e -> names.add(e.path("event").asText()));
        return names;
    }

    public static JsonNode json(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    /**
     * A port nothing listens on, chosen below the kernel's ephemeral range. A port from {@code new ServerSocket(0)}
     * is free only until it is closed: the gateway's own sandbox, which binds port 0, could then be handed the
     * same port, and health would be asked of the sandbox (seen once in CI: Tomcat's HTML where JSON was due).
     */
    public static int freePort() throws IOException {
        int below = ephemeralRangeStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(below / 2, below);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(candidate));
                return candidate;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IOException("no free port below " + below);
    }

    /** The first port bind(0) may hand out: Linux's ip_local_port_range, else the IANA dynamic range's start. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(2048, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 49152;
        }
    }
}
