package dev.engagement.gateway.support;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.engagement.gateway.EngagementGatewayApplication;

/**
 * The gateway in a process of its own, started as {@code java -jar} would (same main class, the
 * project folder's application.properties and routes), so a test can kill it with SIGKILL.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static GatewayProcess start(Path dataDir, Map<String, String> overrides, Path log) throws Exception {
        int port = RunningGateway.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Dcamel.server.port=" + port);
        command.add("-Dengagement.data-dir=" + dataDir);
        command.add("-Dengagement.auth.agent-tokens=" + RunningGateway.AGENT);
        command.add("-Dengagement.auth.reviewer-tokens=" + RunningGateway.REVIEWER);
        // the same database as an in-JVM gateway on this data folder would use (H2 there, or its PostgreSQL schema)
        java.util.Map<String, String> all = new java.util.HashMap<>(TestDatabase.overridesFor(dataDir));
        all.putAll(overrides);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EngagementGatewayApplication.class.getName());
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(process, port);
        gateway.awaitHealthy(log);
        return gateway;
    }

    private void awaitHealthy(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("gateway process did not become healthy; see " + log);
    }

    public int port() {
        return port;
    }

    /** The gateway's process id (for its CPU time in /proc). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, no last offset commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
