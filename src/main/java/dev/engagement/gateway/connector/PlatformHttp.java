package dev.engagement.gateway.connector;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.mcpserver.ToolError;

/**
 * A platform's HTTP API as a connector calls it: the JDK HTTP client with a connect and a request timeout, the
 * user's token as a Bearer header (never in a URL, so never in an access log), JSON in and out. A non-2xx answer
 * is thrown as the platform's {@link ApiErrors} read it; no answer in time is TIMEOUT, an unreachable API
 * UNAVAILABLE.
 */
public final class PlatformHttp {

    private final String apiName;
    private final String baseUrl;
    private final String token;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final ApiErrors errors;
    private final HttpClient client;

    public PlatformHttp(String apiName, String baseUrl, String token, Duration timeout, ObjectMapper mapper, ApiErrors errors) {
        this.apiName = apiName;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.timeout = timeout;
        this.mapper = mapper;
        this.errors = errors;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public JsonNode get(String pathAndQuery, String what) {
        return send(request(pathAndQuery).GET(), what, false);
    }

    public JsonNode postJson(String path, Object body, String what) {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))), what, true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A POST with form parameters, in the order given: name, value, name, value... (the Graph APIs take their arguments so). */
    public JsonNode postForm(String path, String what, String... namesAndValues) {
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            encoded.append(encoded.length() == 0 ? "" : "&").append(encode(namesAndValues[i])).append('=').append(encode(namesAndValues[i + 1]));
        }
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encoded.toString())), what, true);
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", "engagement-gateway-connector");
    }

    /**
     * One call. A write that failed after it was sent (a 5xx, a connection broken mid-way) may have taken effect:
     * its failure says so, so that it is not sent again at once (X and the Graph APIs take no idempotency key).
     */
    private JsonNode send(HttpRequest.Builder request, String what, boolean write) {
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ToolError("TIMEOUT", apiName + " did not answer in time (" + timeout.toMillis() + " ms) to " + what, null);
        } catch (ConnectException e) {
            throw new ToolError("UNAVAILABLE", apiName + " could not be reached to " + what + ": " + e.getClass().getSimpleName(), null);
        } catch (IOException e) {
            ToolError broken = new ToolError("UNAVAILABLE", apiName + " broke off the call to " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null);
            throw write ? broken.afterWrite() : broken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolError("UNAVAILABLE", "Interrupted while calling " + apiName, null);
        }
        ApiResponse answer = new ApiResponse(response.statusCode(), response.headers(), parse(response.body()));
        if (!answer.ok()) {
            ToolError error = errors.read(answer, what);
            throw write && answer.status() >= 500 ? error.afterWrite() : error;
        }
        return answer.body();
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            // an HTML error page from a proxy: keep its start as the message
            return mapper.createObjectNode().put("detail", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }
}
