package dev.engagement.gateway;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.support.FakePlatformApi;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway with twitter on its live connector ({@code engagement.platforms.twitter.connector = live}), run
 * in-process against a local fake of X API v2: an agent's requests over HTTP come back as the contract's results
 * for what X answered, and X is asked exactly what it should be. Instagram runs on the sandbox in dry-run.
 */
class LiveXConnectorTest {

    private static final String TOKEN = "live-test-x-token-0123456789";
    private static final String ME = "2244994945";
    private static final ObjectMapper MAPPER = Json.newObjectMapper();
    private static final String MENTIONING = """
            {"data":{"id":"%s","text":"@gw_test is the new release out yet? Curious!","author_id":"783214",
              "entities":{"mentions":[{"start":0,"end":8,"username":"gw_test","id":"2244994945"}]}},
             "includes":{"users":[{"id":"783214","name":"Ana","username":"ana_reads"}]}}""";
    private static final String NOT_MENTIONING = """
            {"data":{"id":"%s","text":"A lovely morning for a walk.","author_id":"783214"},
             "includes":{"users":[{"id":"783214","name":"Ana","username":"ana_reads"}]}}""";
    private static final String REPLY = """
            {"action": "reply", "platform": "twitter", "target": "%s",
             "content": "Thanks for the feedback! We're always working to improve. What specific feature would you like to see?",
             "persona_constraints": ["professional", "helpful", "concise"]}""";

    private static FakePlatformApi x;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        x = new FakePlatformApi();
        gateway = RunningGateway.start(Files.createTempDirectory("gw-live"), Map.of(
                "engagement.platforms.twitter.connector", "live",
                "X_API_BASE_URL", x.baseUrl(),
                "X_USER_ACCESS_TOKEN", TOKEN,
                "X_USER_ID", ME,
                "X_API_TIMEOUT_MS", "1500",
                // the failures these tests ask X for must not open the breaker for the tests after them
                "engagement.platforms.twitter.resilience.circuit.minimum-calls", "1000",
                "engagement.platforms.instagram.dry-run", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        x.close();
    }

    @BeforeEach
    void fresh() {
        x.reset();
    }

    @Test
    void aReplyToAPostThatMentionsTheAccountIsPostedOnX() throws Exception {
        x.on("GET", "/2/tweets/1500", 200, MENTIONING.formatted("1500"));
        x.on("POST", "/2/tweets", 201, "{\"data\":{\"id\":\"1860000000000000001\",\"text\":\"Thanks for the feedback!\","
                + "\"edit_history_tweet_ids\":[\"1860000000000000001\"]}}");
        Answer a = gateway.submit(REPLY.formatted("1500")).assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("1860000000000000001", a.text("/platform_response/id"));
        assertNull(a.body().at("/platform_response/sandbox").textValue(), "not the sandbox");
        FakePlatformApi.Request post = x.requests("POST", "/2/tweets").get(0);
        assertEquals("Bearer " + TOKEN, post.authorization());
        assertEquals(MAPPER.readTree("{\"text\":\"Thanks for the feedback! We're always working to improve. What specific feature would"
                + " you like to see?\",\"reply\":{\"in_reply_to_tweet_id\":\"1500\"}}"), MAPPER.readTree(post.body()));
    }

    @Test
    void aReplyToAPostThatNeitherMentionsNorQuotesTheAccountIsRefusedBeforeCallingX() throws Exception {
        x.on("GET", "/2/tweets/1502", 200, NOT_MENTIONING.formatted("1502"));
        Answer a = gateway.submit(REPLY.formatted("1502")).assertContract();
        assertEquals(422, a.status(), a.raw());
        assertEquals("NOT_PERMITTED_BY_PLATFORM", a.text("/error/code"));
        assertFalse(a.body().at("/error/retryable").asBoolean());
        assertTrue(a.text("/error/message").contains("mentioned or quoted"), a.raw());
        assertTrue(x.requests("POST", "/2/tweets").isEmpty(), "X was not asked to post: " + x.requests());
    }

    @Test
    void xsOwnReplyRefusalIsNotPermittedByPlatformWithXsReason() throws Exception {
        x.on("GET", "/2/tweets/1503", 200, MENTIONING.formatted("1503"));
        x.on("POST", "/2/tweets", 403, """
                {"detail":"Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.","type":"about:blank","title":"Forbidden","status":403}""");
        Answer a = gateway.submit(REPLY.formatted("1503")).assertContract();
        assertEquals(422, a.status(), a.raw());
        assertEquals("NOT_PERMITTED_BY_PLATFORM", a.text("/error/code"));
        assertTrue(a.text("/error/message").contains("not been mentioned"), a.raw());
        assertEquals(1, x.requests("POST", "/2/tweets").size(), "a refusal is not retried");
    }

    @Test
    void aLikeIsPostedToTheAccountsLikes() throws Exception {
        x.on("GET", "/2/tweets/1600", 200, NOT_MENTIONING.formatted("1600"));
        x.on("POST", "/2/users/" + ME + "/likes", 200, "{\"data\":{\"liked\":true}}");
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"1600\"}").assertContract();
        assertEquals(200, a.status(), a.raw());
        assertTrue(a.body().at("/platform_response/liked").asBoolean(), a.raw());
        assertEquals(MAPPER.readTree("{\"tweet_id\":\"1600\"}"), MAPPER.readTree(x.requests("POST", "/2/users/" + ME + "/likes").get(0).body()));
    }

