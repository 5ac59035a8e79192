package dev.engagement.gateway.connector;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.connector.threads.ThreadsConnector;
import dev.engagement.gateway.support.ConnectorUnderTest;
import dev.engagement.gateway.support.FakePlatformApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Threads connector against a local fake of the Threads API answering as Meta's documentation shows
 * ({@code {"id": ...}} on success, {@code {"error": {"message", "type", "code", "fbtrace_id"}}} on failure).
 */
class ThreadsConnectorTest {

    private static final String TOKEN = "test-threads-token-abcdef";
    private static final String USER = "17841400000000001";

    private static FakePlatformApi threads;
    private static ConnectorUnderTest connector;

    @BeforeAll
    static void start() throws Exception {
        threads = new FakePlatformApi();
        connector = new ConnectorUnderTest("threads", Map.of(ThreadsConnector.BASE_URL, threads.baseUrl(), ThreadsConnector.TOKEN, TOKEN,
                ThreadsConnector.USER_ID, USER, ThreadsConnector.TIMEOUT, "1500"));
    }

    @AfterAll
    static void stop() {
        connector.close();
        threads.close();
    }

    @BeforeEach
    void fresh() {
        threads.reset();
    }

    @Test
    void itListsReplyRepostAndLookupsAndSaysThereIsNoLikeOrFollow() {
        assertEquals(List.of("get_publishing_limit", "get_thread", "reply_to_thread", "repost_thread"), connector.toolNames());
        assertTrue(connector.instructions().contains("no endpoint to like"), connector.instructions());
    }

    @Test
    void aReplyIsATextContainerThenItsPublication() {
        threads.on("POST", "/" + USER + "/threads", 200, "{\"id\":\"1234567890\"}");
        threads.on("POST", "/" + USER + "/threads_publish", 200, "{\"id\":\"1234567\"}");
        JsonNode answer = connector.call("reply_to_thread", Map.of("thread_id", "18000000000000001", "text", "Thanks & see you soon!"));
        assertEquals("1234567", answer.path("id").asText(), answer.toString());
        FakePlatformApi.Request container = threads.requests("POST", "/" + USER + "/threads").get(0);
        assertEquals("Bearer " + TOKEN, container.authorization());
        assertEquals("application/x-www-form-urlencoded", container.contentType());
        assertEquals("media_type=TEXT&text=Thanks+%26+see+you+soon%21&reply_to_id=18000000000000001", container.body());
        assertEquals("creation_id=1234567890", threads.requests("POST", "/" + USER + "/threads_publish").get(0).body());
        assertFalse(container.query() != null && container.query().contains(TOKEN), "the token is never in a URL");
    }

    @Test
    void aRepostAndALookup() {
        threads.on("POST", "/18000000000000002/repost", 200, "{\"id\":\"18000000000000099\"}");
        threads.on("GET", "/18000000000000002", 200, """
                {"id":"18000000000000002","text":"Morning notes","username":"ana_reads","timestamp":"2026-02-04T12:00:00+0000",
                 "permalink":"https://www.threads.net/@ana_reads/post/abc","media_type":"TEXT_POST"}""");
        assertTrue(connector.call("repost_thread", Map.of("thread_id", "18000000000000002")).path("reposted").asBoolean());
        JsonNode post = connector.call("get_thread", Map.of("thread_id", "18000000000000002"));
        assertEquals("ana_reads", post.path("author").asText());
        assertEquals("Morning notes", post.path("text").asText());
        assertTrue(threads.requests("GET", "/18000000000000002").get(0).query().startsWith("fields=id,text,username"));
    }

    @Test
    void metasErrorsMapToTheConnectorsCodes() {
        threads.on("POST", "/" + USER + "/threads", 400, """
                {"error":{"message":"Application request limit reached","type":"OAuthException","is_transient":true,"code":4,"fbtrace_id":"A1b2"}}""",
                "x-business-use-case-usage", "{\"" + USER + "\":[{\"type\":\"threads\",\"call_count\":100,\"total_cputime\":10,\"total_time\":10,\"estimated_time_to_regain_access\":12}]}");
        JsonNode limited = connector.callFailing("reply_to_thread", Map.of("thread_id", "18000000000000001", "text", "Hi"));
        assertEquals("RATE_LIMITED", limited.path("code").asText());
        assertEquals(720, limited.path("retry_after").asLong(), limited.toString());

        threads.on("GET", "/18000000000000003", 400, """
                {"error":{"message":"Error validating access token: Session has expired.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A1b3"}}""");
        JsonNode expired = connector.callFailing("get_thread", Map.of("thread_id", "18000000000000003"));
        assertEquals("AUTH_FAILED", expired.path("code").asText());
        assertTrue(expired.path("message").asText().contains("THREADS_ACCESS_TOKEN"));

        threads.on("GET", "/18000000000000004", 400, """
                {"error":{"message":"Unsupported get request. Object with ID '18000000000000004' does not exist, cannot be loaded due to missing permissions, or does not support this operation.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"A1b4"}}""");
        assertEquals("NOT_FOUND", connector.callFailing("get_thread", Map.of("thread_id", "18000000000000004")).path("code").asText());

        threads.on("POST", "/18000000000000005/repost", 400, """
                {"error":{"message":"(#10) The user has not granted the permission","type":"OAuthException","code":10,"fbtrace_id":"A1b5"}}""");
        assertEquals("NOT_PERMITTED", connector.callFailing("repost_thread", Map.of("thread_id", "18000000000000005")).path("code").asText());

        threads.on("GET", "/18000000000000006", 500, "{\"error\":{\"message\":\"An unknown error has occurred.\",\"type\":\"OAuthException\",\"code\":1,\"fbtrace_id\":\"A1b6\"}}");
        assertEquals("UNAVAILABLE", connector.callFailing("get_thread", Map.of("thread_id", "18000000000000006")).path("code").asText());

        threads.hangOn("GET", "/18000000000000007");
        assertEquals("TIMEOUT", connector.callFailing("get_thread", Map.of("thread_id", "18000000000000007")).path("code").asText());
    }
}
