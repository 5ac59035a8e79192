package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.FakePlatformApi;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway with threads and instagram on their live connectors, against local fakes of the Threads API and the
 * Instagram Graph API: what the platforms allow is executed as they document it, what they do not (likes, follows)
 * is answered UNSUPPORTED_ACTION naming the platform's limitation, with no code of the gateway's knowing which.
 */
class LiveMetaConnectorsTest {

    private static final String THREADS_USER = "17841400000000001";

    private static FakePlatformApi threads;
    private static FakePlatformApi instagram;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        threads = new FakePlatformApi();
        instagram = new FakePlatformApi();
        gateway = RunningGateway.start(Files.createTempDirectory("gw-meta"), Map.of(
                "engagement.platforms.threads.connector", "live",
                "engagement.platforms.instagram.connector", "live",
                "THREADS_API_BASE_URL", threads.baseUrl(),
                "THREADS_ACCESS_TOKEN", "live-test-threads-token-0123",
                "THREADS_USER_ID", THREADS_USER,
                "INSTAGRAM_API_BASE_URL", instagram.baseUrl(),
                "INSTAGRAM_ACCESS_TOKEN", "live-test-instagram-token-0123"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        threads.close();
        instagram.close();
    }

    @BeforeEach
    void fresh() {
        threads.reset();
        instagram.reset();
    }

    @Test
    void likesAndFollowsAreUnsupportedOnThreadsAndInstagramNamingThePlatformsLimitation() throws Exception {
        for (String request : new String[] {
                "{\"action\": \"like\", \"platform\": \"threads\", \"target\": \"18000000000000001\"}",
                "{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"17841400000000009\"}",
                "{\"action\": \"like\", \"platform\": \"instagram\", \"target\": \"17895695668004550\"}"}) {
            Answer a = gateway.submit(request).assertContract();
            assertEquals(422, a.status(), a.raw());
            assertEquals("UNSUPPORTED_ACTION", a.text("/error/code"));
            assertTrue(a.text("/error/message").contains("no endpoint to like a post or follow a user"), a.raw());
        }
        assertTrue(threads.requests().isEmpty() && instagram.requests().isEmpty(), "no platform was asked");
        JsonNode platforms = gateway.get("/platforms", RunningGateway.AGENT).body().path("platforms");
        for (JsonNode p : platforms) {
            if (p.path("platform").asText().equals("threads")) {
                assertEquals("live", p.path("backend").asText(), p.toString());
                java.util.Set<String> actions = new java.util.TreeSet<>();
                p.path("actions").forEach(a -> actions.add(a.asText()));
                assertEquals(java.util.Set.of("comment", "reply", "share"), actions, p.toString());
            }
        }
    }

    @Test
    void aThreadsReplyIsAContainerThenItsPublication() throws Exception {
        threads.on("GET", "/18000000000000001", 200, """
                {"id":"18000000000000001","text":"Which notebook should I get?","username":"ana_reads","timestamp":"2026-02-04T12:00:00+0000"}""");
        threads.on("POST", "/" + THREADS_USER + "/threads", 200, "{\"id\":\"1234567890\"}");
        threads.on("POST", "/" + THREADS_USER + "/threads_publish", 200, "{\"id\":\"18000000000000077\"}");
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "threads", "target": "18000000000000001", "content": "The dotted one, honestly."}""")
                .assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("18000000000000077", a.text("/platform_response/id"));
        assertEquals("media_type=TEXT&text=The+dotted+one%2C+honestly.&reply_to_id=18000000000000001",
                threads.requests("POST", "/" + THREADS_USER + "/threads").get(0).body());
        assertEquals("creation_id=1234567890", threads.requests("POST", "/" + THREADS_USER + "/threads_publish").get(0).body());
    }

    @Test
    void aThreadsShareIsARepost() throws Exception {
        threads.on("GET", "/18000000000000002", 200, "{\"id\":\"18000000000000002\",\"text\":\"Morning notes\",\"username\":\"ana_reads\"}");
        threads.on("POST", "/18000000000000002/repost", 200, "{\"id\":\"18000000000000099\"}");
        Answer a = gateway.submit("{\"action\": \"share\", \"platform\": \"threads\", \"target\": \"18000000000000002\"}").assertContract();
        assertEquals(200, a.status(), a.raw());
        assertTrue(a.body().at("/platform_response/reposted").asBoolean(), a.raw());
        assertEquals("Bearer live-test-threads-token-0123", threads.requests("POST", "/18000000000000002/repost").get(0).authorization());
    }

    @Test
    void anInstagramReplyToACommentIsPostedToItsReplies() throws Exception {
        instagram.on("GET", "/17858893269000001", 200, """
                {"id":"17858893269000001","text":"Love these! When is the next one coming?","username":"ana_reads","timestamp":"2026-02-04T12:01:00+0000"}""");
        instagram.on("POST", "/17858893269000001/replies", 200, "{\"id\":\"17873440459141021\"}");
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "instagram", "target": "17858893269000001",
                 "content": "Great question! We're planning to release that feature next month. Stay tuned! 🚀",
                 "persona_constraints": ["helpful", "enthusiastic", "concise"]}""").assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("17873440459141021", a.text("/platform_response/id"));
        assertTrue(instagram.requests("POST", "/17858893269000001/replies").get(0).body().startsWith("message=Great+question%21"));
    }
}
