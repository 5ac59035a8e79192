package dev.engagement.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for a platform's HTTP API (X API v2, the Threads and Instagram Graph APIs): it answers each
 * method and path (query excluded) with what a test scripted, bodies and headers as the platform's documentation
 * shows, and records every request it got, so that a test can assert exactly what a connector sent. An
 * unscripted request is answered 404 with a body saying so. Nothing here reaches the internet.
 */
public final class FakePlatformApi implements AutoCloseable {

    /** One request as the fake received it. */
    public record Request(String method, String path, String query, String authorization, String contentType, String body) {
    }

    private record Reply(int status, String body, Map<String, String> headers, boolean hang) {
    }

    private final HttpServer server;
    private final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    public FakePlatformApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-platform-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code method path} with this status, JSON body and headers (from now on; the last one scripted repeats). */
    public FakePlatformApi on(String method, String path, int status, String json, String... headerNamesAndValues) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < headerNamesAndValues.length; i += 2) {
            headers.put(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        replies.computeIfAbsent(method + " " + path, k -> new CopyOnWriteArrayList<>()).add(new Reply(status, json, headers, false));
        return this;
    }

    /** Takes {@code method path} and never answers it (until closed): a hung platform. */
    public FakePlatformApi hangOn(String method, String path) {
        replies.computeIfAbsent(method + " " + path, k -> new CopyOnWriteArrayList<>()).add(new Reply(0, null, Map.of(), true));
        return this;
    }

    /** Forgets what was scripted and received. */
    public void reset() {
        replies.clear();
        requests.clear();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests for one method and path. */
    public List<Request> requests(String method, String path) {
        List<Request> out = new ArrayList<>();
        requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).forEach(out::add);
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"), body));
            List<Reply> scripted = replies.get(exchange.getRequestMethod() + " " + path);
            Reply reply = scripted == null || scripted.isEmpty()
                    ? new Reply(404, "{\"title\":\"Not Found Error\",\"detail\":\"nothing scripted for " + exchange.getRequestMethod() + " "
                            + path + "\",\"type\":\"about:blank\",\"status\":404}", Map.of(), false)
                    : scripted.size() > 1 ? scripted.remove(0) : scripted.get(0);
            if (reply.hang()) {
                released.await(60, TimeUnit.SECONDS);
                return;
            }
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
