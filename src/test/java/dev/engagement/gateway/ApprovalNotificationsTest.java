package dev.engagement.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.KafkaBroker;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reviewers hear about what waits: a Kafka record and a signed webhook call when an item is queued and when it nears expiry. */
class ApprovalNotificationsTest {

    private static final String SECRET = "webhook-test-secret";

    /** One call the webhook received: its headers and body. */
    private record Delivery(String event, String signature, String body) {
    }

    @Test
    void aQueuedEngagementAndOneNearExpiryReachKafkaAndTheSignedWebhookWhichIsRetried() throws Exception {
        List<Delivery> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = calls.incrementAndGet();
            if (n == 1) {
                // the first call is slow and then fails: the request that queued it must not wait, and it is tried again
                sleep(3000);
                exchange.sendResponseHeaders(503, -1);
            } else {
                received.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Engagement-Event"),
                        exchange.getRequestHeaders().getFirst("X-Engagement-Signature"), new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        webhook.start();
        try (KafkaBroker broker = KafkaBroker.start()) {
            Map<String, String> props = new HashMap<>(broker.freshTopics("notify", 1));
            String topic = "notify.approvals." + System.nanoTime();
            broker.createTopic(topic, 1);
            props.put("engagement.kafka.topics.approvals", topic);
            props.put("engagement.approvals.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
            props.put("engagement.approvals.webhook-secret", SECRET);
            props.put("engagement.approvals.webhook.redelivery-delay-ms", "200");
            // everything pending expires within the hour's warning: the expiry warning follows the queued event
            props.put("engagement.approvals.expire-after", "PT30M");
            props.put("engagement.approvals.expiry-check-interval-ms", "300");
            try (RunningGateway gateway = RunningGateway.start(Files.createTempDirectory("gateway-notify"), props)) {
                long started = System.nanoTime();
                Answer queued = gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_notified\"}");
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(202, queued.status(), queued.raw());
                assertTrue(tookMs < 2500, "the request did not wait for the webhook: " + tookMs + " ms");
                String id = queued.text("/engagement_id");

                List<ConsumerRecord<String, byte[]>> records = broker.await(topic, r -> events(r, id).size() >= 2, Duration.ofSeconds(30));
                List<JsonNode> onKafka = events(records, id);
                assertEquals("approval.queued", onKafka.get(0).path("event").asText(), onKafka.toString());
                assertEquals("approval.expiring", onKafka.get(1).path("event").asText(), onKafka.toString());
                assertEquals(2, onKafka.size(), "each event once: " + onKafka);
                assertEquals("user_notified", onKafka.get(0).at("/request/target").asText());
                assertTrue(onKafka.get(0).path("reasons").size() > 0, onKafka.get(0).toString());
                assertTrue(onKafka.get(1).path("expires_at").isTextual(), onKafka.get(1).toString());

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, received.size(), "both events reached the webhook, the first after a retry: " + received);
                assertTrue(calls.get() >= 3, "the failed call was tried again: " + calls.get());
                for (Delivery d : received) {
                    assertEquals(hmac(d.body()), d.signature(), "signed with the shared secret: " + d);
                    assertEquals(d.event(), RunningGateway.json(d.body()).path("event").asText());
                    assertEquals(id, RunningGateway.json(d.body()).path("engagement_id").asText());
                }
                Thread.sleep(1000);
                assertEquals(2, events(broker.readAll(topic), id).size(), "the expiry warning is not repeated");
            }
        } finally {
            webhook.stop(0);
        }
    }

    private static List<JsonNode> events(List<ConsumerRecord<String, byte[]>> records, String id) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (id.equals(r.key())) {
                try {
                    out.add(RunningGateway.json(new String(r.value(), StandardCharsets.UTF_8)));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
