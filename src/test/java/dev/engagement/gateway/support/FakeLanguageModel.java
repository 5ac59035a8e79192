package dev.engagement.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.engagement.gateway.contract.Json;

/**
 * An OpenAI-compatible chat-completions server on loopback, answering {@code POST /v1/chat/completions} as the API
 * does ({@code choices[0].message.content}), or with an error, or never (a hung server); it keeps every request it
 * got (its JSON body and Authorization header).
 */
public final class FakeLanguageModel implements AutoCloseable {

    /** One request the server got: its JSON body, its Authorization header, and all its headers as "name: value" lines. */
    public record Request(JsonNode body, String authorization, String headers) {
        /** The text of all its messages, system and user. */
        public String messages() {
            StringBuilder sb = new StringBuilder();
            body.path("messages").forEach(m -> sb.append(m.path("content").asText()).append('\n'));
            return sb.toString();
        }
    }

    /** What the server answers next: a status, its JSON body and an optional Retry-After; or nothing at all. */
    private record Behaviour(int status, String body, String retryAfter, boolean hang) {
    }

    private static final ObjectMapper MAPPER = Json.newObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(new Behaviour(200, completion("Thanks!"), null, false));
    private final CountDownLatch released = new CountDownLatch(1);

    public FakeLanguageModel() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to configure as engagement.drafting.base-url. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers this draft from now on. */
    public void drafts(String text) {
        behaviour.set(new Behaviour(200, completion(text), null, false));
    }

    /** Answers this HTTP status and JSON body from now on (with a Retry-After header when given). */
    public void fails(int status, String body, String retryAfter) {
        behaviour.set(new Behaviour(status, body, retryAfter, false));
    }

    /** Never answers from now on (until {@link #close}). */
    public void hangs() {
        behaviour.set(new Behaviour(0, null, null, true));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            StringBuilder headers = new StringBuilder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.append(name).append(": ").append(v).append('\n')));
            requests.add(new Request(body, exchange.getRequestHeaders().getFirst("Authorization"), headers.toString()));
            Behaviour b = behaviour.get();
            if (b.hang()) {
                released.await(60, TimeUnit.SECONDS);
                return;
            }
            byte[] answer = b.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (b.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", b.retryAfter());
            }
            exchange.sendResponseHeaders(b.status(), answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A chat completion as the API answers it, with this text as its one choice's message. */
    public static String completion(String text) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("id", "chatcmpl-fake");
        c.put("object", "chat.completion");
        c.put("created", 1_764_000_000L);
        c.put("model", "fake-model");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        c.putObject("usage").put("prompt_tokens", 80).put("completion_tokens", 20).put("total_tokens", 100);
        return c.toString();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