    @Test
    void xsRateLimitIsAnswered429WithItsResetAndHoldsTheBudget() throws Exception {
        long reset = Instant.now().getEpochSecond() + 300;
        x.on("GET", "/2/tweets/1700", 200, NOT_MENTIONING.formatted("1700"));
        x.on("POST", "/2/users/" + ME + "/retweets", 429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}",
                "x-rate-limit-limit", "50", "x-rate-limit-remaining", "0", "x-rate-limit-reset", String.valueOf(reset));
        Answer a = gateway.submit("{\"action\": \"share\", \"platform\": \"twitter\", \"target\": \"1700\"}").assertContract();
        assertEquals(429, a.status(), a.raw());
        assertEquals("RATE_LIMIT_EXCEEDED", a.text("/error/code"));
        long wait = a.body().at("/error/retry_after").asLong();
        assertTrue(wait >= 295 && wait <= 300, a.raw());
        assertEquals(String.valueOf(wait), a.header("Retry-After"));
        Answer again = gateway.submit("{\"action\": \"share\", \"platform\": \"twitter\", \"target\": \"1700\"}").assertContract();
        assertEquals(429, again.status(), again.raw());
        assertEquals(1, x.requests("POST", "/2/users/" + ME + "/retweets").size(), "the held budget answers without calling X");
    }

    @Test
    void aRefusedTokenIsPlatformAuthFailedNotRetryable() throws Exception {
        x.on("GET", "/2/tweets/1800", 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}");
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"1800\"}").assertContract();
        assertEquals(502, a.status(), a.raw());
        assertEquals("PLATFORM_AUTH_FAILED", a.text("/error/code"));
        assertFalse(a.body().at("/error/retryable").asBoolean());
        assertFalse(a.raw().contains(TOKEN));
    }

    @Test
    void xsServerErrorOnAWriteLeavesItsOutcomeToAReviewerAndAnUnknownPostIsAnInvalidTarget() throws Exception {
        x.on("GET", "/2/tweets/1900", 200, NOT_MENTIONING.formatted("1900"));
        x.on("POST", "/2/users/" + ME + "/likes", 500, "{\"title\":\"Internal Server Error\",\"detail\":\"Internal Server Error\",\"type\":\"about:blank\",\"status\":500}");
        Answer down = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"1900\"}").assertContract();
        // a write X failed after it was sent may have taken effect, and X takes no idempotency key: not a
        // retryable failure (a new request could like twice) but an outcome a reviewer settles
        assertEquals(202, down.status(), down.raw());
        assertEquals("outcome_unknown", down.text("/platform_response/state"), down.raw());
        assertEquals(1, x.requests("POST", "/2/users/" + ME + "/likes").size(), "it is not sent again at once");

        x.on("GET", "/2/tweets/1999", 200, """
                {"errors":[{"value":"1999","detail":"Could not find tweet with id: [1999].","title":"Not Found Error","resource_type":"tweet","parameter":"id","resource_id":"1999","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""");
        Answer missing = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"1999\"}").assertContract();
        assertEquals(422, missing.status(), missing.raw());
        assertEquals("INVALID_TARGET", missing.text("/error/code"));
    }

    @Test
    void aHungXIsPlatformUnavailableAfterTheConnectorsTimeoutAndNotAskedAgain() throws Exception {
        x.hangOn("GET", "/2/tweets/2100");
        long start = System.nanoTime();
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"2100\"}").assertContract();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, a.status(), a.raw());
        assertEquals("PLATFORM_UNAVAILABLE", a.text("/error/code"));
        assertTrue(a.body().at("/error/retryable").asBoolean());
        assertTrue(tookMs < 6000, "answered after the connector's 1.5 s timeout, not the gateway's 10 s: " + tookMs + " ms");
        assertEquals(1, x.requests("GET", "/2/tweets/2100").size(), "a timeout is not retried at once");
    }

    @Test
    void aFollowOfAnHandleIsResolvedToTheUserId() throws Exception {
        x.on("GET", "/2/users/by/username/ana_reads", 200, "{\"data\":{\"id\":\"783214\",\"name\":\"Ana\",\"username\":\"ana_reads\"}}");
        x.on("POST", "/2/users/" + ME + "/following", 200, "{\"data\":{\"following\":true,\"pending_follow\":false}}");
        Answer pending = gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"@ana_reads\"}").assertContract();
        assertEquals(202, pending.status(), "a follow waits for a reviewer: " + pending.raw());
        Answer approved = gateway.post("/approvals/" + pending.text("/engagement_id") + "/approve", RunningGateway.REVIEWER, "{}")
                .assertContract();
        assertEquals(200, approved.status(), approved.raw());
        assertEquals("783214", approved.text("/platform_response/user_id"));
        assertEquals(MAPPER.readTree("{\"target_user_id\":\"783214\"}"),
                MAPPER.readTree(x.requests("POST", "/2/users/" + ME + "/following").get(0).body()));
    }

    @Test
    void aDryRunPlatformChecksEverythingAndSendsNothing() throws Exception {
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"instagram\", \"target\": \"post_67890\"}").assertContract();
        assertEquals(200, a.status(), a.raw());
        assertTrue(a.body().at("/platform_response/dry_run").asBoolean(), a.raw());
        assertEquals("like_post", a.text("/platform_response/tool"));
        assertEquals(0, gateway.ledger("instagram").size(), "nothing reached the platform's server");
        Answer unknown = gateway.submit("{\"action\": \"like\", \"platform\": \"instagram\", \"target\": \"post_missing\"}").assertContract();
        assertEquals("INVALID_TARGET", unknown.text("/error/code"), "the lookup still runs: " + unknown.raw());
    }
}
