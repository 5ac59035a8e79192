package dev.engagement.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /observe/metrics is open by default and needs a token once engagement.auth.metrics-tokens is set. */
class MetricsAccessTest {

    private static HttpResponse<String> metrics(RunningGateway gateway, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/observe/metrics"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        // HTTP/1.1, as Prometheus scrapes: the JDK client's default h2c upgrade once misread a 401's body as HTTP/2 frames
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void openByDefaultWithCamelsMetersAndTheGatewaysInOneScrape() throws Exception {
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("metrics-open"), Map.of())) {
            gateway.submit("""
                    {"action": "like", "platform": "twitter", "target": "tweet_12345"}""");
            HttpResponse<String> open = metrics(gateway, null);
            assertEquals(200, open.statusCode());
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(open.body().contains("engagement_requests_total"), "the gateway's meters");
            assertTrue(open.body().contains("camel_exchanges"), "Camel's meters");
        }
    }

    @Test
    void aScraperWithoutTheMetricsTokenIsRefused() throws Exception {
        String token = "metrics-7f3c2a91d0b84e6f95a1";
        try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("metrics-token"),
                Map.of("engagement.auth.metrics-tokens", token))) {
            HttpResponse<String> none = metrics(gateway, null);
            assertEquals(401, none.statusCode(), none.body());
            assertEquals("UNAUTHORIZED", RunningGateway.json(none.body()).at("/error/code").asText(), none.body());
            assertEquals(401, metrics(gateway, RunningGateway.AGENT).statusCode(), "an agent token is not a metrics token");
            HttpResponse<String> allowed = metrics(gateway, token);
            assertEquals(200, allowed.statusCode());
            assertTrue(allowed.body().contains("# TYPE"), allowed.body());
        }
    }
}
