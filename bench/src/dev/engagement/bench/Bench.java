package dev.engagement.bench;

import dev.engagement.gateway.contract.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import dev.engagement.gateway.mcp.McpConnections;
import dev.engagement.gateway.mcp.McpEndpoint;
import dev.engagement.gateway.mcp.NetworkntSchemaValidator;
import dev.engagement.gateway.sandbox.Sandbox;
import dev.engagement.gateway.sandbox.SandboxServer;

/**
 * The benchmark, in one run on one machine: (1) the ceilings of the parts the gateway is made of —
 * a bare Camel platform-http echo route, a bare MCP tool-call loop against the sandbox over
 * Streamable HTTP, a bare insert+update loop on the database — then (2) the gateway itself
 * (auto-approved path, pending path, batches) at fixed concurrency levels, and the auto path at half
 * its peak rate for the added latency; (3) a table, JSON and a PNG chart. See bench/README.md.
 */
public final class Bench {

    private static final String AGENT = "dev-agent-token";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final boolean quick;
    private final boolean profile;
    private final Path out;
    private final int[] levels;
    private final double warmup;
    private final double measure;
    private final int batchSize;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Load.Result> results = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    private Bench(boolean quick, boolean profile, Path out) {
        this.quick = quick;
        this.profile = profile;
        this.out = out;
        this.levels = quick ? new int[] {1, 4} : new int[] {1, 8, 32};
        this.warmup = quick ? 0.5 : 2;
        this.measure = quick ? 1.0 : 5;
        this.batchSize = quick ? 10 : 50;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("echo")) {
            EchoServer.main(new String[] {args[1]});
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        boolean profile = List.of(args).contains("--profile");
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        new Bench(quick, profile, out).run();
        // the MCP client's and the HTTP client's pools keep non-daemon threads: end the run here
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("Benchmark (%s mode): concurrency %s, warm-up %.1f s, measure %.1f s per point, %d cores%n",
                quick ? "quick" : "full", levelsText(), warmup, measure, Runtime.getRuntime().availableProcessors());
        facts.put("mode", quick ? "quick" : "full");
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("java", System.getProperty("java.version"));
        echoCeiling();
        try {
            mcpCeiling();
            databaseCeiling();
            gateway();
            // the platform's share of the latency at the same load: the bare MCP loop at the gateway's half-peak rate
            double half = (double) facts.get("half_peak_rate");
            Load.watchedPid = ProcessHandle.current().pid();
            Load.Result bare = record(Load.run("baseline: MCP tool call at the same rate", (int) facts.get("half_peak_concurrency"),
                    warmup, measure, half, 1, mcpCall));
            Load.watchedPid = -1;
            facts.put("bare_mcp_p99_ms_at_half_peak", round(bare.p99Ms()));
        } finally {
            closeMcpCeiling();
        }
        report();
    }

    /** One round of warm-up load. */
    private interface Round {
        void run(double seconds) throws Exception;
    }

    /**
     * Warms a process up (not recorded): rounds of load until its JIT compiler threads use under 10% of a
     * core (full mode, at most maxS), or one short round (quick mode). A JVM seconds old measures mostly
     * its JIT compiler, and each part gets the same treatment, so ceilings and gateway are compared warm.
     */
    private double warmUntilSettled(String what, long pid, double maxS, Round round) throws Exception {
        double roundS = quick ? 3 : 10;
        double warmedFor = 0;
        double jitShare;
        do {
            double jitBefore = Load.jitCpuMillis(pid);
            long t = System.nanoTime();
            round.run(roundS);
            double seconds = (System.nanoTime() - t) / 1e9;
            warmedFor += seconds;
            jitShare = (Load.jitCpuMillis(pid) - jitBefore) / 1000 / seconds;
            System.out.printf("%s: warmed up %.0f s; its JIT compiler used %.0f%% of a core in the last round%n",
                    what, warmedFor, 100 * jitShare);
        } while (!quick && jitShare > 0.10 && warmedFor < maxS);
        facts.put("warmup_s: " + what, round(warmedFor));
        return warmedFor;
    }

    private String levelsText() {
        return java.util.Arrays.toString(levels);
    }

    // ------------------------------------------------------------------ ceilings

