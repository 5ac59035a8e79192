package dev.engagement.gateway.connector;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.connector.instagram.InstagramConnector;
import dev.engagement.gateway.support.ConnectorUnderTest;
import dev.engagement.gateway.support.FakePlatformApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Instagram connector against a local fake of the Instagram Graph API answering as Meta's documentation shows. */
class InstagramConnectorTest {

    private static final String TOKEN = "test-instagram-token-abcdef";

    private static FakePlatformApi instagram;
    private static ConnectorUnderTest connector;

    @BeforeAll
    static void start() throws Exception {
        instagram = new FakePlatformApi();
        connector = new ConnectorUnderTest("instagram", Map.of(InstagramConnector.BASE_URL, instagram.baseUrl(),
                InstagramConnector.TOKEN, TOKEN, InstagramConnector.TIMEOUT, "1500"));
    }

    @AfterAll
    static void stop() {
        connector.close();
        instagram.close();
    }

    @BeforeEach
    void fresh() {
        instagram.reset();
    }

    @Test
    void itListsRepliesCommentsAndLookupsButNoLikeOrFollow() {
        assertEquals(List.of("comment_on_post", "get_comment", "get_post", "reply_to_comment"), connector.toolNames());
        assertTrue(connector.instructions().contains("no endpoint to like"), connector.instructions());
    }

    @Test
    void aReplyToACommentAndACommentOnAPostAreOnePostEach() {
        instagram.on("POST", "/17858893269000001/replies", 200, "{\"id\":\"17873440459141021\"}");
        instagram.on("POST", "/17895695668004550/comments", 200, "{\"id\":\"17873440459141022\"}");
        JsonNode reply = connector.call("reply_to_comment", Map.of("comment_id", "17858893269000001", "text", "Next month! 🚀"));
        assertEquals("17873440459141021", reply.path("id").asText(), reply.toString());
        FakePlatformApi.Request sent = instagram.requests("POST", "/17858893269000001/replies").get(0);
        assertEquals("Bearer " + TOKEN, sent.authorization());
        assertEquals("message=Next+month%21+%F0%9F%9A%80", sent.body());
        connector.call("comment_on_post", Map.of("post_id", "17895695668004550", "text", "Thank you all"));
        assertEquals("message=Thank+you+all", instagram.requests("POST", "/17895695668004550/comments").get(0).body());
    }

    @Test
    void lookupsAnswerTextAndAuthor() {
        instagram.on("GET", "/17895695668004550", 200, """
                {"id":"17895695668004550","caption":"New notebook drop","username":"paper_co","timestamp":"2026-02-04T12:00:00+0000",
                 "permalink":"https://www.instagram.com/p/abc/","comments_count":3,"like_count":40}""");
        instagram.on("GET", "/17858893269000001", 200, """
                {"id":"17858893269000001","text":"When is the next one?","username":"ana_reads","timestamp":"2026-02-04T12:01:00+0000"}""");
        JsonNode post = connector.call("get_post", Map.of("post_id", "17895695668004550"));
        assertEquals("New notebook drop", post.path("text").asText());
        assertEquals("paper_co", post.path("author").asText());
        assertEquals("ana_reads", connector.call("get_comment", Map.of("comment_id", "17858893269000001")).path("author").asText());
    }

    @Test
    void notFoundAndRateLimits() {
        instagram.on("GET", "/17895695668009999", 400, """
                {"error":{"message":"Unsupported get request. Object with ID '17895695668009999' does not exist, cannot be loaded due to missing permissions, or does not support this operation.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"B1"}}""");
        assertEquals("NOT_FOUND", connector.callFailing("get_post", Map.of("post_id", "17895695668009999")).path("code").asText());
        assertEquals("NOT_FOUND", connector.callFailing("get_post", Map.of("post_id", "post_67890")).path("code").asText(),
                "a sandbox-style id is no Instagram id: refused without asking");
        instagram.on("POST", "/17895695668004550/comments", 400, """
                {"error":{"message":"Calls to this api have exceeded the rate limit.","type":"OAuthException","code":4,"fbtrace_id":"B2"}}""");
        JsonNode limited = connector.callFailing("comment_on_post", Map.of("post_id", "17895695668004550", "text", "Hi"));
        assertEquals("RATE_LIMITED", limited.path("code").asText());
        assertEquals(3600, limited.path("retry_after").asLong(), "no usage header: Meta's one-hour window");
        assertEquals(1, instagram.requests().stream().filter(r -> r.method().equals("GET")).count());
    }

    @Test
    void anExpiredTokenAMissingPermissionAServerErrorAndAHungCall() {
        instagram.on("POST", "/17858893269000001/replies", 400, """
                {"error":{"message":"Error validating access token: Session has expired on Tuesday, 01-Dec-26 10:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"B3"}}""");
        JsonNode expired = connector.callFailing("reply_to_comment", Map.of("comment_id", "17858893269000001", "text", "Hi"));
        assertEquals("AUTH_FAILED", expired.path("code").asText());
        assertTrue(expired.path("message").asText().contains("INSTAGRAM_ACCESS_TOKEN") && !expired.toString().contains(TOKEN), expired.toString());
        instagram.on("POST", "/17895695668004551/comments", 403, """
                {"error":{"message":"(#200) Requires instagram_manage_comments permission","type":"OAuthException","code":200,"fbtrace_id":"B4"}}""");
        assertEquals("NOT_PERMITTED", connector.callFailing("comment_on_post", Map.of("post_id", "17895695668004551", "text", "Hi"))
                .path("code").asText());
        instagram.on("POST", "/17895695668004552/comments", 503, """
                {"error":{"message":"Service temporarily unavailable","type":"OAuthException","code":2,"is_transient":true,"fbtrace_id":"B5"}}""");
        JsonNode down = connector.callFailing("comment_on_post", Map.of("post_id", "17895695668004552", "text", "Hi"));
        assertEquals("UNAVAILABLE", down.path("code").asText());
        assertTrue(down.path("effect_unknown").asBoolean(), "a write that failed after it was sent: " + down);
        instagram.hangOn("GET", "/17895695668004553");
        assertEquals("TIMEOUT", connector.callFailing("get_post", Map.of("post_id", "17895695668004553")).path("code").asText());
    }
}