    private void echoCeiling() throws Exception {
        int port = freePort();
        Process p = javaProcess(List.of(), List.of("-cp", classpath(), Bench.class.getName(), "echo", String.valueOf(port)),
                out.resolve("echo.log"));
        try {
            awaitUp(p, "http://127.0.0.1:" + port + "/echo", "POST");
            Load.watchedPid = p.pid();
            String body = likeBody(0);
            Load.Op echo = Load.post(http, "http://127.0.0.1:" + port + "/echo", null, s -> body);
            warmUntilSettled("ceiling: echo", p.pid(), 60, seconds -> Load.run("warm-up", 8, 0, seconds, 0, 1, echo));
            for (int c : levels) {
                record(Load.run("ceiling: camel platform-http echo", c, warmup, measure, 0, 1, echo));
            }
        } finally {
            Load.watchedPid = -1;
            stop(p);
        }
    }

    // the bare MCP loop's server and client stay up for the whole run: the added latency is measured
    // against the same loop at the gateway's own rate, after the gateway
    private McpConnections mcpClient;
    private Load.Op mcpCall;

    private void mcpCeiling() throws Exception {
        ObjectMapper mapper = Json.newObjectMapper();
        McpJsonMapper mcpJson = new JacksonMcpJsonMapper(mapper);
        NetworkntSchemaValidator validator = new NetworkntSchemaValidator(mapper);
        // same sandbox, same MCP client and transport as the gateway; its own rate limit out of the way
        SandboxServer mcpServer = new SandboxServer(new Sandbox(mapper, mcpJson, validator, 1_000_000_000, 60), mcpJson);
        mcpServer.start("127.0.0.1", 0);
        mcpClient = new McpConnections(List.of("twitter"), p -> McpEndpoint.http(p, mcpServer.baseUrl() + "/mcp/" + p),
                mcpJson, validator, new McpConnections.Timing(Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(20),
                        Duration.ofMinutes(1), Duration.ofSeconds(10)));
        mcpClient.start();
        mcpClient.listedTools("twitter"); // connect before measuring (waits for the first connection)
        mcpCall = seq -> {
            McpSchema.CallToolResult r = mcpClient.callTool("twitter",
                    new McpSchema.CallToolRequest("like_tweet", Map.of("tweet_id", "tweet_bench_" + (500 + seq % 500))),
                    Duration.ofSeconds(10));
            return !Boolean.TRUE.equals(r.isError());
        };
        long self = ProcessHandle.current().pid(); // client and server both live in this process
        warmUntilSettled("ceiling: MCP", self, 120, seconds -> Load.run("warm-up", 8, 0, seconds, 0, 1, mcpCall));
        Load.watchedPid = self;
        try {
            for (int c : levels) {
                record(Load.run("ceiling: MCP tool call (like_tweet)", c, warmup, measure, 0, 1, mcpCall));
            }
        } finally {
            Load.watchedPid = -1;
        }
    }

    private void closeMcpCeiling() {
        if (mcpClient != null) {
            mcpClient.close();
        }
        // the server goes with this process (main exits after the report): Tomcat stopped under the MCP SDK's
        // live Reactor threads only prints a page of thread-leak warnings into the report
    }

    private void databaseCeiling() throws Exception {
        Path dir = Files.createTempDirectory("bench-db");
        HikariConfig config = new HikariConfig();
        String url = System.getProperty("engagement.datasource.url", "");
        // the gateway's own durability: WRITE_DELAY=0 writes each commit before it returns (H2's default delays it 500 ms)
        config.setJdbcUrl(url.isBlank() ? "jdbc:h2:file:" + dir.resolve("bench") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" : url);
        config.setUsername(System.getProperty("engagement.datasource.user", "sa"));
        config.setPassword(System.getProperty("engagement.datasource.password", ""));
        config.setMaximumPoolSize(10);
        facts.put("database", url.isBlank() ? "H2 (embedded file, the default)" : url);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_rows");
                s.execute("CREATE TABLE bench_rows (id VARCHAR(64) PRIMARY KEY, status VARCHAR(32), body VARCHAR(4000), "
                        + "created_at TIMESTAMP WITH TIME ZONE, updated_at TIMESTAMP WITH TIME ZONE)");
            }
            String body = likeBody(0);
            Load.watchedPid = ProcessHandle.current().pid();
            for (int c : levels) {
                int level = c;
                record(Load.run("ceiling: SQL insert+update", c, warmup, measure, 0, 1, seq -> {
                    String id = "row_" + level + "_" + seq;
                    try (Connection conn = ds.getConnection()) {
                        try (PreparedStatement ps = conn.prepareStatement(
                                "INSERT INTO bench_rows (id, status, body, created_at, updated_at) VALUES (?, 'received', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                            ps.setString(1, id);
                            ps.setString(2, body);
                            ps.executeUpdate();
                        }
                        try (PreparedStatement ps = conn.prepareStatement(
                                "UPDATE bench_rows SET status = 'succeeded', updated_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'received'")) {
                            ps.setString(1, id);
                            return ps.executeUpdate() == 1;
                        }
                    }
                }));
            }
            Load.watchedPid = -1;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE bench_rows");
            }
        }
    }

    // ------------------------------------------------------------------ the gateway

    /**
     * Start to healthy as the README's command runs it: the gateway with the bundled sandbox platforms in
     * its process, on a fresh data folder. Stopped again: what is measured under load is the gateway alone.
     */
    private void startAsAUserDoes() throws Exception {
        int port = freePort();
        List<String> props = List.of("-Dcamel.server.port=" + port, "-Dengagement.data-dir=" + Files.createTempDirectory("bench-start"));
        long t0 = System.nanoTime();
        Process gw = gatewayProcess(props, List.of(), out.resolve("gateway-start.log"));
        try {
            awaitUp(gw, "http://127.0.0.1:" + port + "/observe/health", "GET");
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            facts.put("start_to_healthy_s", round(startSeconds));
            System.out.printf("gateway with the bundled sandbox (the README's command): start to healthy %.2f s%n", startSeconds);
        } finally {
            stop(gw);
        }
    }

    /**
     * The platforms' MCP servers for the measured gateway: the sandbox in its own process, as a platform's
     * server is, so that the gateway's CPU and memory are its own.
     */
    private Process sandboxProcess(int port) throws Exception {
        // engagement.sandbox.* given to the bench (e.g. latency-ms) is the sandbox's now; its rate limit stays raised
        List<String> props = forwardedProperties(key -> key.startsWith("engagement.sandbox."));
        props.add("-Dengagement.sandbox.rate-limit=1000000000");
        Process sandbox = gatewayProcess(props, List.of("sandbox", "--port", String.valueOf(port)), out.resolve("sandbox.log"));
        try {
            awaitUp(sandbox, "http://127.0.0.1:" + port + "/actions", "GET");
        } catch (Exception e) {
            stop(sandbox);
            throw e;
        }
        return sandbox;
    }

    private void gateway() throws Exception {
        startAsAUserDoes();
        int port = freePort();
        int sandboxPort = freePort();
        Path data = Files.createTempDirectory("bench-gateway");
        List<String> props = new ArrayList<>(List.of(
                "-Dcamel.server.port=" + port,
                "-Dengagement.data-dir=" + data,
                // the benchmark measures the gateway, not the platforms' budgets: raise them (twitter likes are
                // 50 per 15 min by default) and the sandbox's own rate limit, for this run only
                "-Dengagement.platforms.twitter.rate-limit.likes=1000000000 per PT1S for like",
                "-Dengagement.platforms.twitter.rate-limit.follows=1000000000 per PT1S for follow",
                "-Dengagement.targets.read-limit=1000000000 per PT1S",
                "-Dengagement.sandbox.enabled=false"));
        for (String platform : List.of("twitter", "instagram", "tiktok", "threads")) {
            props.add("-Dengagement.platforms." + platform + ".mcp.url=http://127.0.0.1:" + sandboxPort + "/mcp/" + platform);
        }
        // any engagement.* property given to the bench (BENCH_OPTS) goes to the gateway too: the database,
        // or a setting to compare (e.g. -Dengagement.datasource.group-commit-max=1); not the bench's own log format
        props.addAll(forwardedProperties(key -> key.startsWith("engagement.") && !key.startsWith("engagement.log.")));
        if (profile) {
            props.add("-XX:StartFlightRecording=filename=" + out.resolve("gateway.jfr") + ",settings=profile,dumponexit=true");
        }
        facts.put("gateway_overrides", props);
        Process sandbox = sandboxProcess(sandboxPort);
        long t0 = System.nanoTime();
        Process gw = null;
        String base = "http://127.0.0.1:" + port;
        try {
            gw = gatewayProcess(props, List.of(), out.resolve("gateway.log"));
            awaitUp(gw, base + "/observe/health", "GET");
            Load.watchedPid = gw.pid();
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            facts.put("start_to_healthy_s_gateway_alone", round(startSeconds));
            System.out.printf("gateway alone (the sandbox in its own process): start to healthy %.2f s%n", startSeconds);

            String single = base + "/engagements";
            // The gateway's code path is long (~18,000 methods compiled): its JIT takes minutes to settle
            warmUntilSettled("gateway", gw.pid(), 240, seconds -> {
                Load.run("warm-up: auto path", 8, 0, seconds * 0.6, 0, 1, Load.post(http, single, AGENT, Bench::likeBody));
                Load.run("warm-up: batches", 2, 0, seconds * 0.2, 0, batchSize,
                        Load.post(http, base + "/engagements/batch", AGENT, seq -> batchBody(seq, batchSize)));
                Load.run("warm-up: pending path", 8, 0, seconds * 0.2, 0, 1, Load.post(http, single, AGENT,
                        seq -> "{\"action\":\"follow\",\"platform\":\"twitter\",\"target\":\"user_warm_" + seq + "\"}"));
            });
            Load.Result peak = null;
            for (int c : levels) {
                Load.Result r = record(Load.run("gateway: auto path (like)", c, warmup, measure, 0, 1,
                        Load.post(http, single, AGENT, Bench::likeBody)));
                if (peak == null || r.throughput() > peak.throughput()) {
                    peak = r;
                }
            }
            for (int c : new int[] {1, levels[1]}) {
                record(Load.run("gateway: batch of " + batchSize + " (like)", c, warmup, measure, 0, batchSize,
                        Load.post(http, base + "/engagements/batch", AGENT, seq -> batchBody(seq, batchSize))));
            }
            for (int c : levels) {
                record(Load.run("gateway: pending path (follow)", c, warmup, measure, 0, 1,
                        Load.post(http, single, AGENT, seq -> "{\"action\":\"follow\",\"platform\":\"twitter\",\"target\":\"user_bench_" + c + "_" + seq + "\"}")));
            }
            double half = peak.throughput() / 2;
            facts.put("half_peak_rate", round(half));
            facts.put("half_peak_concurrency", Math.max(8, peak.concurrency()));
            Load.Result halfLoad = record(Load.run("gateway: auto path at half peak rate", Math.max(8, peak.concurrency()),
                    warmup, measure, half, 1, Load.post(http, single, AGENT, Bench::likeBody)));
            facts.put("half_load_p99_ms", round(halfLoad.p99Ms()));
            facts.put("peak_rss_mb", round(peakRssMb(gw.pid())));
            facts.put("sandbox_peak_rss_mb", round(peakRssMb(sandbox.pid())));
        } finally {
            Load.watchedPid = -1;
            if (gw != null) {
                stop(gw);
            }
            stop(sandbox);
        }
        if (profile) {
            hotMethods(out.resolve("gateway.jfr"));
        }
    }

    // ------------------------------------------------------------------ the report

    private void report() throws Exception {
        double slowest = ceilings().values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        String slowestName = ceilings().entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        // what the platform call alone costs at the same load (same rate and senders, gateway stopped)
        double mcpP99 = (double) facts.get("bare_mcp_p99_ms_at_half_peak");
        double autoPeak = results.stream().filter(r -> r.name().equals("gateway: auto path (like)"))
                .mapToDouble(Load.Result::throughput).max().orElse(Double.NaN);
        double singleAt8 = results.stream().filter(r -> r.name().equals("gateway: auto path (like)") && r.concurrency() == levels[1])
                .mapToDouble(Load.Result::throughput).findFirst().orElse(Double.NaN);
        double batchAt8 = results.stream().filter(r -> r.name().startsWith("gateway: batch") && r.concurrency() == levels[1])
                .mapToDouble(Load.Result::throughput).findFirst().orElse(Double.NaN);

        System.out.println();
        System.out.printf("%-40s %5s %9s %10s %9s %9s %8s %7s %9s%n", "phase", "conc", "ops", "units/s", "p50 ms", "p99 ms", "errors",
                "/slow", "cpu ms/u");
        for (Load.Result r : results) {
            System.out.printf("%-40s %5d %9d %10.0f %9.2f %9.2f %8d %6.0f%% %9.2f%n", r.name(), r.concurrency(), r.ops(), r.throughput(),
                    r.p50Ms(), r.p99Ms(), r.errors(), 100 * r.throughput() / slowest, r.cpuMsPerUnit());
        }
        System.out.println("cpu ms/u: CPU time of the process under test per unit (echo: the echo server; MCP and SQL: the bench "
                + "process, load loop included; gateway: the gateway alone, its sandbox platforms in their own process)");
        double addedP99 = (double) facts.get("half_load_p99_ms") - mcpP99;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ceilings_units_per_s", ceilings());
        summary.put("slowest_ceiling", slowestName);
        summary.put("auto_peak_per_s", round(autoPeak));
        summary.put("auto_peak_over_slowest_ceiling", round(autoPeak / slowest));
        summary.put("batch_over_single_at_concurrency_" + levels[1], round(batchAt8 / singleAt8));
        summary.put("bare_mcp_call_p99_ms_at_the_same_rate", round(mcpP99));
        summary.put("added_p99_ms_at_half_peak", round(addedP99));
        summary.putAll(facts);
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("auto path >= 50% of the slowest ceiling", verdict(autoPeak / slowest >= 0.5, "%.0f%%".formatted(100 * autoPeak / slowest)));
        targets.put("p99 added latency <= 5 ms at half peak", verdict(addedP99 <= 5, "%.2f ms".formatted(addedP99)));
        targets.put("RSS <= 300 MB under load", verdict((double) facts.get("peak_rss_mb") <= 300, facts.get("peak_rss_mb")
                + " MB (the gateway; its sandbox platforms in their own process " + facts.get("sandbox_peak_rss_mb") + " MB)"));
        targets.put("start to healthy <= 3 s", verdict((double) facts.get("start_to_healthy_s") <= 3, facts.get("start_to_healthy_s")
                + " s (the README's command, sandbox included; the gateway alone " + facts.get("start_to_healthy_s_gateway_alone") + " s)"));
        summary.put("targets", targets);
        System.out.println();
        System.out.printf("slowest ceiling: %s (%.0f/s); auto path peak %.0f/s = %.0f%% of it; batches of %d at concurrency %d: %.1fx single requests%n",
                slowestName, slowest, autoPeak, 100 * autoPeak / slowest, batchSize, levels[1], batchAt8 / singleAt8);
        targets.forEach((k, v) -> System.out.printf("  %-45s %s%n", k, v));

        List<Map<String, Object>> rows = results.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("phase", r.name());
            m.put("concurrency", r.concurrency());
            m.put("ops", r.ops());
            m.put("errors", r.errors());
            m.put("units_per_s", round(r.throughput()));
            m.put("p50_ms", round(r.p50Ms()));
            m.put("p99_ms", round(r.p99Ms()));
            m.put("over_slowest_ceiling", round(r.throughput() / slowest));
            m.put("cpu_ms_per_unit", round(r.cpuMsPerUnit()));
            return m;
        }).collect(Collectors.toList());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("summary", summary);
        doc.put("results", rows);
        JSON.writeValue(out.resolve("results.json").toFile(), doc);
        chart(out.resolve("results.png").toFile(), slowest);
        System.out.println("written: " + out.resolve("results.json") + ", " + out.resolve("results.png"));
    }

    private static String verdict(boolean held, String value) {
        return (held ? "HOLDS  " : "MISSED ") + value;
    }

    /** The best throughput each ceiling reached over the concurrency levels. */
    private Map<String, Double> ceilings() {
        Map<String, Double> best = new TreeMap<>();
        results.stream().filter(r -> r.name().startsWith("ceiling:"))
                .forEach(r -> best.merge(r.name().substring("ceiling: ".length()), round(r.throughput()), Math::max));
        return best;
    }

    /** Grouped bars: throughput per phase and concurrency, with the slowest ceiling as a line. */
    private void chart(File file, double slowest) throws IOException {
        int w = 1100;
        int h = 520;
        int left = 70;
        int bottom = 170;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double max = results.stream().mapToDouble(Load.Result::throughput).max().orElse(1) * 1.1;
        int plotH = h - bottom - 40;
        int barW = Math.max(8, (w - left - 20) / Math.max(1, results.size()) - 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("Engagement gateway vs. the ceilings of its parts (units/s, same run, " + facts.get("cores") + " cores, "
                + facts.get("mode") + " mode)", left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i <= 5; i++) {
            int y = 40 + plotH - plotH * i / 5;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, y, w - 10, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f", max * i / 5), 5, y + 4);
        }
        for (int i = 0; i < results.size(); i++) {
            Load.Result r = results.get(i);
            int x = left + 4 + i * (barW + 6);
            int bh = (int) (plotH * r.throughput() / max);
            g.setColor(r.name().startsWith("ceiling") ? new Color(120, 144, 156)
                    : r.name().contains("batch") ? new Color(67, 160, 71)
                    : r.name().contains("pending") ? new Color(251, 140, 0) : new Color(30, 136, 229));
            g.fillRect(x, 40 + plotH - bh, barW, bh);
            g.setColor(Color.BLACK);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(x + barW / 2 + 4, 40 + plotH + 6);
            rotated.rotate(Math.PI / 3);
            rotated.drawString(r.name().replace("ceiling: ", "").replace("gateway: ", "gw ") + " c=" + r.concurrency(), 0, 0);
            rotated.dispose();
        }
        int y = 40 + plotH - (int) (plotH * slowest / max);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        g.drawLine(left, y, w - 10, y);
        g.drawString("slowest ceiling " + Math.round(slowest) + "/s", w - 170, y - 4);
        g.dispose();
        ImageIO.write(img, "png", file);
    }

    /** Where the gateway spent its CPU: the top frames of the JFR execution samples. */
    private void hotMethods(Path jfr) throws IOException {
        Map<String, Integer> top = new LinkedHashMap<>();
        Map<String, Integer> ours = new LinkedHashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                top.merge(frameName(frames.get(0)), 1, Integer::sum);
            }
            frames.stream().map(Bench::frameName).filter(n -> n.startsWith("dev.engagement")).distinct()
                    .forEach(n -> ours.merge(n, 1, Integer::sum));
        }
        int n = samples;
        System.out.println("JFR: " + samples + " execution samples of the gateway (" + jfr + ")");
        System.out.println("  hottest top frames:");
        top.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("  gateway methods on the stack (inclusive):");
        ours.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
    }

    private static String frameName(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    // ------------------------------------------------------------------ helpers

    private Load.Result record(Load.Result r) {
        results.add(r);
        System.out.printf("  %-40s c=%-3d %9.0f units/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  cpu %.2f ms/unit%n", r.name(),
                r.concurrency(), r.throughput(), r.p50Ms(), r.p99Ms(), r.errors(), r.cpuMsPerUnit());
        return r;
    }

    static String likeBody(long seq) {
        // a pool of targets: the lookup cache warms like it does for a real agent's feed; the like itself always runs
        // (500..999: no id contains "404", which the sandbox answers as not found)
        return "{\"action\":\"like\",\"platform\":\"twitter\",\"target\":\"tweet_bench_" + (500 + seq % 500)
                + "\",\"persona_constraints\":[\"authentic\"]}";
    }

    static String batchBody(long seq, int size) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < size; i++) {
            j.add(likeBody(seq * size + i));
        }
        return j.toString();
    }

    /**
     * The gateway as a user runs it: bin/gateway (its JVM options, the build's class-data-sharing archive),
     * with the run's properties and BENCH_JVM_OPTS in JAVA_OPTS, from the repository root; args go to the
     * jar ({@code sandbox --port N} runs the sandbox platforms alone).
     */
    private Process gatewayProcess(List<String> jvmProps, List<String> args, Path log) throws IOException {
        List<String> opts = new ArrayList<>(benchJvmOpts());
        opts.addAll(jvmProps);
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "gateway").toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        // bin/gateway splits JAVA_OPTS on whitespace: a setting whose value has spaces goes in its environment
        // variable instead (the key in upper case, . and - as _), which the gateway reads the same way
        List<String> plain = new ArrayList<>();
        for (String o : opts) {
            int eq = o.indexOf('=');
            if (o.startsWith("-D") && eq > 0 && o.chars().anyMatch(Character::isWhitespace)) {
                pb.environment().put(o.substring(2, eq).toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                        o.substring(eq + 1));
            } else {
                plain.add(o);
            }
        }
        pb.environment().put("JAVA_OPTS", String.join(" ", plain));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** BENCH_JVM_OPTS: JVM options for every measured process. */
    private static List<String> benchJvmOpts() {
        String opts = System.getProperty("bench.jvm-opts", "");
        return opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
    }

    private Process javaProcess(List<String> jvmProps, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(benchJvmOpts());
        cmd.addAll(jvmProps);
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String classpath() {
        return System.getProperty("java.class.path");
    }

    private void awaitUp(Process p, String url, String method) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("process for " + url + " died; see the logs in " + out);
            }
            try {
                HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                        .build();
                if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException(url + " did not come up");
    }

    /** The bench's own system properties whose keys pass the filter, as -D options for a process it starts, sorted. */
    private static List<String> forwardedProperties(java.util.function.Predicate<String> keep) {
        List<String> out = new ArrayList<>();
        System.getProperties().stringPropertyNames().stream().filter(keep).sorted()
                .forEach(key -> out.add("-D" + key + "=" + System.getProperty(key)));
        return out;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    /** Peak resident set of the process (VmHWM), in MB. */
    private static double peakRssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
